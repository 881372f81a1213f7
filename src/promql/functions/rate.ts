/** rate, increase, delta (extrapolated), irate, idelta, deriv, predict_linear, changes, resets. */
import { kahanInc } from '../aggregations.js';
import type { Call } from '../parser/ast.js';
import { rangeFunc, type FuncImpl, type Kernel } from './common.js';
import { edgeKernel, rangeMode, type EdgeFunc } from './extended.js';

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

/**
 * Prometheus's extrapolation: the increase between the first and last sample in the window
 * is extended towards the window edges when samples sit close enough to them (within 110%
 * of the average interval), else by half an interval; counters never extrapolate below zero.
 */
function extrapolated(isCounter: boolean, isRate: boolean): Kernel {
  return (ts, vs, lo, hi, env) => {
    const n = hi - lo;
    if (n < 2) return undefined;
    const first = vs[lo];
    const firstT = ts[lo];
    const lastT = ts[hi - 1];
    let result = vs[hi - 1] - first;
    if (isCounter) {
      let prev = first;
      for (let i = lo + 1; i < hi; i++) {
        const cur = vs[i];
        if (cur < prev) result += prev;
        prev = cur;
      }
    }
    const rangeStart = env.end - env.range;
    let durationToStart = (firstT - rangeStart) / 1000;
    let durationToEnd = (env.end - lastT) / 1000;
    const sampled = (lastT - firstT) / 1000;
    const avg = sampled / (n - 1);
    const threshold = avg * 1.1;
    if (durationToStart >= threshold) durationToStart = avg / 2;
    if (isCounter && result > 0 && first >= 0) {
      const durationToZero = sampled * (first / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    if (durationToEnd >= threshold) durationToEnd = avg / 2;
    let factor = (sampled + durationToStart + durationToEnd) / sampled;
    if (isRate) factor /= env.range / 1000;
    return result * factor;
  };
}

const edge = {
  anchored: new Map<EdgeFunc, Kernel>(),
  smoothed: new Map<EdgeFunc, Kernel>(),
};
for (const f of ['increase', 'rate', 'delta', 'changes', 'resets'] as const) {
  edge.anchored.set(f, edgeKernel(f, 'anchored'));
  edge.smoothed.set(f, edgeKernel(f, 'smoothed'));
}

/** The plain kernel, or the anchored/smoothed variant the range argument asks for. */
function pick(call: Call, name: EdgeFunc, plain: Kernel): { kernel: Kernel; callEmpty: boolean } {
  const mode = rangeMode(call.args[0]);
  if (!mode) return { kernel: plain, callEmpty: false };
  return { kernel: edge[mode].get(name)!, callEmpty: mode === 'smoothed' };
}

function counterFunc(isRate: boolean): FuncImpl {
  const plain = extrapolated(true, isRate);
  return (ev, call, g) => {
    const { kernel, callEmpty } = pick(call, isRate ? 'rate' : 'increase', plain);
    return rangeFunc(ev, call, g, kernel, {
      callEmpty,
      onSeries: (labels) => {
        const name = labels.metricName();
        if (name === '') return;
        // A declared type (the __type__ label) replaces the guess from the name's suffix.
        const type = labels.get('__type__');
        if (type !== '') {
          if (type !== 'counter' && type !== 'histogram') {
            ev.annotations.info(
              `metric might not be a counter, __type__ label is not set to "counter" or "histogram", got ${JSON.stringify(type)}: ${JSON.stringify(name)}`,
              call.args[0].posRange,
            );
          }
        } else if (!COUNTER_SUFFIXES.some((s) => name.endsWith(s))) {
          ev.annotations.info(
            `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${JSON.stringify(name)}`,
            call.args[0].posRange,
          );
        }
      },
    });
  };
}

const instant =
  (isRate: boolean): Kernel =>
  (ts, vs, lo, hi) => {
    if (hi - lo < 2) return undefined;
    const last = vs[hi - 1];
    const prev = vs[hi - 2];
    const result = isRate && last < prev ? last : last - prev;
    const dt = ts[hi - 1] - ts[hi - 2];
    if (dt === 0) return undefined;
    return isRate ? result / (dt / 1000) : result;
  };

const regScratch = new Float64Array(8);

/** Least-squares fit over the window with x measured in seconds from `interceptT`; slope in regScratch[0], intercept in [1]. */
export function linearRegression(ts: Float64Array, vs: Float64Array, lo: number, hi: number, interceptT: number): void {
  const c = regScratch;
  c[4] = c[5] = c[6] = c[7] = 0;
  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  let sumX2 = 0;
  const initY = vs[lo];
  let constY = true;
  let n = 0;
  for (let i = lo; i < hi; i++) {
    const y = vs[i];
    if (constY && i > lo && y !== initY) constY = false;
    n++;
    const x = (ts[i] - interceptT) / 1000;
    sumX = kahanInc(x, sumX, c, 4);
    sumY = kahanInc(y, sumY, c, 5);
    sumXY = kahanInc(x * y, sumXY, c, 6);
    sumX2 = kahanInc(x * x, sumX2, c, 7);
  }
  if (constY) {
    const inf = initY === Infinity || initY === -Infinity;
    c[0] = inf ? NaN : 0;
    c[1] = inf ? NaN : initY;
    return;
  }
  sumX += c[4];
  sumY += c[5];
  sumXY += c[6];
  sumX2 += c[7];
  const cov = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  c[0] = cov / varX;
  c[1] = sumY / n - (c[0] * sumX) / n;
}

const deriv: Kernel = (ts, vs, lo, hi) => {
  if (hi - lo < 2) return undefined;
  linearRegression(ts, vs, lo, hi, ts[lo]);
  return regScratch[0];
};

const predictLinear: Kernel = (ts, vs, lo, hi, env) => {
  if (hi - lo < 2) return undefined;
  linearRegression(ts, vs, lo, hi, env.stepT);
  return regScratch[0] * env.params[0][env.step] + regScratch[1];
};

const changes: Kernel = (_ts, vs, lo, hi) => {
  let n = 0;
  let prev = vs[lo];
  for (let i = lo + 1; i < hi; i++) {
    const cur = vs[i];
    if (cur !== prev && !(cur !== cur && prev !== prev)) n++;
    prev = cur;
  }
  return n;
};

const resets: Kernel = (_ts, vs, lo, hi) => {
  let n = 0;
  let prev = vs[lo];
  for (let i = lo + 1; i < hi; i++) {
    const cur = vs[i];
    if (cur < prev) n++;
    prev = cur;
  }
  return n;
};

const deltaKernel = extrapolated(false, false);
const irate = instant(true);
const idelta = instant(false);

export const rateFunctions: Record<string, FuncImpl> = {
  rate: counterFunc(true),
  increase: counterFunc(false),
  delta: (ev, call, g) => rangeFunc(ev, call, g, pick(call, 'delta', deltaKernel).kernel, { callEmpty: pick(call, 'delta', deltaKernel).callEmpty }),
  irate: (ev, call, g) => rangeFunc(ev, call, g, irate),
  idelta: (ev, call, g) => rangeFunc(ev, call, g, idelta),
  deriv: (ev, call, g) => rangeFunc(ev, call, g, deriv),
  predict_linear: (ev, call, g) => rangeFunc(ev, call, g, predictLinear),
  changes: (ev, call, g) => rangeFunc(ev, call, g, pick(call, 'changes', changes).kernel),
  resets: (ev, call, g) => rangeFunc(ev, call, g, pick(call, 'resets', resets).kernel),
};
