/**
 * Intermediate values of an evaluation over a grid of steps. Every instant-vector series
 * holds one Float64Array slot per step plus a presence mask, so operators work step by step
 * on flat arrays and never allocate per sample.
 */
import { Labels, METRIC_NAME } from '../model/labels.js';

/** The evaluation grid: steps at start, start+interval, ..., end. */
export interface Grid {
  start: number;
  end: number;
  interval: number;
  steps: number;
}

export function makeGrid(start: number, end: number, interval: number): Grid {
  const steps = interval > 0 ? Math.floor((end - start) / interval) + 1 : 1;
  return { start, end, interval, steps };
}

export function stepTime(g: Grid, i: number): number {
  return g.start + i * g.interval;
}

export class StepSeries {
  /** Sample timestamps, only kept where a caller needs them (timestamp()). */
  times: Float64Array | null = null;

  constructor(
    public labels: Labels,
    readonly values: Float64Array,
    readonly present: Uint8Array,
    /** Prometheus 3's delayed `__name__` removal: drop the name when the query finishes. */
    public dropName: boolean,
  ) {}

  static empty(labels: Labels, steps: number, dropName = false): StepSeries {
    return new StepSeries(labels, slabF64(steps), slabU8(steps), dropName);
  }

  anyPresent(): boolean {
    const p = this.present;
    for (let i = 0; i < p.length; i++) if (p[i] !== 0) return true;
    return false;
  }

  /** Labels as the user will see them, with a to-be-dropped name removed. */
  visibleLabels(): Labels {
    return this.dropName ? withoutName(this.labels) : this.labels;
  }
}

/** Labels that go with the metric name: `__name__` and the `__type__`/`__unit__` metadata labels. */
export function isNameLabel(name: string): boolean {
  return name === METRIC_NAME || name === '__type__' || name === '__unit__';
}

// Short per-series arrays are carved out of shared zeroed slabs: a view is much cheaper to
// create than an array with its own buffer, which matters with one step and many series.
const SLAB = 16384;
const SMALL = 256;
let f64Slab = new Float64Array(SLAB);
let f64Used = 0;
let u8Slab = new Uint8Array(SLAB);
let u8Used = 0;

function slabF64(n: number): Float64Array {
  if (n > SMALL) return new Float64Array(n);
  if (f64Used + n > SLAB) {
    f64Slab = new Float64Array(SLAB);
    f64Used = 0;
  }
  const v = f64Slab.subarray(f64Used, f64Used + n);
  f64Used += n;
  return v;
}

function slabU8(n: number): Uint8Array {
  if (n > SMALL) return new Uint8Array(n);
  if (u8Used + n > SLAB) {
    u8Slab = new Uint8Array(SLAB);
    u8Used = 0;
  }
  const v = u8Slab.subarray(u8Used, u8Used + n);
  u8Used += n;
  return v;
}

export function withoutName(l: Labels): Labels {
  const f = l.toFlat();
  let found = false;
  for (let i = 0; i < f.length; i += 2) if (isNameLabel(f[i])) found = true;
  if (!found) return l;
  const out: string[] = [];
  for (let i = 0; i < f.length; i += 2) if (!isNameLabel(f[i])) out.push(f[i], f[i + 1]);
  return Labels.fromSortedFlat(out);
}

/** Raw samples of one series (a range vector), stale markers already removed. */
export interface RawSeries {
  labels: Labels;
  dropName: boolean;
  ts: Float64Array;
  vs: Float64Array;
  n: number;
}

export type EvalValue =
  | { kind: 'scalar'; values: Float64Array }
  | { kind: 'string'; value: string }
  | { kind: 'vector'; series: StepSeries[] }
  | { kind: 'matrix'; series: RawSeries[] };

export type VectorValue = Extract<EvalValue, { kind: 'vector' }>;
export type ScalarValue = Extract<EvalValue, { kind: 'scalar' }>;

/** Growable pair of Float64Arrays reused across series while loading ranges. */
export class SampleBuffer {
  ts: Float64Array;
  vs: Float64Array;
  n = 0;

  constructor(capacity = 64) {
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }

  push(t: number, v: number): void {
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2);
      const vs = new Float64Array(this.n * 2);
      ts.set(this.ts);
      vs.set(this.vs);
      this.ts = ts;
      this.vs = vs;
    }
    this.ts[this.n] = t;
    this.vs[this.n] = v;
    this.n++;
  }

  clear(): void {
    this.n = 0;
  }
}
