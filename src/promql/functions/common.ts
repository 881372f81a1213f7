/** Shared shapes for function implementations: per-series maps and windowed range kernels. */
import { Labels } from '../../model/labels.js';
import { QueryError } from '../annotations.js';
import type { Evaluator } from '../evaluator.js';
import type { Call, Expr } from '../parser/ast.js';
import { exprType } from '../parser/ast.js';
import { StepSeries, type EvalValue, type Grid, type VectorValue } from '../series.js';

export type FuncImpl = (ev: Evaluator, call: Call, g: Grid) => EvalValue;

/** Applies `fn` to every present value of the vector argument `argIndex` (default 0). */
export function mapVector(
  ev: Evaluator,
  call: Call,
  g: Grid,
  fn: (v: number, step: number) => number,
  dropName = true,
): VectorValue {
  const v = ev.evalVector(call.args[0], g);
  for (const s of v.series) {
    const vals = s.values;
    for (let i = 0; i < vals.length; i++) if (s.present[i]) vals[i] = fn(vals[i], i);
    if (dropName) ev.dropName(s);
  }
  return v;
}

/** Scalar argument values per step. */
export function scalarArg(ev: Evaluator, e: Expr, g: Grid): Float64Array {
  return ev.evalScalar(e, g).values;
}

export function stringArg(ev: Evaluator, e: Expr, g: Grid): string {
  const v = ev.eval(e, g);
  if (v.kind !== 'string') throw new QueryError(`expected string, got ${v.kind}`);
  return v.value;
}

/** What a range kernel sees besides the window itself. */
export interface KernelEnv {
  ev: Evaluator;
  step: number;
  /** The step's evaluation time (before offset/@). */
  stepT: number;
  /** End of the window (inclusive); the window is (end - range, end]. */
  end: number;
  range: number;
  /** Scalar arguments per step, in argument order (the range argument excluded). */
  params: Float64Array[];
  /** Number of samples loaded for the series (samples beyond the window exist for anchored/smoothed). */
  n: number;
  labels: Labels;
  call: Call;
}

/** Computes a value from samples [lo, hi) of a window, or undefined for no output. */
export type Kernel = (ts: Float64Array, vs: Float64Array, lo: number, hi: number, env: KernelEnv) => number | undefined;

export interface RangeFuncOptions {
  keepName?: boolean;
  /** Also call the kernel for windows without samples. */
  callEmpty?: boolean;
  /** Called once per output series that produced at least one value. */
  onSeries?: (labels: Labels, env: KernelEnv) => void;
}

/** Runs a kernel over every step window of the range argument. */
export function rangeFunc(ev: Evaluator, call: Call, g: Grid, kernel: Kernel, opts: RangeFuncOptions = {}): VectorValue {
  let rangeIdx = 0;
  const params: Float64Array[] = [];
  for (let a = 0; a < call.args.length; a++) {
    if (exprType(call.args[a]) === 'matrix') rangeIdx = a;
  }
  for (let a = 0; a < call.args.length; a++) {
    if (a !== rangeIdx && exprType(call.args[a]) === 'scalar') params.push(scalarArg(ev, call.args[a], g));
  }
  const out: StepSeries[] = [];
  const env: KernelEnv = { ev, step: 0, stepT: 0, end: 0, range: 0, params, n: 0, labels: Labels.EMPTY, call };
  let held = 0;
  let touched = 0;
  const callEmpty = opts.callEmpty === true;
  const firstNew = ev.firstNewStep(call, g);
  const perStep = ev.stepCounts(g);
  const start = g.start;
  const interval = g.interval;
  ev.forEachRange(call.args[rangeIdx], g, call.func.name, (s, bases, range) => {
    const res = StepSeries.empty(s.labels, g.steps, s.dropName);
    const ts = s.ts;
    const vs = s.vs;
    const n = s.n;
    const values = res.values;
    const present = res.present;
    env.labels = s.labels;
    env.range = range;
    env.n = n;
    let lo = 0;
    let hi = 0;
    let any = false;
    for (let i = 0; i < g.steps; i++) {
      const end = bases[i];
      if (i > 0 && end < bases[i - 1]) lo = hi = 0;
      const from = end - range;
      while (lo < n && ts[lo] <= from) lo++;
      if (hi < lo) hi = lo;
      while (hi < n && ts[hi] <= end) hi++;
      if (hi === lo && !callEmpty) continue;
      if (hi - lo > held) held = hi - lo;
      env.step = i;
      env.stepT = start + i * interval;
      env.end = end;
      const v = kernel(ts, vs, lo, hi, env);
      if (v === undefined) continue;
      values[i] = v;
      present[i] = 1;
      any = true;
      if (i >= firstNew) touched += hi - lo;
      if (perStep) perStep[i] += hi - lo;
    }
    if (!any) return;
    if (!opts.keepName) ev.dropName(res);
    opts.onSeries?.(s.labels, env);
    out.push(res);
  });
  ev.account(call, g, touched, held, false);
  return { kind: 'vector', series: out };
}
