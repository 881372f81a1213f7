/**
 * The OpenMetrics 1.0 rules beyond the grammar: families are contiguous and unique, sample
 * names carry the suffixes of their family's type, metric points are not interleaved and
 * their timestamps never go back, counters/histograms/summaries hold sane values, histogram
 * buckets are sorted and cumulative with a +Inf bucket, and exemplars appear only where
 * allowed. Fed one entry at a time by the OpenMetrics parser in strict mode.
 */
import type { MetricType } from '../model/value.js';
import { ParseError } from './types.js';

const REAL_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const EXEMPLAR_MAX_CODE_POINTS = 128;

function suffixes(t: MetricType): readonly string[] {
  switch (t) {
    case 'counter':
      return ['_total', '_created'];
    case 'histogram':
      return ['_bucket', '_count', '_sum', '_created'];
    case 'gaugehistogram':
      return ['_bucket', '_gcount', '_gsum'];
    case 'summary':
      return ['', '_count', '_sum', '_created'];
    case 'info':
      return ['_info'];
    default:
      return [''];
  }
}

interface Family {
  name: string;
  type: MetricType;
  seen: Set<string>;
  unit: string;
  sawSample: boolean;
  doneMetrics: Set<string>;
}

interface Bucket {
  le: number;
  v: number;
  line: number;
}

interface Point {
  firstLine: number;
  buckets: Bucket[];
  sum?: { v: number; line: number };
  count?: { v: number; line: number };
  total: boolean;
}

export interface ExemplarFacts {
  /** Code points in the exemplar's label names and values together. */
  labelCodePoints: number;
}

const err = (line: number, reason: string): never => {
  throw new ParseError(line, 1, reason);
};

export class OpenMetricsValidator {
  private families = new Set<string>();
  /** Sample name -> the family that may produce it. */
  private claims = new Map<string, string>();
  private fam: Family | undefined;
  private metricKey: string | undefined;
  private metricHasTs = false;
  private lastTs = -Infinity;
  private point: Point | undefined;

  meta(kind: 'TYPE' | 'HELP' | 'UNIT', name: string, value: string, line: number): void {
    let fam = this.fam;
    if (!fam || fam.name !== name) fam = this.startFamily(name, line);
    else if (fam.sawSample) err(line, `${kind} line for "${name}" after its samples`);
    if (fam.seen.has(kind)) err(line, `second ${kind} line for "${name}"`);
    fam.seen.add(kind);
    if (kind === 'TYPE') {
      fam.type = value as MetricType;
      this.claimSamples(fam, line);
      if (fam.unit !== '' && (fam.type === 'info' || fam.type === 'stateset')) err(line, `${fam.type} metrics must not have a unit`);
    } else if (kind === 'UNIT') {
      if (value !== '' && (fam.type === 'info' || fam.type === 'stateset')) err(line, `${fam.type} metrics must not have a unit`);
      fam.unit = value;
    }
  }

  sample(name: string, pairs: readonly string[], value: number, tsSec: number | undefined, ex: ExemplarFacts | undefined, line: number): void {
    let fam = this.fam;
    if (fam && name === fam.name && !this.belongs(fam, name)) err(line, `sample "${name}" does not fit ${fam.type} family "${name}"`);
    if (!fam || !this.belongs(fam, name)) fam = this.startFamily(name, line);
    fam.sawSample = true;
    const suffix = name.slice(fam.name.length);
    const t = fam.type;
    const get = (ln: string): string | undefined => {
      for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === ln) return pairs[i + 1];
      return undefined;
    };
    for (let i = 0; i < pairs.length; i += 2) {
      for (let j = i + 2; j < pairs.length; j += 2) if (pairs[i] === pairs[j]) err(line, `duplicate label name "${pairs[i]}"`);
    }

    let keyExclude = '';
    const isHist = t === 'histogram' || t === 'gaugehistogram';
    const exemplarOk = (t === 'counter' && suffix === '_total') || (isHist && suffix === '_bucket');
    if (ex && !exemplarOk) err(line, 'exemplars are only allowed on counter totals and histogram buckets');
    if (ex && ex.labelCodePoints > EXEMPLAR_MAX_CODE_POINTS) {
      err(line, `exemplar labels exceed ${EXEMPLAR_MAX_CODE_POINTS} code points`);
    }

    const nonNegative = (what: string): void => {
      if (Number.isNaN(value)) err(line, `${what} must not be NaN`);
      if (value < 0) err(line, `${what} must not be negative`);
    };
    let bucket: Bucket | undefined;
    if (t === 'counter') {
      if (suffix === '_total') nonNegative('counter total');
    } else if (isHist) {
      const le = get('le');
      if (suffix === '_bucket') {
        if (le === undefined) err(line, 'histogram bucket without an "le" label');
        if (!(le === '+Inf' || REAL_NUMBER.test(le!))) err(line, `invalid "le" value "${le}"`);
        nonNegative('bucket value');
        if (!Number.isInteger(value)) err(line, 'bucket values must be integers');
        bucket = { le: le === '+Inf' ? Infinity : Number(le), v: value, line };
        keyExclude = 'le';
      } else {
        if (le !== undefined) err(line, `only _bucket samples may have an "le" label`);
        if (suffix === '_count' || suffix === '_gcount') {
          nonNegative('count');
          if (!Number.isInteger(value)) err(line, 'count must be an integer');
        } else if (suffix === '_sum') nonNegative('sum');
        else if (suffix === '_gsum' && Number.isNaN(value)) err(line, 'gsum must not be NaN');
      }
    } else if (t === 'summary') {
      const q = get('quantile');
      if (suffix === '') {
        if (q === undefined) err(line, 'summary quantile sample without a "quantile" label');
        if (!REAL_NUMBER.test(q!) || Number(q) < 0 || Number(q) > 1) err(line, `invalid quantile "${q}"`);
        if (value < 0) err(line, 'quantile values must not be negative');
        keyExclude = 'quantile';
      } else {
        if (q !== undefined) err(line, `only quantile samples may have a "quantile" label`);
        if (suffix === '_count') {
          nonNegative('count');
          if (!Number.isInteger(value)) err(line, 'count must be an integer');
        } else if (suffix === '_sum') nonNegative('sum');
      }
    } else if (t === 'stateset') {
      if (get(fam.name) === undefined) err(line, `stateset sample without a "${fam.name}" label`);
      if (value !== 0 && value !== 1) err(line, 'stateset values must be 0 or 1');
      keyExclude = fam.name;
    } else if (t === 'info') {
      if (value !== 1) err(line, 'info values must be 1');
    }

