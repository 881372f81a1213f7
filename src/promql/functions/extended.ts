/**
 * The experimental `anchored` and `smoothed` range modifiers. Both add a point at each window
 * edge instead of extrapolating: `anchored` carries the last real sample at or before the window
 * start (within the lookback delta), `smoothed` interpolates linearly between the samples around
 * each edge. Stale markers were already dropped when loading.
 */
import { ANCHORED_FUNCTIONS, SMOOTHED_FUNCTIONS } from '../parser/functions.js';
import { QueryError } from '../annotations.js';
import type { Call, Expr } from '../parser/ast.js';
import type { Kernel, KernelEnv } from './common.js';

export type Mode = 'anchored' | 'smoothed' | null;

export function rangeMode(arg: Expr): Mode {
  while (arg.type === 'ParenExpr') arg = arg.expr;
  if (arg.type !== 'MatrixSelector') return null;
  if (arg.vectorSelector.anchored) return 'anchored';
  if (arg.vectorSelector.smoothed) return 'smoothed';
  return null;
}

/** Rejects functions that the modifier on their range argument does not support. */
export function checkModifier(call: Call): void {
  for (const a of call.args) {
    const mode = rangeMode(a);
    if (!mode) continue;
    const allowed = mode === 'anchored' ? ANCHORED_FUNCTIONS : SMOOTHED_FUNCTIONS;
    if (!allowed.has(call.func.name)) {
      throw new QueryError(`${mode} modifier can only be used with: ${[...allowed].sort().join(', ')} - not with ${call.func.name}`);
    }
  }
}

let xs = new Float64Array(64);
let ys = new Float64Array(64);

/**
 * Linear interpolation between samples a and b at t. For counters a drop means a reset, and
 * the counter is taken to have restarted from zero at a.
 */
export function interpolate(ts: Float64Array, vs: Float64Array, a: number, b: number, t: number, counter: boolean): number {
  const from = counter && vs[b] < vs[a] ? 0 : vs[a];
  return from + ((vs[b] - from) * (t - ts[a])) / (ts[b] - ts[a]);
}

/** Fills xs/ys with the window's points plus edge points; returns their count (0: no result). */
function edgePoints(ts: Float64Array, vs: Float64Array, lo: number, hi: number, env: KernelEnv, mode: Exclude<Mode, null>, counter: boolean): number {
  const start = env.end - env.range;
  const end = env.end;
  const delta = env.ev.lookbackDelta;
  const before = lo - 1 >= 0 && ts[lo - 1] > start - delta ? lo - 1 : -1;
  let first: number;
  let last: number;
  if (mode === 'anchored') {
    if (hi === lo) return 0;
    first = before >= 0 ? vs[before] : vs[lo];
    last = vs[hi - 1];
  } else {
    const after = hi < env.n && ts[hi] <= end + delta ? hi : -1;
    if (hi === lo && (before < 0 || after < 0)) return 0;
    // The sample following the start edge is the first in the window, or `after` if none.
    const next = hi > lo ? lo : after;
    first = before >= 0 ? interpolate(ts, vs, before, next, start, counter) : vs[lo];
    const prev = hi > lo ? hi - 1 : before;
    last = after >= 0 ? interpolate(ts, vs, prev, after, end, counter) : vs[prev];
  }
  const n = hi - lo + 2;
  if (xs.length < n) {
    xs = new Float64Array(n * 2);
    ys = new Float64Array(n * 2);
  }
  xs[0] = start;
  ys[0] = first;
  for (let i = lo; i < hi; i++) {
    xs[i - lo + 1] = ts[i];
    ys[i - lo + 1] = vs[i];
  }
  xs[n - 1] = end;
  ys[n - 1] = last;
  return n;
}

export type EdgeFunc = 'increase' | 'rate' | 'delta' | 'changes' | 'resets';

export function edgeKernel(fn: EdgeFunc, mode: Exclude<Mode, null>): Kernel {
  return (ts, vs, lo, hi, env) => {
    const n = edgePoints(ts, vs, lo, hi, env, mode, fn === 'increase' || fn === 'rate');
    if (n === 0) return undefined;
    switch (fn) {
      case 'delta':
        return ys[n - 1] - ys[0];
      case 'increase':
      case 'rate': {
        let inc = ys[n - 1] - ys[0];
        for (let i = 1; i < n; i++) if (ys[i] < ys[i - 1]) inc += ys[i - 1];
        return fn === 'rate' ? inc / (env.range / 1000) : inc;
      }
      case 'changes':
      case 'resets': {
        let c = 0;
        for (let i = 1; i < n; i++) {
          const a = ys[i - 1];
          const b = ys[i];
          if (fn === 'resets' ? b < a : b !== a && !(a !== a && b !== b)) c++;
        }
        return c;
      }
    }
  };
}
