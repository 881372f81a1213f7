import type { LabelValues, MetricPoint } from './family.js';
import { Metric, type LabelInput, type MetricConfig } from './metric.js';
import { secondsSince } from './timer.js';

function checkNumber(name: string, v: unknown): void {
  if (typeof v !== 'number') throw new Error(`gauge "${name}": value must be a number, got ${typeof v}`);
}

/** One labelled series of a gauge. */
export class GaugeChild {
  value = 0;
  constructor(readonly labels: LabelValues, private readonly metricName: string) {}

  set(value: number): void {
    if (typeof value !== 'number') checkNumber(this.metricName, value);
    this.value = value;
  }

  inc(amount = 1): void {
    if (typeof amount !== 'number') checkNumber(this.metricName, amount);
    this.value += amount;
  }

  dec(amount = 1): void {
    if (typeof amount !== 'number') checkNumber(this.metricName, amount);
    this.value -= amount;
  }

  /** Sets the value to the current Unix time in seconds. */
  setToCurrentTime(): void {
    this.value = Date.now() / 1000;
  }

  /** Starts a timer; the returned function sets the gauge to the elapsed seconds and returns them. */
  startTimer(): () => number {
    const start = process.hrtime.bigint();
    return () => {
      const s = secondsSince(start);
      this.value = s;
      return s;
    };
  }
}

/** A value that can go up and down. */
export class Gauge<T extends string = string> extends Metric<GaugeChild, T> {
  constructor(config: MetricConfig<T>) {
    super(config, 'gauge');
    this.init();
  }

  protected newChild(labels: LabelValues): GaugeChild {
    return new GaugeChild(labels, this.name);
  }

  protected points(c: GaugeChild, out: MetricPoint[]): void {
    out.push({ labels: c.labels, value: c.value });
  }

  /** `set(3)` or `set({queue: 'a'}, 3)`. */
  set(value: number): void;
  set(labels: LabelInput<T>, value: number): void;
  set(a: LabelInput<T> | number, b?: number): void {
    if (typeof a === 'object' && a !== null) this.childFor(a).set(b as number);
    else (this.unlabelled ?? this.childFor(undefined)).set(a);
  }

  inc(amount?: number): void;
  inc(labels: LabelInput<T>, amount?: number): void;
  inc(a?: LabelInput<T> | number, b?: number): void {
    if (typeof a === 'object' && a !== null) this.childFor(a).inc(b ?? 1);
    else (this.unlabelled ?? this.childFor(undefined)).inc(a ?? 1);
  }

  dec(amount?: number): void;
  dec(labels: LabelInput<T>, amount?: number): void;
  dec(a?: LabelInput<T> | number, b?: number): void {
    if (typeof a === 'object' && a !== null) this.childFor(a).dec(b ?? 1);
    else (this.unlabelled ?? this.childFor(undefined)).dec(a ?? 1);
  }

  setToCurrentTime(labels?: LabelInput<T>): void {
    this.childFor(labels).setToCurrentTime();
  }

  /**
   * Starts a timer; calling the returned function sets the gauge to the elapsed seconds.
   * Labels may be given at start, at end, or split between both.
   */
  startTimer(labels?: LabelInput<T>): (endLabels?: LabelInput<T>) => number {
    const start = process.hrtime.bigint();
    return (endLabels) => {
      const s = secondsSince(start);
      this.childFor(endLabels ? { ...labels, ...endLabels } : labels).set(s);
      return s;
    };
  }
}
