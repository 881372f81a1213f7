/**
 * Instant and range vector selectors over the storage Querier.
 * Windows are left-open as in Prometheus 3: lookback `(t - delta, t]`, ranges `(t - range, t]`.
 */
import { Labels } from '../model/labels.js';
import { isStaleNaN } from '../model/value.js';
import { ValueType, type SampleIterator, type SelectHints } from '../storage/interface.js';
import type { MatrixSelector, VectorSelector } from './parser/ast.js';
import { SampleBuffer, StepSeries, stepTime, type Grid, type RawSeries } from './series.js';
import type { Evaluator } from './evaluator.js';

/** The time each step reads at: the `@` time or the step time, minus the offset. */
export function selectorTimes(ev: Evaluator, sel: { timestamp: number | null; startOrEnd: 'start' | 'end' | null; offset: number }, g: Grid): Float64Array {
  const out = new Float64Array(g.steps);
  const at = ev.atTime(sel.timestamp, sel.startOrEnd);
  for (let i = 0; i < g.steps; i++) out[i] = (at ?? stepTime(g, i)) - sel.offset;
  return out;
}

function minMax(a: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < lo) lo = a[i];
    if (a[i] > hi) hi = a[i];
  }
  return [lo, hi];
}

/** `bases` (non-decreasing) overrides the time each step reads at. */
export function evalVectorSelector(
  ev: Evaluator,
  vs: VectorSelector,
  g: Grid,
  wantTimes: boolean,
  bases: Float64Array = selectorTimes(ev, vs, g),
): StepSeries[] {
  const [lo, hi] = minMax(bases);
  const delta = ev.lookbackDelta;
  const hints: SelectHints = { start: lo - delta + 1, end: hi, step: g.interval };
  const set = ev.select(lo - delta + 1, hi, hints, vs.matchers);
  const out: StepSeries[] = [];
  let it: SampleIterator | undefined;
  let touched = 0;
  while (set.next()) {
    ev.checkDeadline();
    const s = set.at();
    it = s.iterator(it);
    const res = StepSeries.empty(s.labels, g.steps);
    const times = wantTimes ? new Float64Array(g.steps) : null;
    let vt = it.seek(lo - delta + 1);
    let haveLast = false;
    let lastFloat = false;
    let lastT = 0;
    let lastV = 0;
    let any = false;
    for (let i = 0; i < g.steps; i++) {
      const base = bases[i];
      while (vt !== ValueType.None && it.atT() <= base) {
        lastT = it.atT();
        lastFloat = vt === ValueType.Float;
        lastV = lastFloat ? it.atV() : NaN;
        haveLast = true;
        vt = it.next();
      }
      if (haveLast && lastFloat && lastT > base - delta && lastT <= base && !isStaleNaN(lastV)) {
        res.values[i] = lastV;
        res.present[i] = 1;
        if (times) times[i] = lastT;
        any = true;
        touched++;
      }
    }
    const err = it.err();
    if (err) throw err;
    if (any) {
      res.times = times;
      out.push(res);
    }
  }
  if (set.err()) throw set.err();
  for (const w of set.warnings()) ev.annotations.warn(w, null);
  ev.countSamples(touched, touched);
  return out;
}

/**
 * Loads each selected series over the union of all step windows and hands its samples
 * (stale markers removed) to `fn`. The buffer passed to `fn` is reused between series.
 */
export function forEachRangeSeries(
  ev: Evaluator,
  ms: MatrixSelector,
  bases: Float64Array,
  func: string | undefined,
  fn: (s: RawSeries) => void,
): void {
  const vs = ms.vectorSelector;
  const range = ms.range;
  const [lo, hi] = minMax(bases);
  const hints: SelectHints = { start: lo - range + 1, end: hi, range, func };
  const set = ev.select(lo - range + 1, hi, hints, vs.matchers);
  const buf = new SampleBuffer();
  let it: SampleIterator | undefined;
  const raw: RawSeries = { labels: Labels.EMPTY, dropName: false, ts: buf.ts, vs: buf.vs, n: 0 };
  while (set.next()) {
    ev.checkDeadline();
    const s = set.at();
    it = s.iterator(it);
    buf.clear();
    let vt = it.seek(lo - range + 1);
    while (vt !== ValueType.None) {
      const t = it.atT();
      if (t > hi) break;
      if (vt === ValueType.Float) {
        const v = it.atV();
        if (!isStaleNaN(v)) buf.push(t, v);
      }
      vt = it.next();
    }
    const err = it.err();
    if (err) throw err;
    raw.labels = s.labels;
    raw.ts = buf.ts;
    raw.vs = buf.vs;
    raw.n = buf.n;
    fn(raw);
  }
  if (set.err()) throw set.err();
  for (const w of set.warnings()) ev.annotations.warn(w, null);
}

/** Index of the first sample with t > bound, searching from `from`. */
export function firstAfter(ts: Float64Array, n: number, from: number, bound: number): number {
  let i = from;
  while (i < n && ts[i] <= bound) i++;
  return i;
}
