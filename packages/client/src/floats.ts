/**
 * Number rendering for the exposition formats.
 *
 * `goFloat` matches Go's `strconv.FormatFloat(v, 'g', -1, 64)` (what client_golang writes):
 * shortest round-trip digits, exponent form when the decimal exponent is below -4 or at
 * least 6, and a two-digit minimum exponent (`1e+06`, `1.5e-07`).
 */
export function goFloat(v: number): string {
  if (v !== v) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const a = v < 0 ? -v : v;
  if (a < 1e6 && Number.isInteger(v)) return a === 0 && 1 / v < 0 ? '-0' : String(v);
  // JavaScript already prints fixed notation in this range, with the same shortest digits.
  if (a >= 1e-4 && a < 1e6) return shortDecimal(v, a) ?? String(v);
  const e = v.toExponential();
  const k = e.indexOf('e');
  const sign = e.charCodeAt(k + 1) === 0x2d ? '-' : '+';
  const digits = e.slice(k + 2);
  return e.slice(0, k) + 'e' + sign + (digits.length < 2 ? '0' + digits : digits);
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];
const ZEROS = ['', '0', '00', '000', '0000', '00000'];

/**
 * Fixed notation for values with at most 6 decimals, built from integers (number-to-string of
 * a double is several times slower). The smallest k with round(a * 10^k) / 10^k === a gives
 * the shortest digits that read back as `a` (the division is correctly rounded, like parsing).
 */
function shortDecimal(v: number, a: number): string | undefined {
  for (let k = 1; k <= 6; k++) {
    const p = POW10[k];
    const m = Math.round(a * p);
    if (m / p === a) {
      const ip = Math.floor(m / p);
      const fs = String(m - ip * p);
      return (v < 0 ? '-' : '') + ip + '.' + ZEROS[k - fs.length] + fs;
    }
  }
  return undefined;
}

/**
 * The OpenMetrics canonical rendering: Go's %g with `.0` appended when the result has
 * neither a decimal point nor an exponent (`1.0`, `100000.0`, `1e+06`).
 */
export function omFloat(v: number): string {
  const s = goFloat(v);
  if (v !== v || v === Infinity || v === -Infinity) return s;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e || c === 0x65) return s;
  }
  return s + '.0';
}

/** '.001' ... '.999' without trailing zeros ('' for 0), by whole milliseconds. */
const MS_FRACTIONS: readonly string[] = Array.from({ length: 1000 }, (_, ms) => (ms === 0 ? '' : ('.' + String(ms).padStart(3, '0')).replace(/0+$/, '')));

/** A millisecond timestamp as OpenMetrics seconds, in fixed notation (`1520879607.789`). */
export function omSeconds(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const frac = ms - whole * 1000;
  if (Number.isInteger(frac)) return whole + MS_FRACTIONS[frac];
  // Sub-millisecond timestamps: up to microsecond precision, trailing zeros dropped.
  const f = Math.round(frac * 1000).toString().padStart(6, '0').replace(/0+$/, '');
  return f.length ? `${whole}.${f}` : String(whole);
}
