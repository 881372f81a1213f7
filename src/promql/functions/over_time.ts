/** The `*_over_time` family and double_exponential_smoothing. */
import { QueryError } from '../annotations.js';
import { kahanInc, quantile } from '../aggregations.js';
import { formatValue } from '../value.js';
import { rangeFunc, type FuncImpl, type Kernel } from './common.js';

const comp = new Float64Array(4);

const sumOverTime: Kernel = (_ts, vs, lo, hi) => {
  comp[0] = 0;
  let sum = 0;
  for (let i = lo; i < hi; i++) sum = kahanInc(vs[i], sum, comp, 0);
  return sum + comp[0];
};

/** Direct mean with compensation, switching to an incremental mean if the sum would overflow. */
const avgOverTime: Kernel = (_ts, vs, lo, hi) => {
  let sum = vs[lo];
  let mean = 0;
  comp[0] = 0;
  let incremental = false;
  for (let i = lo + 1; i < hi; i++) {
    const count = i - lo + 1;
    const f = vs[i];
    if (!incremental) {
      const before = comp[0];
      const t = kahanInc(f, sum, comp, 0);
      if (t !== Infinity && t !== -Infinity) {
        sum = t;
        continue;
      }
      comp[0] = before;
      incremental = true;
      mean = sum / (count - 1);
      comp[0] /= count - 1;
    }
    const q = (count - 1) / count;
    comp[0] *= q;
    mean = kahanInc(f / count, q * mean, comp, 0);
  }
  const n = hi - lo;
  return incremental ? mean + comp[0] : sum / n + comp[0] / n;
};

const maxOverTime: Kernel = (_ts, vs, lo, hi) => {
  let m = vs[lo];
  for (let i = lo + 1; i < hi; i++) if (vs[i] > m || m !== m) m = vs[i];
  return m;
};

const minOverTime: Kernel = (_ts, vs, lo, hi) => {
  let m = vs[lo];
  for (let i = lo + 1; i < hi; i++) if (vs[i] < m || m !== m) m = vs[i];
  return m;
};

/** Variance by Welford's method with compensated sums. */
function variance(vs: Float64Array, lo: number, hi: number): number {
  let count = 0;
  let mean = 0;
  let aux = 0;
  comp[0] = comp[1] = 0;
  for (let i = lo; i < hi; i++) {
    const f = vs[i];
    count++;
    const delta = f - (mean + comp[0]);
    mean = kahanInc(delta / count, mean, comp, 0);
    aux = kahanInc(delta * (f - (mean + comp[0])), aux, comp, 1);
  }
  return (aux + comp[1]) / count;
}

let scratch = new Float64Array(64);
function windowCopy(vs: Float64Array, lo: number, hi: number): Float64Array {
  const n = hi - lo;
  if (scratch.length < n) scratch = new Float64Array(n * 2);
  const out = scratch.subarray(0, n);
  out.set(vs.subarray(lo, hi));
  return out;
}

const quantileOverTime: Kernel = (_ts, vs, lo, hi, env) => {
  const q = env.params[0][env.step];
  if (!(q >= 0 && q <= 1)) {
    env.ev.annotations.warn(`quantile value should be between 0 and 1, got ${formatValue(q)}`, env.call.args[0].posRange);
  }
  return quantile(q, windowCopy(vs, lo, hi));
};

const madOverTime: Kernel = (_ts, vs, lo, hi) => {
  // A NaN sample makes the deviation undefined rather than being sorted aside.
  for (let i = lo; i < hi; i++) if (vs[i] !== vs[i]) return NaN;
  const w = windowCopy(vs, lo, hi);
  const median = quantile(0.5, w);
  for (let i = 0; i < w.length; i++) w[i] = Math.abs(w[i] - median);
  return quantile(0.5, w);
};

/** Timestamp of the last sample holding the extreme value (max when sign=1, min when -1). */
function tsOfExtreme(sign: number): Kernel {
  return (ts, vs, lo, hi) => {
    let m = vs[lo];
    let t = ts[lo];
    for (let i = lo + 1; i < hi; i++) {
      const v = vs[i];
      if ((sign > 0 ? v >= m : v <= m) || m !== m) {
        m = v;
        t = ts[i];
      }
    }
    return t / 1000;
  };
}

function calcTrend(i: number, tf: number, s0: number, s1: number, b: number): number {
  if (i === 0) return b;
  return tf * (s1 - s0) + (1 - tf) * b;
}

/** Go's %f: six decimals. */
function goF(v: number): string {
  return v !== v ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : v.toFixed(6);
}

const doubleExponentialSmoothing: Kernel = (_ts, vs, lo, hi, env) => {
  const sf = env.params[0][env.step];
  const tf = env.params[1][env.step];
  if (!(sf > 0 && sf < 1)) throw new QueryError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${goF(sf)}`);
  if (!(tf > 0 && tf < 1)) throw new QueryError(`invalid trend factor. Expected: 0 < tf < 1, got: ${goF(tf)}`);
  if (hi - lo < 2) return undefined;
  let s0 = 0;
  let s1 = vs[lo];
  let b = vs[lo + 1] - vs[lo];
  for (let i = lo + 1; i < hi; i++) {
    const x = sf * vs[i];
    b = calcTrend(i - lo - 1, tf, s0, s1, b);
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
};

const simple = (k: Kernel, keepName = false): FuncImpl => (ev, call, g) => rangeFunc(ev, call, g, k, { keepName });

export const overTimeFunctions: Record<string, FuncImpl> = {
  sum_over_time: simple(sumOverTime),
  avg_over_time: simple(avgOverTime),
  count_over_time: simple((_ts, _vs, lo, hi) => hi - lo),
  max_over_time: simple(maxOverTime),
  min_over_time: simple(minOverTime),
  last_over_time: simple((_ts, vs, _lo, hi) => vs[hi - 1], true),
  first_over_time: simple((_ts, vs, lo) => vs[lo], true),
  present_over_time: simple(() => 1),
  stddev_over_time: simple((_ts, vs, lo, hi) => Math.sqrt(variance(vs, lo, hi))),
  stdvar_over_time: simple((_ts, vs, lo, hi) => variance(vs, lo, hi)),
  quantile_over_time: simple(quantileOverTime),
  mad_over_time: simple(madOverTime),
  ts_of_last_over_time: simple((ts, _vs, _lo, hi) => ts[hi - 1] / 1000),
  ts_of_first_over_time: simple((ts, _vs, lo) => ts[lo] / 1000),
  ts_of_max_over_time: simple(tsOfExtreme(1)),
  ts_of_min_over_time: simple(tsOfExtreme(-1)),
  double_exponential_smoothing: simple(doubleExponentialSmoothing),
};
