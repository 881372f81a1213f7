/**
 * Histogram functions over classic (`le`-labelled bucket) histograms. Native histograms are not
 * stored by this engine, so the functions that only read native histograms return nothing.
 */
import { Labels, LabelsBuilder } from '../../model/labels.js';
import type { Evaluator } from '../evaluator.js';
import type { Call } from '../parser/ast.js';
import { StepSeries, type EvalValue, type Grid } from '../series.js';
import { formatValue } from '../value.js';
import { scalarArg, stringArg, type FuncImpl } from './common.js';

const BUCKET_LABEL = 'le';

/** Parses an `le` value as Go's ParseFloat would (Inf, NaN, decimal, hex float). */
export function parseBound(s: string): number {
  const t = s.trim() === s ? s : '';
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t[0] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  return NaN;
}

interface BucketGroup {
  labels: Labels;
  name: string;
  members: number[];
  bounds: number[];
}

/** Groups bucket series by their labels without `le`; reports series with a bad `le`. */
function bucketGroups(ev: Evaluator, call: Call, series: StepSeries[], argIdx: number): BucketGroup[] {
  const byKey = new Map<string, BucketGroup>();
  const groups: BucketGroup[] = [];
  const b = new LabelsBuilder();
  for (let i = 0; i < series.length; i++) {
    const l = series[i].labels;
    const le = l.get(BUCKET_LABEL);
    const bound = parseBound(le);
    if (le === '' || bound !== bound) {
      ev.annotations.warn(
        `bucket label "le" is missing or has a malformed value of ${JSON.stringify(le)} for metric name ${JSON.stringify(l.metricName())}`,
        call.args[argIdx].posRange,
      );
      continue;
    }
    const key = b.reset(l).del(BUCKET_LABEL).labels();
    const k = key.toString();
    let grp = byKey.get(k);
    if (!grp) {
      grp = { labels: key, name: l.metricName(), members: [], bounds: [] };
      byKey.set(k, grp);
      groups.push(grp);
    }
    grp.members.push(i);
    grp.bounds.push(bound);
  }
  return groups;
}

const ubScratch: number[] = [];
const cntScratch: number[] = [];

/** Sorts and coalesces the present buckets of a group at a step into the scratch arrays; returns their count. */
function collect(grp: BucketGroup, series: StepSeries[], step: number): number {
  const idx: number[] = [];
  for (let k = 0; k < grp.members.length; k++) if (series[grp.members[k]].present[step]) idx.push(k);
  idx.sort((a, b) => grp.bounds[a] - grp.bounds[b]);
  let n = 0;
  for (const k of idx) {
    const ub = grp.bounds[k];
    const c = series[grp.members[k]].values[step];
    if (n > 0 && ubScratch[n - 1] === ub) cntScratch[n - 1] += c;
    else {
      ubScratch[n] = ub;
      cntScratch[n] = c;
      n++;
    }
  }
  return n;
}

function almostEqual(a: number, b: number, eps: number): boolean {
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  const minNormal = 2.2250738585072014e-308;
  if (a === 0 || b === 0 || absSum < minNormal) return diff < eps * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < eps;
}

/** Makes counts non-decreasing; returns true when a real decrease had to be removed. */
function ensureMonotonic(n: number): boolean {
  let forced = false;
  let prev = cntScratch[0];
  for (let i = 1; i < n; i++) {
    const cur = cntScratch[i];
    if (cur === prev) continue;
    if (almostEqual(prev, cur, 1e-12)) {
      cntScratch[i] = prev;
      continue;
    }
    if (cur < prev) {
      cntScratch[i] = prev;
      forced = true;
      continue;
    }
    prev = cur;
  }
  return forced;
}

let forcedMonotonic = false;

function bucketQuantile(q: number, n: number): number {
  forcedMonotonic = false;
  if (q !== q) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (n === 0 || ubScratch[n - 1] !== Infinity) return NaN;
  forcedMonotonic = ensureMonotonic(n);
  if (n < 2) return NaN;
  const observations = cntScratch[n - 1];
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < n - 1 && !(cntScratch[b] >= rank)) b++;
  if (b === n - 1) return ubScratch[n - 2];
  if (b === 0 && ubScratch[0] <= 0) return ubScratch[0];
  let start = 0;
  const end = ubScratch[b];
  let count = cntScratch[b];
  if (b > 0) {
    start = ubScratch[b - 1];
    count -= cntScratch[b - 1];
    rank -= cntScratch[b - 1];
  }
  return start + (end - start) * (rank / count);
}

