/**
 * The metric-name linter behind `check metrics`, applying the rules of promlint (the linter
 * promtool uses): help text present, base units, `_total` only on counters, reserved
 * histogram/summary suffixes and labels, `_timestamp_seconds` only on gauges, no type names,
 * colons, camelCase or abbreviated units in names, and no duplicate series.
 */
import type { MetricType } from '../model/value.js';
import { OpenMetricsParser } from './openmetricsparse.js';
import { PromParser } from './promparse.js';
import { Entry, ParseError, type Parser } from './types.js';

/** `untyped` is the text format's name for OpenMetrics' `unknown`. */
export type LintType = Exclude<MetricType, 'unknown'> | 'untyped';

export interface LintFamily {
  name: string;
  type: LintType;
  hasHelp: boolean;
  /** One entry per metric: its label names and values, sorted by name (no le/quantile of buckets/quantiles). */
  metrics: string[][];
  /** Sample lines in the family (its series count). */
  series: number;
}

export interface LintProblem {
  metric: string;
  text: string;
}

const UNITS = new Map<string, string>([
  ['amperes', 'amperes'],
  ['bytes', 'bytes'],
  ['celsius', 'celsius'],
  ['grams', 'grams'],
  ['joules', 'joules'],
  ['kelvin', 'kelvin'],
  ['meters', 'meters'],
  ['metres', 'metres'],
  ['seconds', 'seconds'],
  ['volts', 'volts'],
  ['minutes', 'seconds'],
  ['hours', 'seconds'],
  ['days', 'seconds'],
  ['weeks', 'seconds'],
  ['kelvins', 'kelvin'],
  ['fahrenheit', 'celsius'],
  ['rankine', 'celsius'],
  ['inches', 'meters'],
  ['yards', 'meters'],
  ['miles', 'meters'],
  ['bits', 'bytes'],
  ['calories', 'joules'],
  ['pounds', 'grams'],
  ['ounces', 'grams'],
]);
const UNIT_PREFIXES = ['pico', 'nano', 'micro', 'milli', 'centi', 'deci', 'deca', 'hecto', 'kilo', 'kibi', 'mega', 'mibi', 'giga', 'gibi', 'tera', 'tebi', 'peta', 'pebi'];
const UNIT_ABBREVIATIONS = ['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd'];
/** The type names promlint looks for in metric names (every protobuf type but untyped). */
const TYPE_NAMES = ['counter', 'gauge', 'summary', 'histogram', 'gauge_histogram'];
const CAMEL_CASE = /[a-z][A-Z]/;

function metricUnit(name: string): [string, string] | undefined {
  for (const seg of name.split('_')) {
    const base = UNITS.get(seg);
    if (base !== undefined) return [seg, base];
    for (const p of UNIT_PREFIXES) {
      if (seg.startsWith(p)) {
        const b = UNITS.get(seg.slice(p.length));
        if (b !== undefined) return [seg, b];
      }
    }
  }
  return undefined;
}

const hasPart = (lower: string, part: string): boolean => lower.includes(`_${part}_`) || lower.endsWith(`_${part}`);

