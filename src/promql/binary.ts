/**
 * Binary operators: scalar/scalar, vector/scalar and vector/vector with one-to-one,
 * many-to-one / one-to-many (group_left/right) and set (and/or/unless) matching.
 * Signatures and result labels are computed once per series or pair; the per-step loops
 * only touch typed arrays.
 */
import { Labels, LabelsBuilder, METRIC_NAME } from '../model/labels.js';
import { QueryError } from './annotations.js';
import type { BinaryExpr, BinaryOp, VectorMatching } from './parser/ast.js';
import { exprType } from './parser/ast.js';
import type { Evaluator } from './evaluator.js';
import { StepSeries, withoutName, type EvalValue, type Grid } from './series.js';

const ARITH = new Set<BinaryOp>(['+', '-', '*', '/', '%', '^', 'atan2']);
const COMPARISON = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);

/** Go's math.Pow differs from Math.pow for a base of 1 or -1 with a NaN/infinite exponent. */
export function goPow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

export function arith(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return goPow(l, r);
    case 'atan2':
      return Math.atan2(l, r);
    default:
      throw new QueryError(`operator "${op}" not allowed for arithmetic`);
  }
}

export function compare(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
    default:
      throw new QueryError(`operator "${op}" is not a comparison`);
  }
}

export function evalBinary(ev: Evaluator, e: BinaryExpr, g: Grid): EvalValue {
  const lt = exprType(e.lhs);
  const rt = exprType(e.rhs);
  if (lt === 'scalar' && rt === 'scalar') {
    const l = ev.evalScalar(e.lhs, g).values;
    const r = ev.evalScalar(e.rhs, g).values;
    const out = new Float64Array(g.steps);
    const cmp = COMPARISON.has(e.op);
    for (let i = 0; i < g.steps; i++) out[i] = cmp ? (compare(e.op, l[i], r[i]) ? 1 : 0) : arith(e.op, l[i], r[i]);
    return { kind: 'scalar', values: out };
  }
  if (lt === 'scalar' || rt === 'scalar') {
    const swap = lt === 'scalar';
    const vec = ev.evalVector(swap ? e.rhs : e.lhs, g);
    const sc = ev.evalScalar(swap ? e.lhs : e.rhs, g).values;
    // Operands are evaluated left to right; order only matters for errors and annotations.
    return { kind: 'vector', series: vectorScalar(ev, e, vec.series, sc, swap) };
  }
  const lhs = ev.evalVector(e.lhs, g).series;
  const rhs = ev.evalVector(e.rhs, g).series;
  const m = e.vectorMatching ?? { card: 'one-to-one', matchingLabels: [], on: false, include: [], fillValues: { lhs: null, rhs: null } };
  switch (e.op) {
    case 'and':
      return { kind: 'vector', series: setAnd(lhs, rhs, m, g, false) };
    case 'unless':
      return { kind: 'vector', series: setAnd(lhs, rhs, m, g, true) };
    case 'or':
      return { kind: 'vector', series: setOr(lhs, rhs, m, g) };
    default:
      return { kind: 'vector', series: vectorVector(ev, e, lhs, rhs, m, g) };
  }
}

function vectorScalar(ev: Evaluator, e: BinaryExpr, series: StepSeries[], sc: Float64Array, swap: boolean): StepSeries[] {
  const cmp = COMPARISON.has(e.op);
  const out: StepSeries[] = [];
  for (const s of series) {
    const vals = s.values;
    const pres = s.present;
    let any = false;
    for (let i = 0; i < vals.length; i++) {
      if (!pres[i]) continue;
      const l = swap ? sc[i] : vals[i];
      const r = swap ? vals[i] : sc[i];
      if (cmp) {
        const keep = compare(e.op, l, r);
        if (e.returnBool) vals[i] = keep ? 1 : 0;
        else if (!keep) pres[i] = 0;
      } else vals[i] = arith(e.op, l, r);
      if (pres[i]) any = true;
    }
    if (!any) continue;
    if (!cmp || e.returnBool) ev.dropName(s);
    out.push(s);
  }
  return out;
}

function signatureFn(m: VectorMatching): (l: Labels) => number {
  const names = [...m.matchingLabels].sort();
  return m.on ? (l) => l.hashForLabels(names) : (l) => l.hashWithoutLabels(names);
}

/** The labels used for matching, as printed in errors. */
function matchLabels(l: Labels, m: VectorMatching): Labels {
  const b = new LabelsBuilder(l);
  if (m.on) b.keep(...m.matchingLabels);
  else b.del(METRIC_NAME, ...m.matchingLabels);
  return b.labels();
}

