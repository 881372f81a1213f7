/**
 * info(v, {selector}): adds the data labels of matching info series (joined on `instance` and
 * `job`) to each series of v, step by step. Info series are read at the time the base series'
 * samples refer to (its `@` and offsets, including those of enclosing subqueries).
 */
import { LabelsBuilder, METRIC_NAME, type Labels } from '../../model/labels.js';
import { MatchType, Matcher } from '../../model/matcher.js';
import { QueryError } from '../annotations.js';
import type { Evaluator } from '../evaluator.js';
import type { Expr, VectorSelector } from '../parser/ast.js';
import { evalVectorSelector } from '../selectors.js';
import { StepSeries, stepTime, type Grid } from '../series.js';
import type { FuncImpl } from './common.js';

const IDENTIFYING = ['instance', 'job'];

/** Maps step times to the time the base expression's data refers to. */
function dataTimes(ev: Evaluator, base: Expr, g: Grid): Float64Array {
  const out = new Float64Array(g.steps);
  for (let i = 0; i < g.steps; i++) out[i] = stepTime(g, i);
  let e: Expr | null = base;
  while (e) {
    let at: number | null = null;
    let offset = 0;
    let next: Expr | null = null;
    switch (e.type) {
      case 'VectorSelector':
        at = ev.atTime(e.timestamp, e.startOrEnd);
        offset = e.offset;
        break;
      case 'MatrixSelector':
        at = ev.atTime(e.vectorSelector.timestamp, e.vectorSelector.startOrEnd);
        offset = e.vectorSelector.offset;
        break;
      case 'SubqueryExpr':
        at = ev.atTime(e.timestamp, e.startOrEnd);
        offset = e.offset;
        next = e.expr;
        break;
      case 'NumberLiteral':
      case 'StringLiteral':
        break;
      case 'Call':
        next = e.args.find((a) => a.type !== 'NumberLiteral' && a.type !== 'StringLiteral') ?? null;
        break;
      case 'BinaryExpr':
        next = e.lhs;
        break;
      case 'AggregateExpr':
      case 'ParenExpr':
      case 'UnaryExpr':
      case 'StepInvariantExpr':
        next = e.expr;
        break;
    }
    for (let i = 0; i < g.steps; i++) out[i] = (at ?? out[i]) - offset;
    e = next;
  }
  return out;
}

function isNegative(m: Matcher): boolean {
  return m.type === MatchType.NotEqual || m.type === MatchType.NotRegexp;
}

export const infoFunctions: Record<string, FuncImpl> = {
  info: (ev, call, g) => {
    const baseExpr = call.args[0];
    const sel = call.args[1] as VectorSelector | undefined;
    const all = sel?.matchers ?? [];
    let nameMatchers = all.filter((m) => m.name === METRIC_NAME);
    const dataMatchers = all.filter((m) => m.name !== METRIC_NAME);
    if (nameMatchers.length === 0) nameMatchers = [Matcher.equal(METRIC_NAME, 'target_info')];
    else if (nameMatchers.every(isNegative)) nameMatchers = [Matcher.create(MatchType.Regexp, METRIC_NAME, '.+_info'), ...nameMatchers];
    const requireInfo = dataMatchers.some((m) => !m.matchesEmpty());

    const base = ev.evalVector(baseExpr, g).series;
    const infoSel: VectorSelector = {
      type: 'VectorSelector',
      name: '',
      matchers: [...nameMatchers, ...dataMatchers],
      originalOffset: 0,
      originalOffsetExpr: null,
      offset: 0,
      timestamp: null,
      startOrEnd: null,
      anchored: false,
      smoothed: false,
      bypassEmptyMatcherCheck: true,
      posRange: sel?.posRange ?? call.posRange,
    };
    const infos = evalVectorSelector(ev, infoSel, g, true, dataTimes(ev, baseExpr, g), call);
    const byKey = new Map<string, StepSeries[]>();
    const keyOf = (l: Labels): string => JSON.stringify(IDENTIFYING.map((n) => l.get(n)));
    for (const s of infos) {
      const k = keyOf(s.labels);
      const list = byKey.get(k);
      if (list) list.push(s);
      else byKey.set(k, [s]);
    }
    const wanted = dataMatchers.length > 0 ? new Set(dataMatchers.map((m) => m.name)) : null;

    const out: StepSeries[] = [];
    const outByLabels = new Map<string, StepSeries>();
    const b = new LabelsBuilder();
    const chosen = new Map<string, StepSeries>();
    for (const s of base) {
      if (nameMatchers.every((m) => m.matches(s.labels.get(m.name)))) {
        out.push(s);
        continue;
      }
      const candidates = byKey.get(keyOf(s.labels)) ?? [];
      for (let step = 0; step < g.steps; step++) {
        if (!s.present[step]) continue;
        // Per info metric name, the series with the latest sample wins.
        chosen.clear();
        for (const inf of candidates) {
          if (!inf.present[step]) continue;
          const name = inf.labels.metricName();
          const prev = chosen.get(name);
          if (!prev || inf.times![step] > prev.times![step]) chosen.set(name, inf);
        }
        if (chosen.size === 0 && requireInfo) continue;
        b.reset(s.labels);
        const added = new Map<string, string>();
        for (const inf of chosen.values()) {
          inf.labels.forEach((n, v) => {
            if (n === METRIC_NAME || IDENTIFYING.includes(n) || s.labels.has(n)) return;
            if (wanted && !wanted.has(n)) return;
            const prev = added.get(n);
            if (prev !== undefined && prev !== v) {
              throw new QueryError(`conflicting label: ${JSON.stringify(n)} has values ${JSON.stringify(prev)} and ${JSON.stringify(v)} in info series`);
            }
            added.set(n, v);
            b.set(n, v);
          });
        }
        const labels = b.labels();
        const key = `${s.dropName ? 1 : 0}${labels.toString()}`;
        let o = outByLabels.get(key);
        if (!o) {
          o = StepSeries.empty(labels, g.steps, s.dropName);
          outByLabels.set(key, o);
          out.push(o);
        }
        o.values[step] = s.values[step];
        o.present[step] = 1;
      }
    }
    return { kind: 'vector', series: out };
  },
};
