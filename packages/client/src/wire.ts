import type { LabelValues } from './family.js';
import { escapeName, type EscapingScheme } from './escaping.js';
import { isLegacyLabelName, isLegacyMetricName } from './names.js';

/** Escapes a label value (and a quoted name): backslash, double quote and line feed. */
export function escapeLabelValue(s: string): string {
  if (!/[\\"\n]/.test(s)) return s;
  return s.replace(/[\\"\n]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

/** A label name as written inside braces: bare when legacy-valid, otherwise quoted. */
export function labelNameToken(name: string, scheme: EscapingScheme): string {
  const n = escapeName(name, scheme, false);
  return isLegacyLabelName(n) ? n : `"${escapeLabelValue(n)}"`;
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

/**
 * `a="x",b="y"` for a label object, cached per object: metric children keep one frozen
 * labels object, so steady-state scrapes reuse the escaped text.
 */
export function labelsText(labels: LabelValues, scheme: EscapingScheme): string {
  const cache = labelCaches[scheme];
  let s = cache.get(labels);
  if (s === undefined) {
    s = '';
    for (const k in labels) {
      s += (s ? ',' : '') + labelNameToken(k, scheme) + '="' + escapeLabelValue(labels[k]) + '"';
    }
    cache.set(labels, s);
  }
  return s;
}

/** Default labels prepared for one serialization: names and their `name="value"` text. */
export interface PreparedDefaults {
  names: string[];
  texts: string[];
}

export function prepareDefaults(defaults: LabelValues | undefined, scheme: EscapingScheme): PreparedDefaults | undefined {
  if (!defaults) return undefined;
  const names = Object.keys(defaults);
  if (names.length === 0) return undefined;
  return { names, texts: names.map((k) => labelNameToken(k, scheme) + '="' + escapeLabelValue(defaults[k]) + '"') };
}

/** The full label text of a point: its own labels, then default labels it does not override. */
export function pointLabels(labels: LabelValues, scheme: EscapingScheme, defaults: PreparedDefaults | undefined): string {
  let s = labelsText(labels, scheme);
  if (defaults) {
    for (let i = 0; i < defaults.names.length; i++) {
      if (labels[defaults.names[i]] === undefined) s += (s ? ',' : '') + defaults.texts[i];
    }
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
export function samplePrefix(name: NameToken, labels: LabelValues, scheme: EscapingScheme, defaults: PreparedDefaults | undefined): string {
  if (defaults) return seriesText(name, pointLabels(labels, scheme, defaults));
  const cache = prefixCaches[scheme];
  const e = cache.get(labels);
  if (e !== undefined) {
    if (e.n1 === name) return e.t1;
    if (e.n2 === name) return e.t2;
  }
  const text = seriesText(name, labelsText(labels, scheme));
  if (e === undefined) cache.set(labels, { n1: name, t1: text, n2: undefined, t2: '' });
  else {
    e.n2 = name;
    e.t2 = text;
  }
  return text;
}
