// Durations and times in the notation Prometheus's UI puts in its URLs and inputs.

const UNITS: [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** Parses `1h30m`, `5m`, `2d` (Prometheus duration syntax) into milliseconds; null when invalid. */
export function parseDuration(s: string): number | null {
  const str = s.trim();
  if (!str) return null;
  const re = /(\d+)(ms|y|w|d|h|m|s)/y;
  let total = 0;
  let pos = 0;
  while (pos < str.length) {
    re.lastIndex = pos;
    const m = re.exec(str);
    if (!m) return null;
    total += Number(m[1]) * UNITS.find(([u]) => u === m[2])![1];
    pos = re.lastIndex;
  }
  return total > 0 ? total : null;
}

export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [u, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${u}`;
      rest -= n * size;
    }
  }
  return out;
}

/** `2024-01-02 15:04:05` in UTC, as Prometheus's `end_input`/`moment_input` URL parameters. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses `2024-01-02 15:04[:05]` (UTC) or a Unix timestamp in seconds; null when invalid. */
export function parseTime(s: string): number | null {
  const str = s.trim();
  if (/^\d+(\.\d+)?$/.test(str)) return Math.round(Number(str) * 1000);
  const t = Date.parse(`${str.replace(' ', 'T')}Z`);
  return Number.isNaN(t) ? null : t;
}

/** Prometheus's default resolution: about 250 points across the range, at least 1s. */
export function defaultStepSeconds(rangeMs: number): number {
  return Math.max(Math.floor(rangeMs / 250 / 1000), 1);
}

export function formatAgo(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t) || t <= 0) return 'never';
  const s = (now - t) / 1000;
  if (s < 60) return `${s.toFixed(1)}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${Math.floor(s % 60)}s ago`;
  return `${formatDuration(Math.floor(s) * 1000)} ago`;
}
