import type { Exemplar, LabelValues, MetricPoint } from './family.js';
import { Metric, type LabelInput, type MetricConfig } from './metric.js';
import { makeExemplar } from './exemplar.js';

function checkIncrement(name: string, v: number): void {
  if (typeof v !== 'number' || !(v >= 0)) {
    throw new Error(`counter "${name}": increment must be a non-negative number, got ${String(v)}`);
  }
}

/** One labelled series of a counter. */
export class CounterChild {
  value = 0;
  createdMs = Date.now();
  exemplar: Exemplar | undefined = undefined;
  constructor(readonly labels: LabelValues, private readonly metricName: string) {}

  inc(amount = 1): void {
    if (typeof amount !== 'number' || !(amount >= 0)) checkIncrement(this.metricName, amount);
    this.value += amount;
  }

  /** Increments and attaches an exemplar (shown in OpenMetrics only), e.g. `{trace_id: '...'}`. */
  incWithExemplar(exemplarLabels: LabelValues, amount = 1): void {
    checkIncrement(this.metricName, amount);
    this.exemplar = makeExemplar(exemplarLabels, amount);
    this.value += amount;
  }

  reset(): void {
    this.value = 0;
    this.createdMs = Date.now();
    this.exemplar = undefined;
  }
}

/** A monotonically increasing value; resets only when the process restarts. */
export class Counter<T extends string = string> extends Metric<CounterChild, T> {
  constructor(config: MetricConfig<T>) {
    super(config, 'counter');
    this.init();
  }

  protected newChild(labels: LabelValues): CounterChild {
    return new CounterChild(labels, this.name);
  }

  protected points(c: CounterChild, out: MetricPoint[]): void {
    out.push(c.exemplar ? { labels: c.labels, value: c.value, createdMs: c.createdMs, exemplar: c.exemplar } : { labels: c.labels, value: c.value, createdMs: c.createdMs });
  }

  /** `inc()`, `inc(5)`, `inc({method: 'GET'})` or `inc({method: 'GET'}, 5)`. */
  inc(amount?: number): void;
  inc(labels: LabelInput<T>, amount?: number): void;
  inc(a?: LabelInput<T> | number, b?: number): void {
    if (a === undefined && this.unlabelled !== undefined) this.unlabelled.value++;
    else if (typeof a === 'object' && a !== null) this.childFor(a).inc(b ?? 1);
    else (this.unlabelled ?? this.childFor(undefined)).inc(a ?? 1);
  }

  /** Increments with an exemplar: `incWithExemplar({labels, value, exemplarLabels})`. */
  incWithExemplar(opts: { labels?: LabelInput<T>; value?: number; exemplarLabels: LabelValues }): void {
    this.childFor(opts.labels).incWithExemplar(opts.exemplarLabels, opts.value ?? 1);
  }

  /** Creates the series with these labels at 0, so it is exported before the first increment. */
  zero(labels: LabelInput<T>): void {
    this.childFor(labels).reset();
  }
}