function lintFamily(f: LintFamily): string[] {
  const out: string[] = [];
  const n = f.name;
  const lower = n.toLowerCase();
  const untyped = f.type === 'untyped';
  if (!f.hasHelp) out.push('no help text');
  const unit = metricUnit(n);
  if (unit && unit[0] !== unit[1]) out.push(`use base unit "${unit[1]}" instead of "${unit[0]}"`);
  const isCounter = f.type === 'counter';
  const total = n.endsWith('_total');
  if (isCounter && !total) out.push('counter metrics should have "_total" suffix');
  else if (!untyped && !isCounter && total) out.push('non-counter metrics should not have "_total" suffix');
  if (!untyped && f.type !== 'gauge' && n.endsWith('_timestamp_seconds')) out.push('non-gauge metrics should not have "_timestamp_seconds" suffix');
  if (!untyped) {
    const hist = f.type === 'histogram';
    const summ = f.type === 'summary';
    if (!hist && n.endsWith('_bucket')) out.push('non-histogram metrics should not have "_bucket" suffix');
    if (!hist && !summ && n.endsWith('_count')) out.push('non-histogram and non-summary metrics should not have "_count" suffix');
    if (!hist && !summ && n.endsWith('_sum')) out.push('non-histogram and non-summary metrics should not have "_sum" suffix');
    for (const m of f.metrics) {
      for (let i = 0; i < m.length; i += 2) {
        if (!hist && m[i] === 'le') out.push('non-histogram metrics should not have "le" label');
        if (!summ && m[i] === 'quantile') out.push('non-summary metrics should not have "quantile" label');
      }
    }
  }
  for (const t of TYPE_NAMES) if (hasPart(lower, t)) out.push(`metric name should not include type '${t}'`);
  if (n.includes(':')) out.push("metric names should not contain ':'");
  if (CAMEL_CASE.test(n)) out.push("metric names should be written in 'snake_case' not 'camelCase'");
  for (const m of f.metrics) {
    for (let i = 0; i < m.length; i += 2) {
      if (CAMEL_CASE.test(m[i])) out.push("label names should be written in 'snake_case' not 'camelCase'");
    }
  }
  for (const a of UNIT_ABBREVIATIONS) if (hasPart(lower, a)) out.push('metric names should not contain abbreviated units');
  const keys = f.metrics.map((m) => m.join('\u0000'));
  for (let i = 0; i < keys.length; i++) {
    if (keys.indexOf(keys[i], i + 1) > 0) out.push('metric not unique');
  }
  return out;
}

/** All problems, sorted by metric name and then text, as promtool prints them. */
export function lint(families: readonly LintFamily[]): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const f of families) for (const text of lintFamily(f)) problems.push({ metric: f.name, text });
  return problems.sort((a, b) => (a.metric !== b.metric ? (a.metric < b.metric ? -1 : 1) : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

function sortedPairs(pairs: string[], drop: string): string[] {
  const idx: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] !== drop) idx.push(i);
  idx.sort((a, b) => (pairs[a] < pairs[b] ? -1 : pairs[a] > pairs[b] ? 1 : 0));
  const out: string[] = [];
  for (const i of idx) out.push(pairs[i], pairs[i + 1]);
  return out;
}

interface Building extends LintFamily {
  typed: boolean;
  /** Metric identity -> index, for types whose samples of one metric are merged. */
  merged: Map<string, number>;
}

function newFamily(name: string): Building {
  return { name, type: 'untyped', hasHelp: false, metrics: [], series: 0, typed: false, merged: new Map() };
}

function addMetric(f: Building, pairs: string[], merge: boolean): void {
  f.series++;
  if (!merge) {
    f.metrics.push(pairs);
    return;
  }
  const key = pairs.join('\u0000');
  if (!f.merged.has(key)) {
    f.merged.set(key, f.metrics.length);
    f.metrics.push(pairs);
  }
}

function finish(all: Iterable<Building>): LintFamily[] {
  // Families without samples are left out, as promtool's parser drops them.
  return [...all].filter((f) => f.metrics.length > 0).map(({ name, type, hasHelp, metrics, series }) => ({ name, type, hasHelp, metrics, series }));
}

/**
 * Groups a text-format exposition into families the way promtool's parser does: samples join
 * the family of their name, or of the histogram/summary their `_sum`/`_count`/`_bucket`
 * suffix points to; a second TYPE or HELP line for a family is an error.
 */
