/**
 * Subqueries: the inner expression is evaluated on its own grid, aligned to absolute multiples
 * of the subquery step, covering every outer window; each outer step then reads its window.
 */
import type { SubqueryExpr } from './parser/ast.js';
import { QueryError } from './annotations.js';
import type { Evaluator } from './evaluator.js';
import { selectorTimes } from './selectors.js';
import { makeGrid, stepTime, type Grid, type RawSeries } from './series.js';

/** End of each outer step's window: the `@` time or step time, minus the offset. */
export function subqueryBases(ev: Evaluator, sq: SubqueryExpr, g: Grid): Float64Array {
  return selectorTimes(ev, sq, g);
}

export function subqueryStep(ev: Evaluator, sq: SubqueryExpr): number {
  return sq.step > 0 ? sq.step : ev.opts.subqueryStep(sq.range);
}

/** Series of the inner expression on the aligned inner grid, as raw samples. */
export function evalSubquery(ev: Evaluator, sq: SubqueryExpr, bases: Float64Array): RawSeries[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < bases.length; i++) {
    if (bases[i] < lo) lo = bases[i];
    if (bases[i] > hi) hi = bases[i];
  }
  const step = subqueryStep(ev, sq);
  if (step <= 0) throw new QueryError('subquery step must be positive');
  const first = lo - sq.range;
  let start = step * Math.floor(first / step);
  if (start <= first) start += step;
  if (start > hi) return [];
  const inner = makeGrid(start, hi, step);
  const v = ev.eval(sq.expr, inner);
  if (v.kind !== 'vector') throw new QueryError(`subquery is only allowed on instant vector, got ${v.kind}`);
  const out: RawSeries[] = [];
  let held = 0;
  const firstNew = ev.firstNewStep(sq, inner);
  for (const s of v.series) {
    let n = 0;
    for (let i = 0; i < inner.steps; i++) if (s.present[i]) n++;
    for (let i = firstNew; i < inner.steps; i++) held += s.present[i];
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    let j = 0;
    for (let i = 0; i < inner.steps; i++) {
      if (!s.present[i]) continue;
      ts[j] = stepTime(inner, i);
      vs[j] = s.values[i];
      j++;
    }
    out.push({ labels: s.labels, dropName: s.dropName, ts, vs, n });
  }
  ev.account(sq, inner, 0, held, true);
  return out;
}
