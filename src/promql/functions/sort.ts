/** sort, sort_desc, sort_by_label(_desc). Ordering only matters for instant queries. */
import { Labels } from '../../model/labels.js';
import type { StepSeries } from '../series.js';
import { stringArg, type FuncImpl } from './common.js';

/** Natural order as Prometheus's natsort: digit runs compare as integers. Returns a < b. */
export function naturalLess(a: string, b: string): boolean {
  const ca = a.match(/\d+|\D+/g) ?? [];
  const cb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < ca.length; i++) {
    if (i >= cb.length) return false;
    const x = ca[i];
    const y = cb[i];
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    const equal = numeric ? BigInt(x) === BigInt(y) : x === y;
    if (equal) {
      if (i === ca.length - 1) return true;
      if (i === cb.length - 1) return false;
      continue;
    }
    return numeric ? BigInt(x) < BigInt(y) : x < y;
  }
  return false;
}

function byValue(desc: boolean): FuncImpl {
  return (ev, call, g) => {
    const v = ev.evalVector(call.args[0], g);
    if (g.steps !== 1) {
      ev.annotations.warn('sort is ineffective for range queries since results are always ordered by labels', call.posRange);
      return v;
    }
    v.series.sort((a, b) => {
      const x = a.values[0];
      const y = b.values[0];
      // NaN goes last in both directions.
      if (x !== x) return y !== y ? 0 : 1;
      if (y !== y) return -1;
      return desc ? y - x : x - y;
    });
    return v;
  };
}

function byLabel(desc: boolean): FuncImpl {
  return (ev, call, g) => {
    const names: string[] = [];
    for (let i = 1; i < call.args.length; i++) names.push(stringArg(ev, call.args[i], g));
    const v = ev.evalVector(call.args[0], g);
    if (g.steps !== 1) {
      ev.annotations.warn('sort is ineffective for range queries since results are always ordered by labels', call.posRange);
      return v;
    }
    const cmp = (a: StepSeries, b: StepSeries): number => {
      for (const n of names) {
        const x = a.labels.get(n);
        const y = b.labels.get(n);
        if (x === y) continue;
        return naturalLess(x, y) ? -1 : 1;
      }
      return Labels.compare(a.labels, b.labels);
    };
    v.series.sort(desc ? (a, b) => cmp(b, a) : cmp);
    return v;
  };
}

export const sortFunctions: Record<string, FuncImpl> = {
  sort: byValue(false),
  sort_desc: byValue(true),
  sort_by_label: byLabel(false),
  sort_by_label_desc: byLabel(true),
};
