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

function unitAt(s: string, i: number): Unit | null {
  const c = s.charCodeAt(i);
  switch (c) {
    case 0x79: // y
      return 'y';
    case 0x77: // w
      return 'w';
    case 0x64: // d
      return 'd';
    case 0x68: // h
      return 'h';
    case 0x6d: // m or ms
      return s.charCodeAt(i + 1) === 0x73 ? 'ms' : 'm';
    case 0x73: // s
      return 's';
    default:
      return null;
  }
}

export class DurationError extends Error {}

/** Parses a duration into milliseconds; throws DurationError when the text is not one. */
export function parseDuration(s: string): number {
  if (s === '') throw new DurationError('empty duration string');
  if (s === '0') return 0;
  const invalid = (): DurationError => new DurationError(`not a valid duration string: ${JSON.stringify(s)}`);
  let total = 0;
  let nextUnit = 0; // index into UNIT_ORDER of the smallest unit still allowed
  let i = 0;
  while (i < s.length) {
    const digitsStart = i;
    let n = 0;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      n = n * 10 + (c - 0x30);
      i++;
    }
    if (i === digitsStart) throw invalid();
    const unit = unitAt(s, i);
    if (unit === null) throw invalid();
    const order = UNIT_ORDER.indexOf(unit);
    if (order < nextUnit) throw invalid();
    nextUnit = order + 1;
    i += unit.length;
    total += n * MS_PER[unit];
    if (!Number.isSafeInteger(total)) throw new DurationError(`duration out of range: ${JSON.stringify(s)}`);
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
