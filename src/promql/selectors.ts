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

/**
 * `bases` (non-decreasing) overrides the time each step reads at. `node` identifies the
 * selector in the query across slices (see Evaluator.account); callers that build `vs` on the
 * fly pass the AST node it stands for.
 */
export function evalVectorSelector(
  ev: Evaluator,
  vs: VectorSelector,
  g: Grid,
  wantTimes: boolean,
  bases: Float64Array = selectorTimes(ev, vs, g),
  node: object = vs,
): StepSeries[] {
  if (vs.anchored || vs.smoothed) return evalExtendedSelector(ev, vs, g, bases);
  const [lo, hi] = minMax(bases);
  const delta = ev.lookbackDelta;
  const hints: SelectHints = { start: lo - delta + 1, end: hi, step: g.interval };
  const set = ev.select(lo - delta + 1, hi, hints, vs.matchers);
  const out: StepSeries[] = [];
  let it: SampleIterator | undefined;
  let touched = 0;
  const firstNew = ev.firstNewStep(node, g);
  const heldBefore = ev.heldBefore(node);
  const perStep = ev.stepCounts(g);
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
        if (i >= firstNew) touched++;
      }
    }
    const err = it.err();
    if (err) throw err;
    if (any) {
      res.times = times;
      out.push(res);
      if (perStep) for (let i = 0; i < g.steps; i++) perStep[i] += res.present[i];
    }
    // Stop before a huge selection has been materialised.
    ev.checkHeld(heldBefore + touched);
  }
  if (set.err()) throw set.err();
  for (const w of set.warnings()) ev.annotations.addText('warning', w);
  ev.account(node, g, touched, touched, true);
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
  // anchored/smoothed windows also read samples up to a lookback delta beyond their edges.
  const from = lo - range + 1 - (vs.anchored || vs.smoothed ? ev.lookbackDelta : 0);
  const to = hi + (vs.smoothed ? ev.lookbackDelta : 0);
  const hints: SelectHints = { start: from, end: to, range, func };
  const set = ev.select(from, to, hints, vs.matchers);
  const buf = new SampleBuffer();
  let it: SampleIterator | undefined;
  const raw: RawSeries = { labels: Labels.EMPTY, dropName: false, ts: buf.ts, vs: buf.vs, n: 0 };
  while (set.next()) {
    ev.checkDeadline();
    const s = set.at();
    it = s.iterator(it);
    buf.clear();
    let vt = it.seek(from);
    while (vt !== ValueType.None) {
      const t = it.atT();
      if (t > to) break;
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
  for (const w of set.warnings()) ev.annotations.addText('warning', w);
}

/**
 * `metric anchored` takes the last sample within the lookback delta ignoring stale markers;
 * `metric smoothed` interpolates linearly between the samples around each step.
 */
function evalExtendedSelector(ev: Evaluator, vs: VectorSelector, g: Grid, bases: Float64Array): StepSeries[] {
  const [lo, hi] = minMax(bases);
  const delta = ev.lookbackDelta;
  const to = hi + (vs.smoothed ? delta : 0);
  const set = ev.select(lo - delta + 1, to, { start: lo - delta + 1, end: to, step: g.interval }, vs.matchers);
  const buf = new SampleBuffer();
  const out: StepSeries[] = [];
  let it: SampleIterator | undefined;
  const firstNew = ev.firstNewStep(vs, g);
  const heldBefore = ev.heldBefore(vs);
  let touched = 0;
  while (set.next()) {
    ev.checkDeadline();
    const s = set.at();
    it = s.iterator(it);
    buf.clear();
    for (let vt = it.seek(lo - delta + 1); vt !== ValueType.None && it.atT() <= to; vt = it.next()) {
      if (vt === ValueType.Float && !isStaleNaN(it.atV())) buf.push(it.atT(), it.atV());
    }
    const err = it.err();
    if (err) throw err;
    const res = StepSeries.empty(s.labels, g.steps);
    let next = 0;
    for (let i = 0; i < g.steps; i++) {
      const t = bases[i];
      if (i > 0 && t < bases[i - 1]) next = 0;
      while (next < buf.n && buf.ts[next] <= t) next++;
      const prev = next - 1;
      if (prev < 0 || buf.ts[prev] <= t - delta) continue;
      let v = buf.vs[prev];
      if (vs.smoothed && next < buf.n && buf.ts[next] <= t + delta) {
        v += ((buf.vs[next] - v) * (t - buf.ts[prev])) / (buf.ts[next] - buf.ts[prev]);
      }
      res.values[i] = v;
      res.present[i] = 1;
      if (i >= firstNew) touched++;
    }
    ev.checkHeld(heldBefore + touched);
    if (res.anyPresent()) out.push(res);
  }
  if (set.err()) throw set.err();
  for (const w of set.warnings()) ev.annotations.addText('warning', w);
  ev.account(vs, g, touched, touched, true);
  return out;
}
