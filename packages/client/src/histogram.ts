import type { Exemplar, LabelValues, MetricPoint } from './family.js';
import { Metric, type LabelInput, type MetricConfig } from './metric.js';
import { normalizeBuckets } from './buckets.js';
import { makeExemplar } from './exemplar.js';
import { secondsSince } from './timer.js';

export interface HistogramConfig<T extends string = string> extends MetricConfig<T> {
  /** Upper bounds, strictly increasing; +Inf is added. Default: `DEFAULT_BUCKETS`. */
  buckets?: readonly number[];
}

function checkNumber(name: string, v: unknown): void {
  if (typeof v !== 'number') throw new Error(`histogram "${name}": observed value must be a number, got ${typeof v}`);
}

/** Index of the first bound >= v (NaN lands in the +Inf bucket, as in client_golang). */
function bucketIndex(bounds: readonly number[], v: number): number {
  const n = bounds.length;
  if (n <= 16) {
    for (let i = 0; i < n; i++) if (v <= bounds[i]) return i;
    return n - 1;
  }
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= bounds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** One labelled series of a histogram. */
export class HistogramChild {
  /** Per-bucket (not cumulative) counts; the last bucket is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  createdMs = Date.now();
  exemplars: (Exemplar | undefined)[] | undefined = undefined;

  constructor(readonly labels: LabelValues, readonly bounds: readonly number[], private readonly metricName: string) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    if (typeof value !== 'number') checkNumber(this.metricName, value);
    this.counts[bucketIndex(this.bounds, value)]++;
    this.sum += value;
    this.count++;
  }

  /** Observes and attaches an exemplar to the value's bucket (OpenMetrics only). */
  observeWithExemplar(exemplarLabels: LabelValues, value: number): void {
    checkNumber(this.metricName, value);
    const e = makeExemplar(exemplarLabels, value);
    const i = bucketIndex(this.bounds, value);
    (this.exemplars ??= new Array<Exemplar | undefined>(this.bounds.length).fill(undefined))[i] = e;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }

  /** Starts a timer; the returned function observes the elapsed seconds and returns them. */
  startTimer(): () => number {
    const start = process.hrtime.bigint();
    return () => {
      const s = secondsSince(start);
      this.observe(s);
      return s;
    };
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.createdMs = Date.now();
    this.exemplars = undefined;
  }
}

/** Counts observations in configurable buckets, plus their sum and count. */
export class Histogram<T extends string = string> extends Metric<HistogramChild, T> {
  readonly upperBounds: readonly number[];

  constructor(config: HistogramConfig<T>) {
    super(config, 'histogram', ['le']);
    this.upperBounds = normalizeBuckets(config.name, config.buckets);
    this.init();
  }

  protected newChild(labels: LabelValues): HistogramChild {
    return new HistogramChild(labels, this.upperBounds, this.name);
  }

  protected points(c: HistogramChild, out: MetricPoint[]): void {
    const cumulative = new Float64Array(c.counts.length);
    let acc = 0;
    for (let i = 0; i < c.counts.length; i++) cumulative[i] = acc += c.counts[i];
    const p: MetricPoint = { labels: c.labels, bucketBounds: c.bounds, bucketCounts: cumulative, sum: c.sum, count: c.count, createdMs: c.createdMs };
    if (c.exemplars) p.bucketExemplars = c.exemplars.slice();
    out.push(p);
  }

  /** `observe(0.25)` or `observe({route: '/'}, 0.25)`. */
  observe(value: number): void;
  observe(labels: LabelInput<T>, value: number): void;
  observe(a: LabelInput<T> | number, b?: number): void {
    if (typeof a === 'object' && a !== null) this.childFor(a).observe(b as number);
    else (this.unlabelled ?? this.childFor(undefined)).observe(a);
  }

  /** Observes with an exemplar: `observeWithExemplar({labels, value, exemplarLabels})`. */
  observeWithExemplar(opts: { labels?: LabelInput<T>; value: number; exemplarLabels: LabelValues }): void {
    this.childFor(opts.labels).observeWithExemplar(opts.exemplarLabels, opts.value);
  }

  /** Starts a timer; the returned function observes the elapsed seconds (labels at start and/or end). */
  startTimer(labels?: LabelInput<T>): (endLabels?: LabelInput<T>) => number {
    const start = process.hrtime.bigint();
    return (endLabels) => {
      const s = secondsSince(start);
      this.childFor(endLabels ? { ...labels, ...endLabels } : labels).observe(s);
      return s;
    };
  }

  /** Creates (or resets) the series with these labels at zero. */
  zero(labels: LabelInput<T>): void {
    this.childFor(labels).reset();
  }
}
