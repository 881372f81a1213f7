/**
 * Prometheus duration strings (`1h30m`, `5m`, `10s53ms`, `1y`): units y, w, d, h, m, s, ms, each
 * at most once and from largest to smallest, integer amounts only. A year is 365 days.
 * Values are integer milliseconds.
 */

const MS_PER = {
  y: 365 * 24 * 3600 * 1000,
  w: 7 * 24 * 3600 * 1000,
  d: 24 * 3600 * 1000,
  h: 3600 * 1000,
  m: 60 * 1000,
  s: 1000,
  ms: 1,
} as const;

type Unit = keyof typeof MS_PER;
const UNIT_ORDER: readonly Unit[] = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/** Prometheus stores durations as int64 nanoseconds; this is the largest whole millisecond. */
const MAX_MS = Math.floor(2 ** 63 / 1e6);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export class DurationError extends Error {}

/** Parses a duration into milliseconds; throws DurationError when the text is not one. */
export function parseDuration(s: string): number {
  if (s === '') throw new DurationError('empty duration string');
  if (s === '0') return 0;
  const invalid = (): DurationError => new DurationError(`not a valid duration string: ${JSON.stringify(s)}`);
  let total = 0;
  let nextUnit = 0; // index into UNIT_ORDER of the largest unit still allowed
  let i = 0;
  while (i < s.length) {
    const digitsStart = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    if (i === digitsStart) throw invalid();
    const n = Number(s.slice(digitsStart, i));
    const unitStart = i;
    while (i < s.length && !isDigit(s.charCodeAt(i))) i++;
    if (i === unitStart) throw invalid();
    const unitText = s.slice(unitStart, i);
    const order = UNIT_ORDER.indexOf(unitText as Unit);
    if (order < 0) {
      throw new DurationError(`unknown unit ${JSON.stringify(unitText)} in duration ${JSON.stringify(s)}`);
    }
    if (order < nextUnit) throw invalid();
    nextUnit = order + 1;
    total += n * MS_PER[unitText as Unit];
    if (total > MAX_MS) throw new DurationError('duration out of range');
  }
  return total;
}

/** Whether `s` is a valid duration string. */
export function isDuration(s: string): boolean {
  try {
    parseDuration(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * Formats milliseconds the way Prometheus prints a duration: largest units first, years and weeks
 * only when they divide the value exactly (so 90 days prints as `90d`, not `12w6d`), `0s` for zero.
 * A negative value is printed with a leading `-`.
 */
export function formatDuration(ms: number): string {
  if (ms < 0) return '-' + formatDuration(-ms);
  ms = Math.trunc(ms);
  if (ms === 0) return '0s';
  let out = '';
  for (const unit of UNIT_ORDER) {
    const mult = MS_PER[unit];
    if ((unit === 'y' || unit === 'w') && ms % mult !== 0) continue;
    const v = Math.floor(ms / mult);
    if (v > 0) {
      out += `${v}${unit}`;
      ms -= v * mult;
    }
  }
  return out;
}
