/** What every discovery mechanism produces: groups of targets sharing labels, identified by source. */
export interface TargetGroup {
  /** Unique within one discoverer; a later group with the same source replaces the earlier one. */
  source: string;
  /** One label set per target; each has at least `__address__`. */
  targets: Record<string, string>[];
  /** Labels common to all targets of the group. */
  labels: Record<string, string>;
}

/** The static-config / file-SD JSON shape: `{targets: ["host:port"], labels: {...}}`. */
export interface TargetGroupInput {
  targets?: unknown;
  labels?: unknown;
}

/**
 * Validates and converts one target group as written in file SD and HTTP SD payloads.
 * Throws with a reason on malformed input.
 */
export function parseTargetGroup(raw: unknown, source: string, extra: Record<string, string> = {}): TargetGroup {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('target group must be an object');
  const g = raw as TargetGroupInput;
  const targets = g.targets ?? [];
  if (!Array.isArray(targets)) throw new Error('"targets" must be a list of strings');
  const labels: Record<string, string> = { ...extra };
  if (g.labels !== undefined && g.labels !== null) {
    if (typeof g.labels !== 'object' || Array.isArray(g.labels)) throw new Error('"labels" must be a map of strings');
    for (const [k, v] of Object.entries(g.labels as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new Error(`label "${k}" must have a string value`);
      if (k === '') throw new Error('label names must not be empty');
      labels[k] = v;
    }
  }
  return {
    source,
    labels,
    targets: targets.map((t) => {
      if (typeof t !== 'string') throw new Error('"targets" must be a list of strings');
      if (t.includes('/')) throw new Error(`"${t}" is not a valid hostname`);
      return { __address__: t };
    }),
  };
}
