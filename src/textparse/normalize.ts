/**
 * Prometheus 3 rewrites the `le` label of classic histogram buckets and the `quantile` label
 * of summaries into one canonical float spelling, so `le="1"` and `le="1.0"` name the same
 * series whichever format was scraped.
 */

/** Formats like Go's `strconv.FormatFloat(f, 'g', -1, 64)`, with `.0` added to integers. */
export function formatOpenMetricsFloat(f: number): string {
  if (f === 1) return '1.0';
  if (f === 0) return '0.0';
  if (f === -1) return '-1.0';
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const s = formatG(f);
  return s.includes('e') || s.includes('.') ? s : s + '.0';
}

/** Go's %g with the shortest round-tripping digits: exponent form when the exponent is < -4 or >= 6. */
function formatG(f: number): string {
  const e = f.toExponential(); // shortest digits, e.g. "-1.2345e+8"
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

/** Parses like Go's ParseFloat for label values (decimal, inf/infinity/nan), or undefined. */
function parseLabelFloat(v: string): number | undefined {
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(v)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  const l = v.toLowerCase();
  if (l === 'nan') return NaN;
  if (/^[+-]?inf(inity)?$/.test(l)) return l.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}

/** The canonical spelling of a `le`/`quantile` value, or the value unchanged if not a float. */
export function normalizeFloatLabel(v: string): string {
  const f = parseLabelFloat(v);
  return f === undefined ? v : formatOpenMetricsFloat(f);
}