export function familiesFromText(body: Buffer | Uint8Array | string): LintFamily[] {
  const p = new PromParser(body, { strict: true });
  const fams = new Map<string, Building>();
  const get = (name: string): Building => {
    let f = fams.get(name);
    if (!f) fams.set(name, (f = newFamily(name)));
    return f;
  };
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    if (e === Entry.Type) {
      const f = get(p.metaName());
      if (f.typed || f.metrics.length > 0) {
        throw new ParseError(p.line(), 1, `second TYPE line for metric name "${f.name}", or TYPE reported after samples`);
      }
      f.typed = true;
      f.type = p.type() === 'unknown' ? 'untyped' : (p.type() as LintType);
    } else if (e === Entry.Help) {
      const f = get(p.metaName());
      if (f.hasHelp) throw new ParseError(p.line(), 1, `second HELP line for metric name "${f.name}"`);
      f.hasHelp = true;
    } else if (e === Entry.Series) {
      checkEscapes(p);
      const name = p.metricName();
      const pairs = pairsOf(p);
      let f = fams.get(name);
      let drop = '';
      if (!f) {
        const base = name.replace(/_(sum|count|bucket)$/, '');
        const owner = base !== name ? fams.get(base) : undefined;
        if (owner && (owner.type === 'histogram' || (owner.type === 'summary' && !name.endsWith('_bucket')))) f = owner;
        else f = get(name);
      }
      if (f.type === 'histogram' && name.endsWith('_bucket')) drop = 'le';
      if (f.type === 'summary' && name === f.name) drop = 'quantile';
      addMetric(f, sortedPairs(pairs, drop), f.type === 'histogram' || f.type === 'summary');
    }
  }
  return finish(fams.values());
}

/**
 * Scraping keeps unknown escapes such as `\q` verbatim, but promtool's parser rejects them;
 * `check metrics` follows promtool.
 */
function checkEscapes(p: Parser): void {
  const s = p.series();
  if (s.indexOf('\\') < 0) return;
  for (const m of s.matchAll(/"(?:[^"\\]|\\.)*"/g)) {
    for (const esc of m[0].matchAll(/\\./g)) {
      if (!'\\"n'.includes(esc[0][1])) {
        throw new ParseError(p.line(), m.index + esc.index + 1, `invalid escape sequence "${esc[0]}"`);
      }
    }
  }
}

function pairsOf(p: Parser): string[] {
  const l = p.labels();
  const out: string[] = [];
  l.forEach((n, v) => {
    if (n !== '__name__') out.push(n, v);
  });
  return out;
}

const OM_SUFFIXES: Partial<Record<MetricType, readonly string[]>> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['', '_count', '_sum', '_created'],
  info: ['_info'],
};

/**
 * Groups an OpenMetrics exposition (validated strictly) into families. Counters are linted
 * under their `_total` sample name, as the same counter is named in the text format.
 */
export function familiesFromOpenMetrics(body: Buffer | Uint8Array | string): LintFamily[] {
  const p = new OpenMetricsParser(body, { strict: true });
  const out: Building[] = [];
  let cur: Building | undefined;
  let curType: MetricType = 'unknown';
  const start = (name: string): Building => {
    cur = newFamily(name);
    curType = 'unknown';
    out.push(cur);
    return cur;
  };
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    if (e === Entry.Type || e === Entry.Help || e === Entry.Unit) {
      const name = p.metaName();
      const f = cur && cur.name === name ? cur : start(name);
      if (e === Entry.Help) f.hasHelp = true;
      if (e === Entry.Type) {
        curType = p.type();
        f.type = curType === 'unknown' ? 'untyped' : (curType as LintType);
      }
    } else if (e === Entry.Series) {
      const name = p.metricName();
      const sfx = OM_SUFFIXES[curType] ?? [''];
      const f = cur && name.startsWith(cur.name) && sfx.includes(name.slice(cur.name.length)) ? cur : start(name);
      const isHist = curType === 'histogram' || curType === 'gaugehistogram';
      const drop = isHist && name.endsWith('_bucket') ? 'le' : curType === 'summary' && name === f.name ? 'quantile' : '';
      const merge = curType === 'counter' || isHist || curType === 'summary';
      addMetric(f, sortedPairs(pairsOf(p), drop), merge);
    }
  }
  for (const f of out) if (f.type === 'counter' && !f.name.endsWith('_total')) f.name += '_total';
  return finish(out);
}