function vectorVector(
  ev: Evaluator,
  e: BinaryExpr,
  lhsIn: StepSeries[],
  rhsIn: StepSeries[],
  m: VectorMatching,
  g: Grid,
): StepSeries[] {
  if (m.card === 'many-to-many') throw new QueryError('many-to-many only allowed for set operators');
  const swapped = m.card === 'one-to-many';
  // After swapping, `many` is matched against `one`, whose signatures must be unique per step.
  const many = swapped ? rhsIn : lhsIn;
  const one = swapped ? lhsIn : rhsIn;
  const sigf = signatureFn(m);
  const groupOf = new Map<number, number>();
  const oneGroup = new Int32Array(one.length);
  for (let j = 0; j < one.length; j++) {
    const sig = sigf(one[j].labels);
    let gi = groupOf.get(sig);
    if (gi === undefined) {
      gi = groupOf.size;
      groupOf.set(sig, gi);
    }
    oneGroup[j] = gi;
  }
  const manyGroup = new Int32Array(many.length);
  for (let i = 0; i < many.length; i++) manyGroup[i] = groupOf.get(sigf(many[i].labels)) ?? -1;
  const nGroups = groupOf.size;
  const groupAt = new Int32Array(nGroups);
  const groupStamp = new Int32Array(nGroups).fill(-1);
  const matchedStamp = new Int32Array(nGroups).fill(-1);

  const cmp = COMPARISON.has(e.op);
  const dropsName = ARITH.has(e.op) || e.returnBool;
  const includesName = m.include.includes(METRIC_NAME);
  const out: StepSeries[] = [];
  const outStamp: number[] = [];
  const byLabels = new Map<number, number[]>();
  const pairOut = new Map<number, number>();
  // Pair keys: (i, j) for matches, (i, one.length) for a filled one side, and
  // (many.length, j) for a filled many side.
  const keyOf = (i: number, j: number): number => i * (one.length + 1) + j;
  // fill_left/fill_right name the operands as written, before any one-to-many swap.
  const fillMany = m.fillValues.lhs;
  const fillOne = m.fillValues.rhs;
  const groupUsed = new Int32Array(nGroups).fill(-1);
  const delayed = ev.opts.enableDelayedNameRemoval;

  const cacheKey = new Float64Array(many.length + 1).fill(-1);
  const cacheOut = new Int32Array(many.length + 1);

  /** Computes and stores one result, unless a comparison filters it out. */
  const emit = (step: number, key: number, manyVal: number, oneVal: number, manyIdx: number, oneIdx: number): void => {
    const l = swapped ? oneVal : manyVal;
    const r = swapped ? manyVal : oneVal;
    let value: number;
    if (cmp) {
      const keep = compare(e.op, l, r);
      if (e.returnBool) value = keep ? 1 : 0;
      else if (!keep) return;
      else value = l;
    } else value = arith(e.op, l, r);
    // Pairs rarely change between steps: remember each many-side series' last output.
    let oi = cacheKey[manyIdx] === key ? cacheOut[manyIdx] : pairOut.get(key);
    if (oi === undefined) {
      const oneLabels = oneIdx < one.length ? one[oneIdx].labels : Labels.EMPTY;
      const manyLabels = manyIdx < many.length ? many[manyIdx].labels : matchLabels(oneLabels, m);
      const labels = resultLabels(manyLabels, oneLabels, m);
      const manyDrop = manyIdx < many.length && many[manyIdx].dropName;
      // A name copied from the one side by group_x(__name__) is the result's name to keep.
      oi = findOrAdd(out, byLabels, labels, g.steps, !includesName && (manyDrop || dropsName));
      if (out[oi].dropName) {
        ev.namesDropped = true;
        if (!delayed) out[oi].labels = withoutName(out[oi].labels);
      }
      pairOut.set(key, oi);
      outStamp[oi] = -1;
    }
    cacheKey[manyIdx] = key;
    cacheOut[manyIdx] = oi;
    if (outStamp[oi] === step) {
      throw new QueryError(
        m.card === 'one-to-one'
          ? 'vector cannot contain metrics with the same labelset'
          : 'multiple matches for labels: grouping labels must ensure unique matches',
      );
    }
    outStamp[oi] = step;
    out[oi].values[step] = value;
    out[oi].present[step] = 1;
  };

  for (let step = 0; step < g.steps; step++) {
    for (let j = 0; j < one.length; j++) {
      if (!one[j].present[step]) continue;
      const gi = oneGroup[j];
      if (groupStamp[gi] === step) {
        const a = one[groupAt[gi]].labels;
        const b = one[j].labels;
        const [x, y] = Labels.compare(a, b) <= 0 ? [a, b] : [b, a];
        throw new QueryError(
          `found duplicate series for the match group ${matchLabels(b, m).toString()} on the ${swapped ? 'left' : 'right'} hand-side of the operation: [${x.toString()}, ${y.toString()}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      groupStamp[gi] = step;
      groupAt[gi] = j;
    }
    for (let i = 0; i < many.length; i++) {
      const ms = many[i];
      if (!ms.present[step]) continue;
      const gi = manyGroup[i];
      if (gi < 0 || groupStamp[gi] !== step) {
        if (fillOne !== null) emit(step, keyOf(i, one.length), ms.values[step], fillOne, i, one.length);
        continue;
      }
      groupUsed[gi] = step;
      // Prometheus reports ambiguous one-to-one matches even when the comparison would drop them.
      if (m.card === 'one-to-one') {
        if (matchedStamp[gi] === step) {
          throw new QueryError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
        }
        matchedStamp[gi] = step;
      }
      const j = groupAt[gi];
      emit(step, keyOf(i, j), ms.values[step], one[j].values[step], i, j);
    }
    if (fillMany !== null) {
      for (let j = 0; j < one.length; j++) {
        if (!one[j].present[step] || groupUsed[oneGroup[j]] === step) continue;
        emit(step, keyOf(many.length, j), fillMany, one[j].values[step], many.length, j);
      }
    }
  }
  return out;
}

function findOrAdd(out: StepSeries[], byLabels: Map<number, number[]>, labels: Labels, steps: number, dropName: boolean): number {
  const h = labels.hash();
  const list = byLabels.get(h);
  if (list) {
    for (const k of list) if (out[k].labels.equals(labels) && out[k].dropName === dropName) return k;
  }
  out.push(StepSeries.empty(labels, steps, dropName));
  const idx = out.length - 1;
  if (list) list.push(idx);
  else byLabels.set(h, [idx]);
  return idx;
}

function resultLabels(many: Labels, one: Labels, m: VectorMatching): Labels {
  const b = new LabelsBuilder(many);
  if (m.card === 'one-to-one') {
    if (m.on) b.keep(...m.matchingLabels);
    else b.del(...m.matchingLabels);
  }
  for (const name of m.include) {
    const v = one.get(name);
    if (v !== '') b.set(name, v);
    else b.del(name);
  }
  return b.labels();
}

/** `and` (unless=false) keeps lhs samples with a match; `unless` keeps those without. */
function setAnd(lhs: StepSeries[], rhs: StepSeries[], m: VectorMatching, g: Grid, unless: boolean): StepSeries[] {
  const sigf = signatureFn(m);
  const rsig = rhs.map((s) => sigf(s.labels));
  const out: StepSeries[] = [];
  const seen = new Set<number>();
  const lsig = lhs.map((s) => sigf(s.labels));
  for (let step = 0; step < g.steps; step++) {
    seen.clear();
    for (let j = 0; j < rhs.length; j++) if (rhs[j].present[step]) seen.add(rsig[j]);
    for (let i = 0; i < lhs.length; i++) {
      const s = lhs[i];
      if (s.present[step] && seen.has(lsig[i]) === unless) s.present[step] = 0;
    }
  }
  for (const s of lhs) if (s.anyPresent()) out.push(s);
  return out;
}

function setOr(lhs: StepSeries[], rhs: StepSeries[], m: VectorMatching, g: Grid): StepSeries[] {
  const sigf = signatureFn(m);
  const lsig = lhs.map((s) => sigf(s.labels));
  const rsig = rhs.map((s) => sigf(s.labels));
  const seen = new Set<number>();
  for (let step = 0; step < g.steps; step++) {
    seen.clear();
    for (let i = 0; i < lhs.length; i++) if (lhs[i].present[step]) seen.add(lsig[i]);
    for (let j = 0; j < rhs.length; j++) {
      if (rhs[j].present[step] && seen.has(rsig[j])) rhs[j].present[step] = 0;
    }
  }
  const out: StepSeries[] = [];
  for (const s of lhs) if (s.anyPresent()) out.push(s);
  for (const s of rhs) if (s.anyPresent()) out.push(s);
  return out;
}
