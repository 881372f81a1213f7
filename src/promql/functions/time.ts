/** time(), timestamp(), the calendar functions and the query-shape functions start/end/range/step. */
import { Labels } from '../../model/labels.js';
import { evalVectorSelector } from '../selectors.js';
import { StepSeries, stepTime } from '../series.js';
import { mapVector, type FuncImpl } from './common.js';
import { daysInMonth, goCalendar, type Calendar } from './gotime.js';

function calendar(fn: (c: Calendar) => number): FuncImpl {
  const apply = (v: number): number => fn(goCalendar(v));
  return (ev, call, g) => {
    if (call.args.length === 0) {
      const s = StepSeries.empty(Labels.EMPTY, g.steps);
      for (let i = 0; i < g.steps; i++) {
        s.values[i] = apply(stepTime(g, i) / 1000);
        s.present[i] = 1;
      }
      return { kind: 'vector', series: [s] };
    }
    return mapVector(ev, call, g, apply);
  };
}

const scalarOf = (f: (i: number) => number): FuncImpl => (_ev, _call, g) => {
  const out = new Float64Array(g.steps);
  for (let i = 0; i < g.steps; i++) out[i] = f(i);
  return { kind: 'scalar', values: out };
};

export const timeFunctions: Record<string, FuncImpl> = {
  time: (ev, call, g) => scalarOf((i) => stepTime(g, i) / 1000)(ev, call, g),
  start: (ev, call, g) => scalarOf(() => ev.queryStart / 1000)(ev, call, g),
  end: (ev, call, g) => scalarOf(() => ev.queryEnd / 1000)(ev, call, g),
  range: (ev, call, g) => scalarOf(() => (ev.queryEnd - ev.queryStart) / 1000)(ev, call, g),
  step: (ev, call, g) => scalarOf(() => ev.queryStep / 1000)(ev, call, g),
  timestamp: (ev, call, g) => {
    let arg = call.args[0];
    while (arg.type === 'ParenExpr' || arg.type === 'StepInvariantExpr') arg = arg.expr;
    if (arg.type === 'VectorSelector') {
      // A selector's samples keep their own timestamps rather than the step time.
      const series = evalVectorSelector(ev, arg, g, true);
      for (const s of series) {
        for (let i = 0; i < g.steps; i++) if (s.present[i]) s.values[i] = s.times![i] / 1000;
        s.times = null;
        ev.dropName(s);
      }
      return { kind: 'vector', series };
    }
    return mapVector(ev, call, g, (_v, i) => stepTime(g, i) / 1000);
  },
  day_of_month: calendar((c) => c.day),
  day_of_week: calendar((c) => c.weekday),
  day_of_year: calendar((c) => c.yearDay),
  days_in_month: calendar(daysInMonth),
  hour: calendar((c) => c.hour),
  minute: calendar((c) => c.minute),
  month: calendar((c) => c.month),
  year: calendar((c) => c.year),
};
