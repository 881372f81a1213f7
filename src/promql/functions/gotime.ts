/**
 * Calendar fields of a Unix time exactly as Prometheus computes them: `time.Unix(int64(v), 0).UTC()`.
 * For ordinary times that is the plain UTC calendar. Go's int64() of NaN, ±Inf or a value out of
 * int64 range gives the minimum int64 on amd64, and Go's date arithmetic (unsigned seconds since
 * its "absolute zero" year) then wraps around; Prometheus answers e.g. hour(NaN) = 15, so we
 * reproduce that arithmetic here with BigInt for the times a JS Date cannot hold.
 */

export interface Calendar {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 1–366 */
  yearDay: number;
  /** 0 = Sunday */
  weekday: number;
  hour: number;
  minute: number;
}

const DAY = 86400n;
const DAYS_PER_400_YEARS = 365n * 400n + 97n;
const DAYS_PER_100_YEARS = 365n * 100n + 24n;
const DAYS_PER_4_YEARS = 365n * 4n + 1n;
const ABSOLUTE_ZERO_YEAR = -292277022399n;
// Go's time constants: seconds from its absolute zero to year 1, and from year 1 to 1970.
const INTERNAL_TO_ABSOLUTE = ((-ABSOLUTE_ZERO_YEAR + 1n) * 3652425n * DAY) / 10000n;
const UNIX_TO_INTERNAL = (1969n * 365n + 1969n / 4n - 1969n / 100n + 1969n / 400n) * DAY;
const U64 = 1n << 64n;
const MIN_INT64 = -(1n << 63n);
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
// A JS Date holds ±8.64e15 ms.
const DATE_LIMIT_SECONDS = 8.64e12;

function goInt64(v: number): bigint {
  if (Number.isNaN(v) || v >= 2 ** 63 || v < -(2 ** 63)) return MIN_INT64;
  return BigInt(Math.trunc(v));
}

function fromDate(d: Date): Calendar {
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const yearDay = DAYS_BEFORE[month - 1] + day + (month > 2 && isLeap(BigInt(year)) ? 1 : 0);
  return { year, month, day, yearDay, weekday: d.getUTCDay(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

function isLeap(year: bigint): boolean {
  return year % 4n === 0n && (year % 100n !== 0n || year % 400n === 0n);
}

/** Go's absDate and friends over the wrapped unsigned seconds. */
function fromGoAbsolute(sec: bigint): Calendar {
  const abs = (((sec + UNIX_TO_INTERNAL + INTERNAL_TO_ABSOLUTE) % U64) + U64) % U64;
  let d = abs / DAY;
  let n = d / DAYS_PER_400_YEARS;
  let y = 400n * n;
  d -= DAYS_PER_400_YEARS * n;
  n = d / DAYS_PER_100_YEARS;
  n -= n >> 2n;
  y += 100n * n;
  d -= DAYS_PER_100_YEARS * n;
  n = d / DAYS_PER_4_YEARS;
  y += 4n * n;
  d -= DAYS_PER_4_YEARS * n;
  n = d / 365n;
  n -= n >> 2n;
  y += n;
  d -= 365n * n;
  const year = y + ABSOLUTE_ZERO_YEAR;
  const yday = Number(d);
  let month: number;
  let day = yday;
  if (isLeap(year) && day === 31 + 29 - 1) {
    month = 2;
    day = 29;
  } else {
    if (isLeap(year) && day > 31 + 29 - 1) day--;
    month = Math.floor(day / 31);
    let begin = DAYS_BEFORE[month];
    if (day >= DAYS_BEFORE[month + 1]) begin = DAYS_BEFORE[++month];
    month++;
    day = day - begin + 1;
  }
  const sod = Number(abs % DAY);
  // Go's absolute zero is a Monday.
  const weekday = Number((((abs + DAY) % U64) % (7n * DAY)) / DAY);
  return { year: Number(year), month, day, yearDay: yday + 1, weekday, hour: Math.floor(sod / 3600), minute: Math.floor((sod % 3600) / 60) };
}

export function goCalendar(v: number): Calendar {
  if (Number.isFinite(v) && Math.abs(v) < DATE_LIMIT_SECONDS) return fromDate(new Date(Math.trunc(v) * 1000));
  return fromGoAbsolute(goInt64(v));
}

/** Prometheus's days_in_month: `32 - time.Date(year, month, 32).Day()`. */
export function daysInMonth(c: Calendar): number {
  if (c.month !== 2) return DAYS_BEFORE[c.month] - DAYS_BEFORE[c.month - 1];
  return isLeap(BigInt(c.year)) ? 29 : 28;
}
