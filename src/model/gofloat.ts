/** Number formatting of Go's `%g` verb, which promtool uses when it prints samples. */

/** Go's `%g`: shortest round-tripping digits, exponent form when the decimal exponent is < -4 or >= 6. */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const e = f.toExponential();
  const neg = e.charCodeAt(0) === 0x2d;
  const body = neg ? e.slice(1) : e;
  const ei = body.indexOf('e');
  const digits = body.slice(0, ei).replace('.', '');
  const exp = Number(body.slice(ei + 1));
  let out: string;
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const ae = Math.abs(exp);
    out = mant + 'e' + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
  } else if (exp < 0) {
    out = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length > exp + 1) {
    out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  } else {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  }
  return neg ? '-' + out : out;
}
