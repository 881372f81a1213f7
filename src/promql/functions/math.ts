/** Elementwise math and trigonometry, clamp*, round, sgn. */
import type { Evaluator } from '../evaluator.js';
import type { Call } from '../parser/ast.js';
import type { EvalValue, Grid } from '../series.js';
import { mapVector, scalarArg, type FuncImpl } from './common.js';

/** A function of two scalar arguments, per step. */
function scalar2(ev: Evaluator, call: Call, g: Grid, fn: (a: number, b: number) => number): EvalValue {
  const a = scalarArg(ev, call.args[0], g);
  const b = scalarArg(ev, call.args[1], g);
  const out = new Float64Array(g.steps);
  for (let i = 0; i < g.steps; i++) out[i] = fn(a[i], b[i]);
  return { kind: 'scalar', values: out };
}

const unary = (fn: (v: number) => number): FuncImpl => (ev, call, g) => mapVector(ev, call, g, fn);

export const mathFunctions: Record<string, FuncImpl> = {
  abs: unary(Math.abs),
  ceil: unary(Math.ceil),
  floor: unary(Math.floor),
  exp: unary(Math.exp),
  sqrt: unary(Math.sqrt),
  ln: unary(Math.log),
  log2: unary(Math.log2),
  log10: unary(Math.log10),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  asin: unary(Math.asin),
  acos: unary(Math.acos),
  atan: unary(Math.atan),
  sinh: unary(Math.sinh),
  cosh: unary(Math.cosh),
  tanh: unary(Math.tanh),
  asinh: unary(Math.asinh),
  acosh: unary(Math.acosh),
  atanh: unary(Math.atanh),
  deg: unary((v) => (v * 180) / Math.PI),
  rad: unary((v) => (v * Math.PI) / 180),
  sgn: unary((v) => (v < 0 ? -1 : v > 0 ? 1 : v)),
  pi: (_ev, _call, g) => ({ kind: 'scalar', values: new Float64Array(g.steps).fill(Math.PI) }),
  min_of: (ev, call, g) => scalar2(ev, call, g, Math.min),
  max_of: (ev, call, g) => scalar2(ev, call, g, Math.max),
  clamp: (ev, call, g) => {
    const lo = scalarArg(ev, call.args[1], g);
    const hi = scalarArg(ev, call.args[2], g);
    const v = mapVector(ev, call, g, (x, i) => Math.max(lo[i], Math.min(hi[i], x)));
    // A step whose max is below its min has no output.
    for (const s of v.series) for (let i = 0; i < g.steps; i++) if (hi[i] < lo[i]) s.present[i] = 0;
    v.series = v.series.filter((s) => s.anyPresent());
    return v;
  },
  clamp_min: (ev, call, g) => {
    const lo = scalarArg(ev, call.args[1], g);
    return mapVector(ev, call, g, (x, i) => Math.max(lo[i], x));
  },
  clamp_max: (ev, call, g) => {
    const hi = scalarArg(ev, call.args[1], g);
    return mapVector(ev, call, g, (x, i) => Math.min(hi[i], x));
  },
  round: (ev, call, g) => {
    const to = call.args.length > 1 ? scalarArg(ev, call.args[1], g) : null;
    return mapVector(ev, call, g, (x, i) => {
      const inv = 1 / (to ? to[i] : 1);
      return Math.floor(x * inv + 0.5) / inv;
    });
  },
};
