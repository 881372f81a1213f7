/**
 * Comparison of two Prometheus HTTP API query answers (`/api/v1/query`, `/api/v1/query_range`).
 *
 * Both erroring agrees (error texts differ between implementations and are not compared).
 * Otherwise: same result type; the same set of series, label sets exactly (order-insensitive,
 * unless `ordered`, where the sequence of values must match too); values equal to 1e-9 relative
 * (1e-12 absolute near zero; NaN equals NaN; infinities exactly); range results point by point.
 */

export interface ApiAnswer {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
}

type Metric = Record<string, string>;
type Point = [number, string];
interface VectorSample {
  metric: Metric;
  value: Point;
}
interface MatrixSeries {
  metric: Metric;
  values?: Point[];
}

export const REL_TOLERANCE = 1e-9;
export const ABS_TOLERANCE = 1e-12;

export function parseValue(s: string): number {
  if (s === 'NaN') return NaN;
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

export function valuesAgree(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(a - b);
  return diff <= ABS_TOLERANCE || diff <= REL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/** Canonical text of a label set: `{a="1", b="2"}` with names sorted. */
export function labelKey(m: Metric): string {
  return `{${Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join(', ')}}`;
}

function pointsDiff(ours: Point[], theirs: Point[]): string | undefined {
  const theirsByTs = new Map(theirs.map(([t, v]) => [t, v]));
  const oursTs = new Set(ours.map(([t]) => t));
  for (const [t, v] of ours) {
    const tv = theirsByTs.get(t);
    if (tv === undefined) return `point at ${t} only in Pyrometer (${v})`;
    if (!valuesAgree(parseValue(v), parseValue(tv))) return `at ${t}: Pyrometer ${v}, Prometheus ${tv}`;
  }
  for (const [t, v] of theirs) if (!oursTs.has(t)) return `point at ${t} only in Prometheus (${v})`;
  return undefined;
}

function seriesMap<T extends { metric: Metric }>(list: T[], who: string): Map<string, T> | string {
  const m = new Map<string, T>();
  for (const s of list) {
    const k = labelKey(s.metric);
    if (m.has(k)) return `${who} returned the series ${k} twice`;
    m.set(k, s);
  }
  return m;
}

const show = (keys: string[]): string => (keys.length > 3 ? `${keys.slice(0, 3).join(' ')} (+${keys.length - 3} more)` : keys.join(' '));

/** Undefined when the two answers agree, else a one-line description of the first difference. */
export function diffAnswers(ours: ApiAnswer, theirs: ApiAnswer, opts: { ordered?: boolean } = {}): string | undefined {
  if (ours.status !== theirs.status) {
    return ours.status === 'error' ? `only Pyrometer failed: ${ours.error}` : `only Prometheus failed: ${theirs.error}`;
  }
  if (ours.status === 'error') return undefined;
  const a = ours.data!;
  const b = theirs.data!;
  if (a.resultType !== b.resultType) return `result type: Pyrometer ${a.resultType}, Prometheus ${b.resultType}`;
  if (a.resultType === 'scalar' || a.resultType === 'string') {
    const [ta, va] = a.result as Point;
    const [tb, vb] = b.result as Point;
    if (ta !== tb) return `timestamp: Pyrometer ${ta}, Prometheus ${tb}`;
    if (a.resultType === 'string') return va === vb ? undefined : `string: Pyrometer ${va}, Prometheus ${vb}`;
    return valuesAgree(parseValue(va), parseValue(vb)) ? undefined : `scalar: Pyrometer ${va}, Prometheus ${vb}`;
  }
  const listA = a.result as Array<VectorSample & MatrixSeries>;
  const listB = b.result as Array<VectorSample & MatrixSeries>;
  const mapA = seriesMap(listA, 'Pyrometer');
  if (typeof mapA === 'string') return mapA;
  const mapB = seriesMap(listB, 'Prometheus');
  if (typeof mapB === 'string') return mapB;
  const onlyA = [...mapA.keys()].filter((k) => !mapB.has(k));
  const onlyB = [...mapB.keys()].filter((k) => !mapA.has(k));
  if (onlyA.length || onlyB.length) {
    const parts: string[] = [];
    if (onlyA.length) parts.push(`only in Pyrometer: ${show(onlyA)}`);
    if (onlyB.length) parts.push(`only in Prometheus: ${show(onlyB)}`);
    return `series differ (${listA.length} vs ${listB.length}): ${parts.join('; ')}`;
  }
  for (const [k, sa] of mapA) {
    const sb = mapB.get(k)!;
    if (a.resultType === 'vector') {
      if (sa.value[0] !== sb.value[0]) return `${k}: timestamp Pyrometer ${sa.value[0]}, Prometheus ${sb.value[0]}`;
      if (!valuesAgree(parseValue(sa.value[1]), parseValue(sb.value[1]))) return `${k}: Pyrometer ${sa.value[1]}, Prometheus ${sb.value[1]}`;
    } else {
      const d = pointsDiff(sa.values ?? [], sb.values ?? []);
      if (d) return `${k}: ${d}`;
    }
  }
  if (opts.ordered && a.resultType === 'vector') {
    // Ties may come out in either order: the sequence of values is what sorting fixes.
    for (let i = 0; i < listA.length; i++) {
      if (!valuesAgree(parseValue(listA[i].value[1]), parseValue(listB[i].value[1]))) {
        return `order differs at position ${i}: Pyrometer ${labelKey(listA[i].metric)}=${listA[i].value[1]}, Prometheus ${labelKey(listB[i].metric)}=${listB[i].value[1]}`;
      }
    }
  }
  return undefined;
}
