/**
 * Aggregation operators. Group membership depends only on labels, so it is computed once;
 * each step then folds the members' values into per-group accumulators.
 */
import { isValidLabelName, Labels, LabelsBuilder, METRIC_NAME } from '../model/labels.js';
import { QueryError } from './annotations.js';
import type { AggregateExpr } from './parser/ast.js';
import type { Evaluator } from './evaluator.js';
import { StepSeries, type EvalValue, type Grid } from './series.js';
import { formatValue } from './value.js';
import { prometheusLabelsHash } from './labels_hash.js';

/** Neumaier-compensated running sum: returns the new sum and writes the compensation to `c[0]`. */
export function kahanInc(inc: number, sum: number, c: Float64Array, ci: number): number {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) c[ci] = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c[ci] += sum - t + inc;
  else c[ci] += inc - t + sum;
  return t;
}

interface Groups {
  labels: Labels[];
  /** Grouping kept `__name__` of a series whose name is marked for removal: so is the group's. */
  dropName: boolean[];
  /** Group index of each input series. */
  of: Int32Array;
  members: number[][];
}

function groupLabels(l: Labels, e: AggregateExpr, b: LabelsBuilder): Labels {
  if (e.without) {
    b.reset(l).del(METRIC_NAME, ...e.grouping);
    return b.labels();
  }
  if (e.grouping.length === 0) return Labels.EMPTY;
  b.reset(l).keep(...e.grouping);
  return b.labels();
}

function makeGroups(series: StepSeries[], e: AggregateExpr): Groups {
  const b = new LabelsBuilder();
  const byHash = new Map<number, number[]>();
  const labels: Labels[] = [];
  const members: number[][] = [];
  const dropName: boolean[] = [];
  const keepsName = !e.without && e.grouping.includes(METRIC_NAME);
  const of = new Int32Array(series.length);
  for (let i = 0; i < series.length; i++) {
    const gl = groupLabels(series[i].labels, e, b);
    const h = gl.hash();
    let list = byHash.get(h);
    let gi = -1;
    if (list) for (const k of list) if (labels[k].equals(gl)) gi = k;
    if (gi < 0) {
      gi = labels.length;
      labels.push(gl);
      members.push([]);
      dropName.push(false);
      if (list) list.push(gi);
      else byHash.set(h, (list = [gi]));
    }
    of[i] = gi;
    members[gi].push(i);
    // Any member whose name is to be dropped takes the group's name with it.
    if (keepsName && series[i].dropName) dropName[gi] = true;
  }
  return { labels, dropName, of, members };
}

export function evalAggregate(ev: Evaluator, e: AggregateExpr, g: Grid): EvalValue {
  let param: Float64Array | null = null;
  let strParam = '';
  if (e.param) {
    const p = ev.eval(e.param, g);
    if (p.kind === 'scalar') param = p.values;
    else if (p.kind === 'string') strParam = p.value;
    else throw new QueryError(`invalid parameter for ${e.op}`);
  }
  const input = ev.evalVector(e.expr, g).series;
  switch (e.op) {
    case 'topk':
    case 'bottomk':
    case 'limitk':
      return { kind: 'vector', series: selectK(ev, e, input, param!, g) };
    case 'limit_ratio':
      return { kind: 'vector', series: limitRatio(ev, e, input, param!, g) };
    case 'count_values':
      return { kind: 'vector', series: countValues(e, input, strParam, g) };
    default:
      return { kind: 'vector', series: fold(ev, e, input, param, g) };
  }
}

function fold(ev: Evaluator, e: AggregateExpr, input: StepSeries[], param: Float64Array | null, g: Grid): StepSeries[] {
  const groups = makeGroups(input, e);
  const out = groups.labels.map((l, gi) => StepSeries.empty(l, g.steps, groups.dropName[gi]));
  if (e.op === 'quantile') quantiles(ev, e, input, param!, groups, out, g);
  else foldBlocks(e, input, groups, out, g);
  return out.filter((s) => s.anyPresent());
}

function quantiles(ev: Evaluator, e: AggregateExpr, input: StepSeries[], param: Float64Array, groups: Groups, out: StepSeries[], g: Grid): void {
  let scratch = new Float64Array(16);
  for (let step = 0; step < g.steps; step++) {
    const q = param[step];
    if (!(q >= 0 && q <= 1)) ev.annotations.warn(`quantile value should be between 0 and 1, got ${formatValue(q)}`, e.param!.posRange);
    for (let gi = 0; gi < groups.labels.length; gi++) {
      const mem = groups.members[gi];
      if (scratch.length < mem.length) scratch = new Float64Array(mem.length * 2);
      let k = 0;
      for (const i of mem) if (input[i].present[step]) scratch[k++] = input[i].values[step];
      if (k === 0) continue;
      out[gi].values[step] = quantile(q, scratch.subarray(0, k));
      out[gi].present[step] = 1;
    }
  }
}