function bucketFraction(lower: number, upper: number, n: number): number {
  if (n === 0 || ubScratch[n - 1] !== Infinity) return NaN;
  ensureMonotonic(n);
  const count = cntScratch[n - 1];
  if (count === 0 || lower !== lower || upper !== upper) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  for (let i = 0; i < n; i++) {
    const lowerBound = i > 0 ? ubScratch[i - 1] : -Infinity;
    const upperBound = ubScratch[i];
    const c = cntScratch[i];
    const interp = (v: number): number => {
      // The first bucket is taken to start at 0 when its upper bound is positive, as for quantiles.
      const lb = i === 0 && upperBound > 0 ? 0 : lowerBound;
      if (lb === -Infinity) return rank;
      return rank + ((c - rank) * (v - lb)) / (upperBound - lb);
    };
    if (!lowerSet && lowerBound >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lowerBound >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lowerBound < lower && upperBound > lower) {
      lowerRank = interp(lower);
      lowerSet = true;
    }
    if (!upperSet && lowerBound < upper && upperBound > upper) {
      upperRank = interp(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = c;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}

function classic(
  ev: Evaluator,
  call: Call,
  g: Grid,
  vecIdx: number,
  compute: (n: number, step: number, grp: BucketGroup) => number,
): EvalValue {
  const series = ev.evalVector(call.args[vecIdx], g).series;
  const groups = bucketGroups(ev, call, series, vecIdx);
  const out: StepSeries[] = [];
  for (const grp of groups) {
    const res = StepSeries.empty(grp.labels, g.steps);
    for (let step = 0; step < g.steps; step++) {
      const n = collect(grp, series, step);
      if (n === 0) continue;
      res.values[step] = compute(n, step, grp);
      res.present[step] = 1;
    }
    if (!res.anyPresent()) continue;
    ev.dropName(res);
    out.push(res);
  }
  return { kind: 'vector', series: out };
}

function quantileWarn(ev: Evaluator, call: Call, q: number, argIdx: number): void {
  if (!(q >= 0 && q <= 1)) {
    ev.annotations.warn(`quantile value should be between 0 and 1, got ${formatValue(q)}`, call.args[argIdx].posRange);
  }
}

function monotonicityInfo(ev: Evaluator, call: Call, name: string): void {
  ev.annotations.info(
    `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name ${JSON.stringify(name)}`,
    call.args[1].posRange,
  );
}

/** Functions that read only native histograms: float input yields no output. */
const nativeOnly: FuncImpl = (ev, call, g) => {
  ev.evalVector(call.args[0], g);
  return { kind: 'vector', series: [] };
};

export const histogramFunctions: Record<string, FuncImpl> = {
  histogram_quantile: (ev, call, g) => {
    const q = scalarArg(ev, call.args[0], g);
    return classic(ev, call, g, 1, (n, step, grp) => {
      quantileWarn(ev, call, q[step], 0);
      const v = bucketQuantile(q[step], n);
      if (forcedMonotonic) monotonicityInfo(ev, call, grp.name);
      return v;
    });
  },
  histogram_quantiles: (ev, call, g) => {
    const label = stringArg(ev, call.args[1], g);
    const qs: Float64Array[] = [];
    for (let i = 2; i < call.args.length; i++) qs.push(scalarArg(ev, call.args[i], g));
    const series = ev.evalVector(call.args[0], g).series;
    const groups = bucketGroups(ev, call, series, 0);
    const out: StepSeries[] = [];
    const b = new LabelsBuilder();
    for (let qi = 0; qi < qs.length; qi++) {
      const q = qs[qi];
      for (const grp of groups) {
        const res = StepSeries.empty(b.reset(grp.labels).set(label, formatValue(q[0])).labels(), g.steps);
        for (let step = 0; step < g.steps; step++) {
          quantileWarn(ev, call, q[step], qi + 2);
          const n = collect(grp, series, step);
          if (n === 0) continue;
          res.values[step] = bucketQuantile(q[step], n);
          res.present[step] = 1;
        }
        if (!res.anyPresent()) continue;
        ev.dropName(res);
        out.push(res);
      }
    }
    return { kind: 'vector', series: out };
  },
  histogram_fraction: (ev, call, g) => {
    const lo = scalarArg(ev, call.args[0], g);
    const hi = scalarArg(ev, call.args[1], g);
    return classic(ev, call, g, 2, (n, step) => bucketFraction(lo[step], hi[step], n));
  },
  histogram_count: nativeOnly,
  histogram_sum: nativeOnly,
  histogram_avg: nativeOnly,
  histogram_stddev: nativeOnly,
  histogram_stdvar: nativeOnly,
};
