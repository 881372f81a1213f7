import type { Exemplar, MetricFamily, MetricPoint } from './family.js';
import type { SerializeOptions } from './exposition.js';
import type { EscapingScheme } from './escaping.js';
import { omFloat, omSeconds } from './floats.js';
import { escapeLabelValue, formatLabels, metricNameToken, pointLabels, labelContext, samplePrefix, seriesText, type NameToken } from './wire.js';

/** HELP escaping of OpenMetrics: backslash, line feed and double quote. */
function escapeHelp(s: string): string {
  if (!/[\\\n"]/.test(s)) return s;
  return s.replace(/[\\\n"]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

const leTexts = new WeakMap<readonly number[], string[]>();
const quantileTexts = new WeakMap<readonly number[], string[]>();
/** Canonical `le`/`quantile` label texts, cached per bounds array (shared by a metric's children). */
function boundLabels(bounds: readonly number[], label: 'le' | 'quantile'): string[] {
  const cache = label === 'le' ? leTexts : quantileTexts;
  let t = cache.get(bounds);
  if (t === undefined) {
    t = bounds.map((b) => `${label}="${omFloat(b)}"`);
    cache.set(bounds, t);
  }
  return t;
}

/** Counts are integers on the wire when they are integral. */
function count(v: number): string {
  return Number.isInteger(v) ? String(v) : omFloat(v);
}

function ts(p: MetricPoint): string {
  return p.timestampMs === undefined ? '' : ' ' + omSeconds(p.timestampMs);
}

function exemplar(e: Exemplar | undefined, scheme: EscapingScheme): string {
  if (!e) return '';
  return ' # {' + formatLabels(e.labels, scheme) + '} ' + omFloat(e.value) + (e.timestampMs === undefined ? '' : ' ' + omSeconds(e.timestampMs));
}

/** Renders families in OpenMetrics 1.0 text, ending with `# EOF` unless `opts.eof` is false. */
export function writeOpenMetrics(families: readonly MetricFamily[], opts: SerializeOptions): string {
  const scheme = opts.escaping ?? 'underscores';
  const created = opts.created !== false;
  const ctx = labelContext(scheme, opts.defaultLabels, opts.cacheLabels !== false);
  let out = '';
  for (const f of families) {
    const familyName = f.type === 'counter' && f.name.endsWith('_total') ? f.name.slice(0, -6) : f.name;
    const fam = metricNameToken(familyName, scheme);
    out += '# TYPE ' + fam.token + ' ' + f.type + '\n';
    if (f.unit) out += '# UNIT ' + fam.token + ' ' + escapeLabelValue(f.unit) + '\n';
    if (f.help) out += '# HELP ' + fam.token + ' ' + escapeHelp(f.help) + '\n';
    const pts = f.metrics;
    switch (f.type) {
      case 'counter': {
        const total = metricNameToken(familyName + '_total', scheme);
        const createdName = metricNameToken(familyName + '_created', scheme);
        for (let i = 0; i < pts.length; i++) {
          const p = pts[i];
          const t = ts(p);
          out += samplePrefix(total, p.labels, ctx) + ' ' + omFloat(p.value ?? 0) + t + exemplar(p.exemplar, scheme) + '\n';
          if (created && p.createdMs !== undefined) {
            out += samplePrefix(createdName, p.labels, ctx) + ' ' + omSeconds(p.createdMs) + t + '\n';
          }
        }
        break;
      }
      case 'histogram':
      case 'gaugehistogram': {
        const gauge = f.type === 'gaugehistogram';
        const names = suffixed(familyName, scheme, '_bucket', gauge ? '_gcount' : '_count', gauge ? '_gsum' : '_sum');
        for (let i = 0; i < pts.length; i++) out += histogram(names, gauge, pts[i], pointLabels(pts[i].labels, ctx), scheme, created);
        break;
      }
      case 'summary': {
        const names = suffixed(familyName, scheme, '', '_count', '_sum');
        for (let i = 0; i < pts.length; i++) out += summary(names, pts[i], pointLabels(pts[i].labels, ctx), created);
        break;
      }
      case 'info': {
        const info = metricNameToken(familyName + '_info', scheme);
        for (let i = 0; i < pts.length; i++) out += samplePrefix(info, pts[i].labels, ctx) + ' 1' + ts(pts[i]) + '\n';
        break;
      }
      case 'stateset':
        for (let i = 0; i < pts.length; i++) {
          const p = pts[i];
          out += samplePrefix(fam, p.labels, ctx) + (p.value ? ' 1' : ' 0') + ts(p) + '\n';
        }
        break;
      default:
        for (let i = 0; i < pts.length; i++) {
          const p = pts[i];
          out += samplePrefix(fam, p.labels, ctx) + ' ' + omFloat(p.value ?? 0) + ts(p) + '\n';
        }
    }
  }
  if (opts.eof !== false) out += '# EOF\n';
  return out;
}

/** Name tokens `[main, count, sum, _created]` of a histogram or summary family. */
function suffixed(base: string, scheme: EscapingScheme, main: string, count: string, sum: string): NameToken[] {
  return [main, count, sum, '_created'].map((s) => metricNameToken(base + s, scheme));
}

function histogram(names: NameToken[], gauge: boolean, p: MetricPoint, labels: string, scheme: EscapingScheme, created: boolean): string {
  const bucket = names[0];
  const t = ts(p);
  const bounds = p.bucketBounds ?? [];
  const counts = p.bucketCounts ?? [];
  const ex = p.bucketExemplars;
  const les = boundLabels(bounds, 'le');
  const total = p.count ?? (bounds.length ? counts[bounds.length - 1] : 0);
  let out = '';
  for (let i = 0; i < bounds.length; i++) {
    out += seriesText(bucket, labels, les[i]) + ' ' + count(counts[i]) + t + (ex ? exemplar(ex[i], scheme) : '') + '\n';
  }
  if (bounds.length === 0 || bounds[bounds.length - 1] !== Infinity) {
    out += seriesText(bucket, labels, 'le="+Inf"') + ' ' + count(total) + t + '\n';
  }
  // OpenMetrics forbids a sum with negative thresholds, and a negative or NaN sum, for (counter-like) histograms;
  // `_count` goes with `_sum`.
  const sum = p.sum;
  if (sum !== undefined && (gauge || (sum >= 0 && !(bounds.length > 0 && bounds[0] < 0)))) {
    out += seriesText(names[1], labels) + ' ' + count(total) + t + '\n';
    out += seriesText(names[2], labels) + ' ' + omFloat(sum) + t + '\n';
  }
  if (created && !gauge && p.createdMs !== undefined) out += seriesText(names[3], labels) + ' ' + omSeconds(p.createdMs) + t + '\n';
  return out;
}

function summary(names: NameToken[], p: MetricPoint, labels: string, created: boolean): string {
  const name = names[0];
  const t = ts(p);
  let out = '';
  const qs = p.quantiles;
  if (qs && p.quantileValues) {
    const ql = boundLabels(qs, 'quantile');
    // Negative quantile values and a negative or NaN sum are not allowed in OpenMetrics: left out.
    for (let i = 0; i < qs.length; i++) {
      const v = p.quantileValues[i];
      if (!(v < 0)) out += seriesText(name, labels, ql[i]) + ' ' + omFloat(v) + t + '\n';
    }
  }
  if (p.count !== undefined) out += seriesText(names[1], labels) + ' ' + count(p.count) + t + '\n';
  if (p.sum !== undefined && p.sum >= 0) out += seriesText(names[2], labels) + ' ' + omFloat(p.sum) + t + '\n';
  if (created && p.createdMs !== undefined) out += seriesText(names[3], labels) + ' ' + omSeconds(p.createdMs) + t + '\n';
  return out;
}