/**
 * Folds values into per-group accumulators. Steps are processed in blocks and each series is
 * read contiguously within a block: walking all series step by step would touch a different
 * array (and cache line) for every value.
 */
function foldBlocks(e: AggregateExpr, input: StepSeries[], groups: Groups, out: StepSeries[], g: Grid): void {
  const n = groups.labels.length;
  const B = Math.max(1, Math.min(64, Math.floor(262144 / Math.max(1, n))));
  const size = n * B;
  const acc = new Float64Array(size);
  const comp = new Float64Array(size);
  const mean = new Float64Array(size);
  const count = new Float64Array(size);
  const incremental = new Uint8Array(size);
  const op = e.op;
  const of = groups.of;
  for (let b0 = 0; b0 < g.steps; b0 += B) {
    const b1 = Math.min(g.steps, b0 + B);
    count.fill(0);
    for (let i = 0; i < input.length; i++) {
      const pres = input[i].present;
      const vals = input[i].values;
      const base = of[i] * B - b0;
      for (let step = b0; step < b1; step++) {
        if (!pres[step]) continue;
        const f = vals[step];
        const k = base + step;
        const c = ++count[k];
        if (c === 1) {
          acc[k] = op === 'count' || op === 'group' ? 1 : op === 'stddev' || op === 'stdvar' ? 0 : f;
          comp[k] = 0;
          mean[k] = f;
          incremental[k] = 0;
          continue;
        }
        switch (op) {
          case 'sum':
            acc[k] = kahanInc(f, acc[k], comp, k);
            break;
          case 'avg': {
            if (!incremental[k]) {
              const before = comp[k];
              const t = kahanInc(f, acc[k], comp, k);
              if (t !== Infinity && t !== -Infinity) {
                acc[k] = t;
                break;
              }
              // The running sum would overflow: switch to an incremental mean.
              comp[k] = before;
              incremental[k] = 1;
              mean[k] = acc[k] / (c - 1);
              comp[k] /= c - 1;
            }
            const q = (c - 1) / c;
            comp[k] *= q;
            mean[k] = kahanInc(f / c, q * mean[k], comp, k);
            break;
          }
          case 'count':
            acc[k] = c;
            break;
          case 'group':
            break;
          case 'max':
            if (acc[k] < f || acc[k] !== acc[k]) acc[k] = f;
            break;
          case 'min':
            if (acc[k] > f || acc[k] !== acc[k]) acc[k] = f;
            break;
          case 'stddev':
          case 'stdvar': {
            const delta = f - mean[k];
            mean[k] += delta / c;
            acc[k] += delta * (f - mean[k]);
            break;
          }
          default:
            throw new QueryError(`unknown aggregation ${op}`);
        }
      }
    }
    for (let gi = 0; gi < n; gi++) {
      const o = out[gi];
      for (let step = b0; step < b1; step++) {
        const k = gi * B + step - b0;
        const c = count[k];
        if (c === 0) continue;
        let v: number;
        switch (op) {
          case 'sum':
            v = acc[k] + comp[k];
            break;
          case 'avg':
            v = c === 1 ? acc[k] : incremental[k] ? mean[k] + comp[k] : acc[k] / c + comp[k] / c;
            break;
          case 'stdvar':
            v = c === 1 ? stdFirst(mean[k]) : acc[k] / c;
            break;
          case 'stddev':
            v = c === 1 ? stdFirst(mean[k]) : Math.sqrt(acc[k] / c);
            break;
          default:
            v = acc[k];
        }
        o.values[step] = v;
        o.present[step] = 1;
      }
    }
  }
}

/** stddev/stdvar of a single value: 0, or NaN for a non-finite value. */
function stdFirst(f: number): number {
  return Number.isFinite(f) ? 0 : NaN;
}

/** Linear-interpolated quantile; sorts `vals` in place (NaN first, as Prometheus does). */
export function quantile(q: number, vals: Float64Array): number {
  if (vals.length === 0 || q !== q) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  vals.sort((a, b) => (a !== a ? (b !== b ? 0 : -1) : b !== b ? 1 : a - b));
  const n = vals.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const w = rank - Math.floor(rank);
  return vals[lower] * (1 - w) + vals[upper] * w;
}

function kValue(ev: Evaluator, v: number): number {
  if (v !== v) throw new QueryError('Parameter value is NaN');
  if (v >= 9.223372036854776e18) return Number.MAX_SAFE_INTEGER;
  if (v <= -9.223372036854776e18) return Number.MIN_SAFE_INTEGER;
  return Math.trunc(v);
}

/** Whether value a ranks before b: larger for topk, smaller for bottomk; NaN always ranks last. */
function ranksBefore(a: number, b: number, top: boolean): boolean {
  if (a !== a) return false;
  if (b !== b) return true;
  return top ? a > b : a < b;
}

