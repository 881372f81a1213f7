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

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `2024-01-02 15:04:05`: in UTC (Prometheus's default, and always in URLs'
 * `end_input`/`moment_input`), or in the browser's time zone when `local`.
 */
export function formatTime(ms: number, local = false): string {
  const d = new Date(ms);
  if (!local) return d.toISOString().slice(0, 19).replace('T', ' ');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * Parses `2024-01-02[ 15:04[:05]]` (or with a `T`, as a date-time input gives it) in UTC or, when
 * `local`, the browser's time zone; or a Unix timestamp in seconds. Null when invalid.
 */
export function parseTime(s: string, local = false): number | null {
  const str = s.trim();
  if (/^\d+(\.\d+)?$/.test(str)) return Math.round(Number(str) * 1000);
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?$/.exec(str);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const t = local ? new Date(y, mo - 1, d, h, mi, sec).getTime() : Date.UTC(y, mo - 1, d, h, mi, sec);
  return Number.isNaN(t) ? null : t;
}

/** The zone shown next to times: `UTC`, or the browser's offset at that time, e.g. `UTC+05:30`. */
export function zoneLabel(local: boolean, atMs = Date.now()): string {
  if (!local) return 'UTC';
  const off = -new Date(atMs).getTimezoneOffset();
  const a = Math.abs(off);
  return `UTC${off < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
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