    const kv: string[] = [];
    for (let i = 0; i < pairs.length; i += 2) if (pairs[i] !== keyExclude) kv.push(`${pairs[i]}\u0000${pairs[i + 1]}`);
    this.trackMetric(fam, kv.sort().join('\u0001'), tsSec, line);

    const pt = this.point!;
    if (bucket) {
      const prev = pt.buckets[pt.buckets.length - 1];
      if (prev && !(bucket.le > prev.le)) err(line, 'buckets must be sorted by "le" without duplicates');
      if (prev && bucket.v < prev.v) err(line, 'bucket values must be cumulative');
      pt.buckets.push(bucket);
    } else if (suffix === '_sum' || suffix === '_gsum') pt.sum = { v: value, line };
    else if (suffix === '_count' || suffix === '_gcount') pt.count = { v: value, line };
    else if (suffix === '_total') pt.total = true;
  }

  end(): void {
    this.finishFamily();
  }

  private belongs(fam: Family, name: string): boolean {
    if (!name.startsWith(fam.name)) return false;
    return suffixes(fam.type).includes(name.slice(fam.name.length));
  }

  private startFamily(name: string, line: number): Family {
    this.finishFamily();
    if (this.families.has(name)) err(line, `metric family "${name}" appears twice (families must not be interleaved)`);
    const owner = this.claims.get(name);
    if (owner !== undefined) err(line, `"${name}" clashes with the samples of metric family "${owner}"`);
    const fam: Family = { name, type: 'unknown', seen: new Set(), unit: '', sawSample: false, doneMetrics: new Set() };
    this.families.add(name);
    this.claims.set(name, name);
    this.fam = fam;
    return fam;
  }

  private claimSamples(fam: Family, line: number): void {
    for (const s of suffixes(fam.type)) {
      const owner = this.claims.get(fam.name + s);
      if (owner !== undefined && owner !== fam.name) {
        err(line, `samples of "${fam.name}" would clash with metric family "${owner}"`);
      }
      this.claims.set(fam.name + s, fam.name);
    }
  }

  private trackMetric(fam: Family, key: string, tsSec: number | undefined, line: number): void {
    if (key !== this.metricKey) {
      this.finishPoint();
      if (fam.doneMetrics.has(key)) err(line, 'metrics of one family must not be interleaved');
      if (this.metricKey !== undefined) fam.doneMetrics.add(this.metricKey);
      this.metricKey = key;
      this.metricHasTs = tsSec !== undefined;
      this.lastTs = -Infinity;
      this.point = undefined;
    } else if ((tsSec !== undefined) !== this.metricHasTs) {
      err(line, 'a metric must not mix samples with and without timestamps');
    }
    if (tsSec !== undefined) {
      if (tsSec < this.lastTs) err(line, 'timestamps of a metric must not go backwards');
      if (tsSec !== this.lastTs) this.finishPoint();
      this.lastTs = tsSec;
    }
    this.point ??= { firstLine: line, buckets: [], total: false };
  }

  private finishPoint(): void {
    const pt = this.point;
    const fam = this.fam;
    this.point = undefined;
    if (!pt || !fam) return;
    if (fam.type === 'histogram' || fam.type === 'gaugehistogram') {
      const b = pt.buckets;
      if (b.length === 0) err(pt.firstLine, 'histogram metric point without buckets');
      const inf = b[b.length - 1];
      if (inf.le !== Infinity) err(inf.line, 'histogram metric point without a +Inf bucket');
      const negative = b[0].le < 0;
      if (fam.type === 'histogram' && negative && pt.sum) err(pt.sum.line, 'histograms with negative buckets must not have a _sum');
      if (fam.type === 'gaugehistogram' && !negative && pt.sum && pt.sum.v < 0) {
        err(pt.sum.line, '_gsum must not be negative without negative buckets');
      }
      if (!pt.sum !== !pt.count) err((pt.sum ?? pt.count)!.line, 'sum and count must be exposed together');
      if (pt.count && pt.count.v !== inf.v) err(pt.count.line, 'count must equal the +Inf bucket');
    } else if (fam.type === 'counter' && !pt.total) {
      err(pt.firstLine, 'counter metric point without a _total sample');
    }
  }

  private finishFamily(): void {
    this.finishPoint();
    if (this.fam && this.metricKey !== undefined) this.fam.doneMetrics.add(this.metricKey);
    this.metricKey = undefined;
  }
}