/**
 * topk/bottomk/limitk. Per step and group, a bounded heap keeps the best k members (its root is
 * the worst kept), so a step costs O(n log k) with no allocation.
 */
function selectK(ev: Evaluator, e: AggregateExpr, input: StepSeries[], param: Float64Array, g: Grid): StepSeries[] {
  const groups = makeGroups(input, e);
  const present = input.map((s) => s.present);
  const keep = input.map(() => new Uint8Array(g.steps));
  const order: number[] = [];
  const top = e.op === 'topk';
  const limit = e.op === 'limitk';
  let heap: Int32Array = new Int32Array(16);
  for (let step = 0; step < g.steps; step++) {
    const k = kValue(ev, param[step]);
    if (k < 1) continue;
    const vals = (i: number): number => input[i].values[step];
    // The heap root is the member that ranks last among those kept.
    const worse = (a: number, b: number): boolean => ranksBefore(vals(b), vals(a), top);
    for (const mem of groups.members) {
      let n = 0;
      for (const i of mem) {
        if (!present[i][step]) continue;
        if (limit) {
          if (n < k) {
            if (n === heap.length) heap = grow(heap);
            heap[n++] = i;
          }
          continue;
        }
        if (n < k) {
          if (n === heap.length) heap = grow(heap);
          let c = n++;
          heap[c] = i;
          while (c > 0) {
            const p = (c - 1) >> 1;
            if (!worse(heap[c], heap[p])) break;
            [heap[c], heap[p]] = [heap[p], heap[c]];
            c = p;
          }
        } else if (ranksBefore(vals(i), vals(heap[0]), top)) {
          heap[0] = i;
          let c = 0;
          for (;;) {
            const l = 2 * c + 1;
            if (l >= n) break;
            const r = l + 1;
            const w = r < n && worse(heap[r], heap[l]) ? r : l;
            if (!worse(heap[w], heap[c])) break;
            [heap[c], heap[w]] = [heap[w], heap[c]];
            c = w;
          }
        }
      }
      for (let r = 0; r < n; r++) keep[heap[r]][step] = 1;
      if (g.steps === 1) {
        const chosen = Array.from(heap.subarray(0, n));
        if (!limit) chosen.sort((a, b) => (ranksBefore(vals(a), vals(b), top) ? -1 : ranksBefore(vals(b), vals(a), top) ? 1 : 0));
        order.push(...chosen);
      }
    }
  }
  if (g.steps === 1) return order.map((i) => input[i]);
  const out: StepSeries[] = [];
  for (let i = 0; i < input.length; i++) {
    const s = input[i];
    for (let step = 0; step < g.steps; step++) if (!keep[i][step]) s.present[step] = 0;
    if (s.anyPresent()) out.push(s);
  }
  return out;
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function limitRatio(ev: Evaluator, e: AggregateExpr, input: StepSeries[], param: Float64Array, g: Grid): StepSeries[] {
  // Same hash as Prometheus, so the same series are sampled.
  const offsets = input.map((s) => Number(prometheusLabelsHash(s.labels.toFlat())) / 2 ** 64);
  for (let step = 0; step < g.steps; step++) {
    let r = param[step];
    if (r !== r) throw new QueryError('Ratio value is NaN');
    if (r > 1 || r < -1) {
      const capped = r > 1 ? 1 : -1;
      ev.annotations.warn(`ratio value should be between -1 and 1, got ${formatValue(r)}, capping to ${capped}`, e.param!.posRange);
      r = capped;
    }
    for (let i = 0; i < input.length; i++) {
      const o = offsets[i];
      const take = (r >= 0 && o < r) || (r < 0 && o >= 1 + r);
      if (!take) input[i].present[step] = 0;
    }
  }
  return input.filter((s) => s.anyPresent());
}

function countValues(e: AggregateExpr, input: StepSeries[], label: string, g: Grid): StepSeries[] {
  if (!isValidLabelName(label)) throw new QueryError(`invalid label name ${JSON.stringify(label)}`);
  const b = new LabelsBuilder();
  const out: StepSeries[] = [];
  const byKey = new Map<string, StepSeries>();
  const base = input.map((s) => groupLabels(s.labels, e, b));
  for (let step = 0; step < g.steps; step++) {
    for (let i = 0; i < input.length; i++) {
      const s = input[i];
      if (!s.present[step]) continue;
      const l = b.reset(base[i]).set(label, formatValue(s.values[step])).labels();
      const key = l.toString();
      let o = byKey.get(key);
      if (!o) {
        o = StepSeries.empty(l, g.steps);
        byKey.set(key, o);
        out.push(o);
      }
      if (!o.present[step]) {
        o.present[step] = 1;
        o.values[step] = 0;
      }
      o.values[step]++;
    }
  }
  return out;
}
