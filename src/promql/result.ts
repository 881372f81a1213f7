/**
 * Shapes an evaluation into the query result: an instant query's scalar, string, vector or
 * range vector, or a range query's matrix sorted by labels. `RangeResultBuilder` assembles a
 * range query evaluated in slices of steps (see Engine's async path) into the same matrix.
 */
import { Labels } from '../model/labels.js';
import { QueryError } from './annotations.js';
import { stepTime, withoutName, type EvalValue, type Grid, type StepSeries } from './series.js';
import { Matrix, Scalar, StringValue, Vector, type MatrixSeries, type Value } from './value.js';

const SAME_LABELSET = 'vector cannot contain metrics with the same labelset';

export function instantResult(v: EvalValue, t: number, namesDropped: boolean): Value {
  switch (v.kind) {
    case 'scalar':
      return new Scalar(t, v.values[0]);
    case 'string':
      return new StringValue(t, v.value);
    case 'vector': {
      const present = v.series.filter((s) => s.present[0]);
      const labels = present.map((s) => s.visibleLabels());
      // Operators keep their outputs unique; only dropping names can make two series collide.
      if (namesDropped) assertUnique(labels);
      const values = new Float64Array(present.length);
      for (let i = 0; i < present.length; i++) values[i] = present[i].values[0];
      return new Vector(labels, new Float64Array(present.length).fill(t), values);
    }
    case 'matrix': {
      const series = v.series.map((s) => ({
        labels: s.dropName ? withoutName(s.labels) : s.labels,
        timestamps: s.ts,
        values: s.vs,
      }));
      assertUnique(series.map((s) => s.labels));
      return new Matrix(series);
    }
  }
}

function assertUnique(labels: Labels[]): void {
  if (labels.length < 2) return;
  const seen = new Map<number, Labels[]>();
  for (const l of labels) {
    const h = l.hash();
    const list = seen.get(h);
    if (list?.some((o) => o.equals(l))) throw new QueryError(SAME_LABELSET);
    if (list) list.push(l);
    else seen.set(h, [l]);
  }
}

export function invalidRangeType(kind: 'matrix' | 'string'): QueryError {
  const name = kind === 'matrix' ? 'range vector' : 'string';
  return new QueryError(`invalid expression type "${name}" for range query, must be Scalar or instant Vector`, 'bad_data');
}

interface Row {
  labels: Labels;
  values: Float64Array;
  present: Uint8Array;
}

/**
 * Collects the steps of a range query slice by slice. Series that share their visible labels
 * merge (names dropped by operators may make them coincide) unless they overlap in time, which
 * is Prometheus's duplicate-labelset error, raised only once every slice is in so that an
 * evaluation error of a later slice wins as it would unsliced.
 */
export class RangeResultBuilder {
  private scalar: Float64Array | null = null;
  private readonly byHash = new Map<number, Row[]>();
  private readonly rows: Row[] = [];
  private duplicate = false;

  constructor(private readonly g: Grid) {}

  /** Adds the evaluation of the slice whose first step is `offset`. */
  add(v: EvalValue, offset: number): void {
    if (v.kind === 'scalar') {
      this.scalar ??= new Float64Array(this.g.steps);
      this.scalar.set(v.values, offset);
      return;
    }
    if (v.kind !== 'vector') throw invalidRangeType(v.kind);
    for (const s of v.series) {
      if (!s.anyPresent()) continue;
      const row = this.row(s.visibleLabels());
      const pres = s.present;
      for (let i = 0; i < pres.length; i++) {
        if (!pres[i]) continue;
        if (row.present[offset + i]) this.duplicate = true;
        row.present[offset + i] = 1;
        row.values[offset + i] = s.values[i];
      }
    }
  }

  private row(labels: Labels): Row {
    const h = labels.hash();
    let cands = this.byHash.get(h);
    if (!cands) this.byHash.set(h, (cands = []));
    let row = cands.find((r) => r.labels.equals(labels));
    if (!row) {
      row = { labels, values: new Float64Array(this.g.steps), present: new Uint8Array(this.g.steps) };
      cands.push(row);
      this.rows.push(row);
    }
    return row;
  }

  matrix(): Matrix {
    const g = this.g;
    if (this.scalar) return new Matrix([{ labels: Labels.EMPTY, timestamps: gridTimes(g), values: this.scalar }]);
    if (this.duplicate) throw new QueryError(SAME_LABELSET);
    const out = this.rows.map((r) => compact(r.labels, r.values, r.present, g));
    out.sort((a, b) => Labels.compare(a.labels, b.labels));
    return new Matrix(out);
  }
}

function gridTimes(g: Grid): Float64Array {
  const ts = new Float64Array(g.steps);
  for (let i = 0; i < g.steps; i++) ts[i] = stepTime(g, i);
  return ts;
}

/** A whole range query evaluated at once, as a matrix. */
export function rangeResult(v: EvalValue, g: Grid): Matrix {
  if (v.kind === 'scalar') return new Matrix([{ labels: Labels.EMPTY, timestamps: gridTimes(g), values: v.values.slice() }]);
  if (v.kind !== 'vector') throw invalidRangeType(v.kind);
  // Series whose labels coincide once names are dropped merge, unless they overlap in time.
  const byHash = new Map<number, { labels: Labels; list: StepSeries[] }[]>();
  const groups: { labels: Labels; list: StepSeries[] }[] = [];
  for (const s of v.series) {
    if (!s.anyPresent()) continue;
    const l = s.visibleLabels();
    const h = l.hash();
    let cands = byHash.get(h);
    if (!cands) byHash.set(h, (cands = []));
    const same = cands.find((c) => c.labels.equals(l));
    if (same) same.list.push(s);
    else {
      const grp = { labels: l, list: [s] };
      cands.push(grp);
      groups.push(grp);
    }
  }
  const out: MatrixSeries[] = [];
  for (const { labels, list } of groups) {
    if (list.length === 1) {
      out.push(compact(labels, list[0].values, list[0].present, g));
      continue;
    }
    let n = 0;
    for (let i = 0; i < g.steps; i++) {
      let c = 0;
      for (const s of list) c += s.present[i];
      if (c > 1) throw new QueryError(SAME_LABELSET);
      n += c;
    }
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n);
    let j = 0;
    for (let i = 0; i < g.steps; i++) {
      for (const s of list) {
        if (!s.present[i]) continue;
        timestamps[j] = stepTime(g, i);
        values[j] = s.values[i];
        j++;
      }
    }
    out.push({ labels, timestamps, values });
  }
  out.sort((a, b) => Labels.compare(a.labels, b.labels));
  return new Matrix(out);
}

/** The present steps of one series as matrix points. */
function compact(labels: Labels, vals: Float64Array, pres: Uint8Array, g: Grid): MatrixSeries {
  let n = 0;
  for (let i = 0; i < pres.length; i++) n += pres[i];
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < pres.length; i++) {
    if (!pres[i]) continue;
    timestamps[j] = g.start + i * g.interval;
    values[j] = vals[i];
    j++;
  }
  return { labels, timestamps, values };
}
