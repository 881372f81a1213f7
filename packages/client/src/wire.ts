import type { LabelValues } from './family.js';
import { escapeName, type EscapingScheme } from './escaping.js';
import { isLegacyLabelName, isLegacyMetricName } from './names.js';

/** Escapes a label value (and a quoted name): backslash, double quote and line feed. */
export function escapeLabelValue(s: string): string {
  if (!/[\\"\n]/.test(s)) return s;
  return s.replace(/[\\"\n]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

const labelNameCaches: Record<EscapingScheme, Map<string, string>> = {
  'allow-utf-8': new Map(),
  underscores: new Map(),
  dots: new Map(),
  values: new Map(),
};

/** A label name as written inside braces: bare when legacy-valid, otherwise quoted. Cached: label names are few. */
export function labelNameToken(name: string, scheme: EscapingScheme): string {
  const cache = labelNameCaches[scheme];
  let t = cache.get(name);
  if (t === undefined) {
    const n = escapeName(name, scheme, false);
    t = isLegacyLabelName(n) ? n : `"${escapeLabelValue(n)}"`;
    if (cache.size > 10_000) cache.clear();
    cache.set(name, t);
  }
  return t;
}

/** The written name of a metric: `token` bare or quoted; quoted names go inside the braces. */
export interface NameToken {
  token: string;
  quoted: boolean;
}

const nameCaches: Record<EscapingScheme, Map<string, NameToken>> = {
  'allow-utf-8': new Map(),
  underscores: new Map(),
  dots: new Map(),
  values: new Map(),
};

/** The token for metric name `name` (already including any suffix) under `scheme`. */
export function metricNameToken(name: string, scheme: EscapingScheme): NameToken {
  const cache = nameCaches[scheme];
  let t = cache.get(name);
  if (t === undefined) {
    const n = escapeName(name, scheme, true);
    t = isLegacyMetricName(n) ? { token: n, quoted: false } : { token: `"${escapeLabelValue(n)}"`, quoted: true };
    if (cache.size > 100_000) cache.clear();
    cache.set(name, t);
  }
  return t;
}

const labelCaches: Record<EscapingScheme, WeakMap<LabelValues, string>> = {
  'allow-utf-8': new WeakMap(),
  underscores: new WeakMap(),
  dots: new WeakMap(),
  values: new WeakMap(),
};

/** `a="x",b="y"` for a label object. */
export function formatLabels(labels: LabelValues, scheme: EscapingScheme): string {
  let s = '';
  for (const k in labels) s += (s ? ',' : '') + labelNameToken(k, scheme) + '="' + escapeLabelValue(labels[k]) + '"';
  return s;
}

/** What one serialization needs to write label sets. */
export interface LabelContext {
  scheme: EscapingScheme;
  /** Default labels: names and their `name="value"` text. */
  defaultNames: string[];
  defaultTexts: string[];
  /** Cache escaped text per labels object (objects reused across scrapes). */
  cache: boolean;
}

export function labelContext(scheme: EscapingScheme, defaults: LabelValues | undefined, cache: boolean): LabelContext {
  const names = defaults ? Object.keys(defaults) : [];
  const texts = names.map((k) => labelNameToken(k, scheme) + '="' + escapeLabelValue(defaults![k]) + '"');
  return { scheme, defaultNames: names, defaultTexts: texts, cache };
}

/**
 * The label text of a point's own labels, cached per object when the context allows: metric
 * children keep one frozen labels object, so steady-state scrapes reuse the escaped text.
 */
function ownLabels(labels: LabelValues, ctx: LabelContext): string {
  if (!ctx.cache) return formatLabels(labels, ctx.scheme);
  const cache = labelCaches[ctx.scheme];
  let s = cache.get(labels);
  if (s === undefined) {
    s = formatLabels(labels, ctx.scheme);
    cache.set(labels, s);
  }
  return s;
}

/** The full label text of a point: its own labels, then default labels it does not override. */
export function pointLabels(labels: LabelValues, ctx: LabelContext): string {
  let s = ownLabels(labels, ctx);
  const names = ctx.defaultNames;
  for (let i = 0; i < names.length; i++) {
    if (labels[names[i]] === undefined) s += (s ? ',' : '') + ctx.defaultTexts[i];
  }
  return s;
}

/** `name{labels}` (or `{"name",labels}` for a quoted name); `extra` is appended inside the braces. */
export function seriesText(name: NameToken, labels: string, extra?: string): string {
  if (extra) labels = labels ? labels + ',' + extra : extra;
  if (name.quoted) return labels ? '{' + name.token + ',' + labels + '}' : '{' + name.token + '}';
  return labels ? name.token + '{' + labels + '}' : name.token;
}

/** Two cached prefixes per labels object: enough for a counter's `_total` and `_created`. */
interface PrefixEntry {
  n1: NameToken;
  t1: string;
  n2: NameToken | undefined;
  t2: string;
}

const prefixCaches: Record<EscapingScheme, WeakMap<LabelValues, PrefixEntry>> = {
  'allow-utf-8': new WeakMap(),
  underscores: new WeakMap(),
  dots: new WeakMap(),
  values: new WeakMap(),
};

/**
 * `name{labels}` for a point, cached per labels object (for up to two sample names) so a
 * steady-state scrape reuses the whole prefix.
 */
export function samplePrefix(name: NameToken, labels: LabelValues, ctx: LabelContext): string {
  if (!ctx.cache || ctx.defaultNames.length) return seriesText(name, pointLabels(labels, ctx));
  const cache = prefixCaches[ctx.scheme];
  const e = cache.get(labels);
  if (e !== undefined) {
    if (e.n1 === name) return e.t1;
    if (e.n2 === name) return e.t2;
  }
  const text = seriesText(name, ownLabels(labels, ctx));
  if (e === undefined) cache.set(labels, { n1: name, t1: text, n2: undefined, t2: '' });
  else {
    e.n2 = name;
    e.t2 = text;
  }
  return text;
}
