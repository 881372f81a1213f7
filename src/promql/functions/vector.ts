/** vector(), scalar(), absent() and absent_over_time(). */
import { Labels, LabelsBuilder, METRIC_NAME } from '../../model/labels.js';
import { MatchType } from '../../model/matcher.js';
import type { Expr } from '../parser/ast.js';
import { StepSeries } from '../series.js';
import { scalarArg, type FuncImpl } from './common.js';

/**
 * Labels of absent()'s output: the equality matchers of a plain selector argument, except that
 * a label constrained more than once is left out (Prometheus's historic behaviour).
 */
export function absentLabels(arg: Expr): Labels {
  const sel = arg.type === 'VectorSelector' ? arg : arg.type === 'MatrixSelector' ? arg.vectorSelector : null;
  if (!sel) return Labels.EMPTY;
  const b = new LabelsBuilder();
  const has = new Set<string>();
  for (const m of sel.matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === MatchType.Equal && !has.has(m.name)) {
      b.set(m.name, m.value);
      has.add(m.name);
    } else b.del(m.name);
  }
  return b.labels();
}

export const vectorFunctions: Record<string, FuncImpl> = {
  vector: (ev, call, g) => {
    const v = scalarArg(ev, call.args[0], g);
    const s = StepSeries.empty(Labels.EMPTY, g.steps);
    s.values.set(v);
    s.present.fill(1);
    return { kind: 'vector', series: [s] };
  },
  scalar: (ev, call, g) => {
    const series = ev.evalVector(call.args[0], g).series;
    const out = new Float64Array(g.steps);
    for (let i = 0; i < g.steps; i++) {
      let n = 0;
      let v = NaN;
      for (const s of series) {
        if (!s.present[i]) continue;
        n++;
        v = s.values[i];
      }
      out[i] = n === 1 ? v : NaN;
    }
    return { kind: 'scalar', values: out };
  },
  absent: (ev, call, g) => {
    const series = ev.evalVector(call.args[0], g).series;
    const res = StepSeries.empty(absentLabels(call.args[0]), g.steps);
    for (let i = 0; i < g.steps; i++) {
      if (series.some((s) => s.present[i] === 1)) continue;
      res.values[i] = 1;
      res.present[i] = 1;
    }
    return { kind: 'vector', series: res.anyPresent() ? [res] : [] };
  },
  absent_over_time: (ev, call, g) => {
    const seen = new Uint8Array(g.steps);
    ev.forEachRange(call.args[0], g, call.func.name, (s, bases, range) => {
      let lo = 0;
      for (let i = 0; i < g.steps; i++) {
        const end = bases[i];
        if (i > 0 && end < bases[i - 1]) lo = 0;
        while (lo < s.n && s.ts[lo] <= end - range) lo++;
        if (lo < s.n && s.ts[lo] <= end) seen[i] = 1;
      }
    });
    const res = StepSeries.empty(absentLabels(call.args[0]), g.steps);
    for (let i = 0; i < g.steps; i++) {
      if (seen[i]) continue;
      res.values[i] = 1;
      res.present[i] = 1;
    }
    return { kind: 'vector', series: res.anyPresent() ? [res] : [] };
  },
};
