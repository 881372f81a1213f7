import type { LabelValues, MetricPoint } from './family.js';
import { Metric, type LabelInput, type MetricConfig } from './metric.js';
import { validateLabelName, validateLabelValue } from './names.js';

/** One labelled series of an info metric: its identity labels plus the info labels. */
export class InfoChild {
  /** Identity labels merged with the info labels last set. */
  current: LabelValues;
  constructor(readonly labels: LabelValues, private readonly metricName: string) {
    this.current = labels;
  }

  /** Replaces the info labels, e.g. `{version: '1.2.3', revision: 'abc'}`. */
  set(info: Readonly<Record<string, string>>): void {
    const merged: Record<string, string> = { ...this.labels };
    for (const k of Object.keys(info)) {
      validateLabelName(k);
      if (k in this.labels) throw new Error(`info "${this.metricName}": info label "${k}" clashes with a label name of the metric`);
      merged[k] = validateLabelValue(k, info[k]);
    }
    this.current = Object.freeze(merged);
  }
}

/**
 * Textual information that does not change at runtime (build version, configuration),
 * exposed as `<name>_info{...} 1`. The name is given without the `_info` suffix (a given
 * suffix is dropped). The text format shows it as a gauge.
 */
export class Info<T extends string = string> extends Metric<InfoChild, T> {
  constructor(config: MetricConfig<T>) {
    const name = config?.name;
    super({ ...config, name: typeof name === 'string' && name.endsWith('_info') ? name.slice(0, -5) : name }, 'info');
    this.init();
  }

  protected newChild(labels: LabelValues): InfoChild {
    return new InfoChild(labels, this.name);
  }

  protected points(c: InfoChild, out: MetricPoint[]): void {
    out.push({ labels: c.current, value: 1 });
  }

  /** `set({version: '1.0'})`, or `set({instance: 'a'}, {version: '1.0'})` for a labelled info. */
  set(info: Readonly<Record<string, string>>): void;
  set(labels: LabelInput<T>, info: Readonly<Record<string, string>>): void;
  set(a: Readonly<Record<string, string>> | LabelInput<T>, b?: Readonly<Record<string, string>>): void {
    if (b === undefined) this.childFor(undefined).set(a as Readonly<Record<string, string>>);
    else this.childFor(a as LabelInput<T>).set(b);
  }
}
