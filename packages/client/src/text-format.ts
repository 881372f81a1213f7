import type { MetricFamily, MetricPoint } from './family.js';
import type { SerializeOptions } from './exposition.js';
import type { EscapingScheme } from './escaping.js';
import { goFloat } from './floats.js';
import { metricNameToken, pointLabels, labelContext, samplePrefix, seriesText, type NameToken } from './wire.js';

const TEXT_TYPES: Record<MetricFamily['type'], string> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'histogram',
  summary: 'summary',
  info: 'gauge',
  stateset: 'gauge',
  unknown: 'untyped',
};

/** HELP text escaping of the text format: backslash and line feed only. */
function escapeHelp(s: string): string {
  if (!/[\\\n]/.test(s)) return s;
  return s.replace(/[\\\n]/g, (c) => (c === '\\' ? '\\\\' : '\\n'));
}

/** Formatted `le`/`quantile` label texts, cached per bounds array (shared by a metric's children). */
const leTexts = new WeakMap<readonly number[], string[]>();
const quantileTexts = new WeakMap<readonly number[], string[]>();
function boundLabels(bounds: readonly number[], label: 'le' | 'quantile'): string[] {
  const cache = label === 'le' ? leTexts : quantileTexts;
  let t = cache.get(bounds);
  if (t === undefined) {
    t = bounds.map((b) => `${label}="${goFloat(b)}"`);
    cache.set(bounds, t);
  }
  return t;
}

/** Renders families in the Prometheus text exposition format 0.0.4. */
export function writeText(families: readonly MetricFamily[], opts: SerializeOptions): string {
  const scheme = opts.escaping ?? 'underscores';
  const ctx = labelContext(scheme, opts.defaultLabels, opts.cacheLabels !== false);
  let out = '';
  for (const f of families) {
    const sampleName = f.type === 'info' ? f.name + '_info' : f.name;
    const name = metricNameToken(sampleName, scheme);
    if (f.help) out += '# HELP ' + name.token + ' ' + escapeHelp(f.help) + '\n';
    out += '# TYPE ' + name.token + ' ' + TEXT_TYPES[f.type] + '\n';
    const pts = f.metrics;
    switch (f.type) {
      case 'histogram':
      case 'gaugehistogram': {
        const names = suffixed(sampleName, scheme, '_bucket');
        for (let i = 0; i < pts.length; i++) out += histogram(names, pts[i], pointLabels(pts[i].labels, ctx));
        break;
      }
      case 'summary': {
        const names = suffixed(sampleName, scheme, '');
        for (let i = 0; i < pts.length; i++) out += summary(name, names, pts[i], pointLabels(pts[i].labels, ctx));
        break;
      }
      default:
        for (let i = 0; i < pts.length; i++) {
          const p = pts[i];
          const v = f.type === 'info' ? 1 : p.value ?? 0;
          out += samplePrefix(name, p.labels, ctx) + ' ' + goFloat(v) + ts(p) + '\n';
        }
    }
  }
  return out;
}

function ts(p: MetricPoint): string {
  return p.timestampMs === undefined ? '' : ' ' + Math.round(p.timestampMs);
}

/** The `[main, _sum, _count]` name tokens of a histogram (`_bucket`) or summary family. */
function suffixed(base: string, scheme: EscapingScheme, main: string): NameToken[] {
  return [metricNameToken(base + main, scheme), metricNameToken(base + '_sum', scheme), metricNameToken(base + '_count', scheme)];
}

function histogram(names: NameToken[], p: MetricPoint, labels: string): string {
  const bucket = names[0];
  const t = ts(p);
  const bounds = p.bucketBounds ?? [];
  const counts = p.bucketCounts ?? [];
  const les = boundLabels(bounds, 'le');
  const count = p.count ?? (bounds.length ? counts[bounds.length - 1] : 0);
  let out = '';
  for (let i = 0; i < bounds.length; i++) out += seriesText(bucket, labels, les[i]) + ' ' + goFloat(counts[i]) + t + '\n';
  if (bounds.length === 0 || bounds[bounds.length - 1] !== Infinity) {
    out += seriesText(bucket, labels, 'le="+Inf"') + ' ' + goFloat(count) + t + '\n';
  }
  out += seriesText(names[1], labels) + ' ' + goFloat(p.sum ?? 0) + t + '\n';
  out += seriesText(names[2], labels) + ' ' + goFloat(count) + t + '\n';
  return out;
}

function summary(name: NameToken, names: NameToken[], p: MetricPoint, labels: string): string {
  const t = ts(p);
  let out = '';
  const qs = p.quantiles;
  if (qs && p.quantileValues) {
    const ql = boundLabels(qs, 'quantile');
    for (let i = 0; i < qs.length; i++) out += seriesText(name, labels, ql[i]) + ' ' + goFloat(p.quantileValues[i]) + t + '\n';
  }
  out += seriesText(names[1], labels) + ' ' + goFloat(p.sum ?? 0) + t + '\n';
  out += seriesText(names[2], labels) + ' ' + goFloat(p.count ?? 0) + t + '\n';
  return out;
}
