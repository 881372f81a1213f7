/**
 * Prometheus 3 rewrites the `le` label of classic histogram buckets and the `quantile` label
 * of summaries into one canonical float spelling, so `le="1"` and `le="1.0"` name the same
 * series whichever format was scraped.
 */
import { formatGoFloat } from '../model/gofloat.js';

/** Formats like Go's `strconv.FormatFloat(f, 'g', -1, 64)`, with `.0` added to integers. */
export function formatOpenMetricsFloat(f: number): string {
  if (f === 1) return '1.0';
  if (f === 0) return '0.0';
  if (f === -1) return '-1.0';
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const s = formatGoFloat(f);
  return s.includes('e') || s.includes('.') ? s : s + '.0';
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
