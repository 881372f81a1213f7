import type { LabelValues, MetricPoint } from './family.js';
import { Metric, type LabelInput, type MetricConfig } from './metric.js';
import { QuantileStream, type Objective } from './quantile.js';
import { secondsSince } from './timer.js';

export interface SummaryConfig<T extends string = string> extends MetricConfig<T> {
  /** Quantiles to report, each with a default allowed rank error (see `objectives`). */
  percentiles?: readonly number[];
  /** Quantiles with explicit rank errors, e.g. `{0.5: 0.05, 0.99: 0.001}`; overrides `percentiles`. */
  objectives?: Readonly<Record<number, number>>;
  /** Observations older than this stop counting towards the quantiles (default 600 s). */
  maxAgeSeconds?: number;
  /** The window slides in this many steps (default 5). */
  ageBuckets?: number;
}

/** prom-client's default quantiles. */
export const DEFAULT_PERCENTILES: readonly number[] = Object.freeze([0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999]);

/** Rank error for a quantile given without one: tighter towards the tails. */
function defaultError(q: number): number {
  return Math.max(0.0001, Math.min(0.01, Math.min(q, 1 - q) / 10));
}

const BUFFER = 500;

function checkNumber(name: string, v: unknown): void {
  if (typeof v !== 'number') throw new Error(`summary "${name}": observed value must be a number, got ${typeof v}`);
}

/** One labelled series of a summary: a ring of quantile streams forming the sliding window. */
export class SummaryChild {
  sum = 0;
  count = 0;
  createdMs = Date.now();
  private readonly buf = new Float64Array(BUFFER);
  private bufLen = 0;
  private readonly streams: QuantileStream[];
  private head = 0;
  private headExpiresMs: number;

  constructor(
    readonly labels: LabelValues,
    private readonly objectives: readonly Objective[],
    private readonly streamMs: number,
    ageBuckets: number,
    private readonly metricName: string,
  ) {
    this.streams = Array.from({ length: ageBuckets }, () => new QuantileStream(objectives));
    this.headExpiresMs = Date.now() + streamMs;
  }

  observe(value: number): void {
    if (typeof value !== 'number') checkNumber(this.metricName, value);
    this.sum += value;
    this.count++;
    if (value !== value) return; // NaN has no rank; it only shows in the sum.
    this.buf[this.bufLen++] = value;
    if (this.bufLen === BUFFER) this.flush(Date.now());
  }

  startTimer(): () => number {
    const start = process.hrtime.bigint();
    return () => {
      const s = secondsSince(start);
      this.observe(s);
      return s;
    };
  }

  /** Current estimates over the window, in objective order. */
  quantileValues(now = Date.now()): Float64Array {
    this.flush(now);
    const s = this.streams[this.head];
    const out = new Float64Array(this.objectives.length);
    for (let i = 0; i < out.length; i++) out[i] = s.query(this.objectives[i].quantile);
    return out;
  }

  reset(): void {
    this.sum = 0;
    this.count = 0;
    this.bufLen = 0;
    this.createdMs = Date.now();
    for (const s of this.streams) s.reset();
    this.head = 0;
    this.headExpiresMs = Date.now() + this.streamMs;
  }

  private rotate(now: number): void {
    if (now < this.headExpiresMs) return;
    const n = this.streams.length;
    const steps = Math.floor((now - this.headExpiresMs) / this.streamMs) + 1;
    if (steps >= n) {
      for (const s of this.streams) s.reset();
    } else {
      for (let i = 0; i < steps; i++) {
        this.streams[this.head].reset();
        this.head = (this.head + 1) % n;
      }
    }
    this.headExpiresMs += steps * this.streamMs;
  }

  private flush(now: number): void {
    this.rotate(now);
    if (this.bufLen === 0) return;
    // A full buffer sorts in place; a partial one (at collection) through a view.
    const sorted = this.bufLen === BUFFER ? this.buf.sort() : this.buf.subarray(0, this.bufLen).sort();
    for (const s of this.streams) s.insertSorted(sorted, this.bufLen);
    this.bufLen = 0;
  }
}

/** Tracks the sum and count of observations and streaming quantiles over a sliding window. */
export class Summary<T extends string = string> extends Metric<SummaryChild, T> {
  readonly objectives: readonly Objective[];
  private readonly quantiles: readonly number[];
  private readonly streamMs: number;
  private readonly ageBuckets: number;

  constructor(config: SummaryConfig<T>) {
    super(config, 'summary', ['quantile']);
    const objs: Objective[] = config.objectives
      ? Object.entries(config.objectives).map(([q, e]) => ({ quantile: Number(q), error: e }))
      : (config.percentiles ?? DEFAULT_PERCENTILES).map((q) => ({ quantile: q, error: defaultError(q) }));
    for (const o of objs) {
      if (!(o.quantile >= 0 && o.quantile <= 1)) throw new Error(`summary "${config.name}": quantile ${o.quantile} is not in [0, 1]`);
      if (!(o.error >= 0 && o.error < 1)) throw new Error(`summary "${config.name}": error ${o.error} for quantile ${o.quantile} is not in [0, 1)`);
    }
    objs.sort((a, b) => a.quantile - b.quantile);
    for (let i = 1; i < objs.length; i++) {
      if (objs[i].quantile === objs[i - 1].quantile) throw new Error(`summary "${config.name}": duplicate quantile ${objs[i].quantile}`);
    }
    this.objectives = Object.freeze(objs);
    this.quantiles = Object.freeze(objs.map((o) => o.quantile));
    const maxAge = config.maxAgeSeconds ?? 600;
    const ageBuckets = config.ageBuckets ?? 5;
    if (!(maxAge > 0)) throw new Error(`summary "${config.name}": maxAgeSeconds must be positive`);
    if (!Number.isInteger(ageBuckets) || ageBuckets < 1) throw new Error(`summary "${config.name}": ageBuckets must be a positive integer`);
    this.streamMs = (maxAge * 1000) / ageBuckets;
    this.ageBuckets = ageBuckets;
    this.init();
  }

  protected newChild(labels: LabelValues): SummaryChild {
    return new SummaryChild(labels, this.objectives, this.streamMs, this.ageBuckets, this.name);
  }

  protected points(c: SummaryChild, out: MetricPoint[]): void {
    out.push({ labels: c.labels, quantiles: this.quantiles, quantileValues: c.quantileValues(), sum: c.sum, count: c.count, createdMs: c.createdMs });
  }

  observe(value: number): void;
  observe(labels: LabelInput<T>, value: number): void;
  observe(a: LabelInput<T> | number, b?: number): void {
    if (typeof a === 'object' && a !== null) this.childFor(a).observe(b as number);
    else (this.unlabelled ?? this.childFor(undefined)).observe(a);
  }

  startTimer(labels?: LabelInput<T>): (endLabels?: LabelInput<T>) => number {
    const start = process.hrtime.bigint();
    return (endLabels) => {
      const s = secondsSince(start);
      this.childFor(endLabels ? { ...labels, ...endLabels } : labels).observe(s);
      return s;
    };
  }

  zero(labels: LabelInput<T>): void {
    this.childFor(labels).reset();
  }
}
