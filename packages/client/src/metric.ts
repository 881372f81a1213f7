import type { LabelValues, MetricDesc, MetricFamily, MetricPoint, MetricType } from './family.js';
import { register as defaultRegistry, type NamedCollector, type Registry } from './registry.js';
import { validateLabelName, validateLabelValue, validateMetricName } from './names.js';
import { toMetricObject, type Aggregator, type MetricObject } from './metric-object.js';

export type { Aggregator, MetricObject, MetricValue } from './metric-object.js';

export interface MetricConfig<T extends string = string> {
  name: string;
  help: string;
  labelNames?: readonly T[];
  /** Registries to register with; default the global `register`, `[]` for none. */
  registers?: readonly Registry[];
  /** OpenMetrics unit; the name must end in `_<unit>` (before `_total` for counters). */
  unit?: string;
  /** Called before every collection, with the metric as `this`; may be async. */
  collect?: (this: any) => void | Promise<void>;
  aggregator?: Aggregator;
}

/** Label values by name, as accepted by the prom-client style methods. */
export type LabelInput<T extends string = string> = Partial<Record<T, string | number>>;

/** State shared by every metric child: its frozen label object. */
export interface Child {
  readonly labels: LabelValues;
}

type Level<C> = Map<string, Level<C> | C>;

/**
 * Base of the metric classes: config checks, registration and the label-value → child index.
 *
 * Children are kept in nested maps, one level per label, so a lookup by values or by label
 * object builds no key string and allocates nothing once the child exists.
 */
export abstract class Metric<C extends Child, T extends string = string> implements NamedCollector {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly T[];
  readonly unit: string | undefined;
  readonly aggregator: Aggregator;
  readonly type: MetricType;
  private readonly collectCallback: ((this: any) => void | Promise<void>) | undefined;
  private root: Level<C> = new Map();
  /** Children in creation order (the exposition order). */
  protected readonly children = new Set<C>();
  /** The single child of a metric without label names (hot path for `metric.inc()`). */
  protected unlabelled: C | undefined;
  private readonly registries: readonly Registry[];

  constructor(config: MetricConfig<T>, type: MetricType, reserved: readonly string[] = []) {
    if (!config || typeof config !== 'object') throw new Error('metric config object is required');
    validateMetricName(config.name);
    if (typeof config.help !== 'string') throw new Error(`metric "${config.name}": help must be a string`);
    this.name = config.name;
    this.help = config.help;
    this.type = type;
    const names = config.labelNames ?? [];
    const seen = new Set<string>();
    for (const n of names) {
      validateLabelName(n);
      if (reserved.includes(n)) throw new Error(`metric "${config.name}": label name "${n}" is reserved for ${type} metrics`);
      if (seen.has(n)) throw new Error(`metric "${config.name}": duplicate label name "${n}"`);
      seen.add(n);
    }
    this.labelNames = Object.freeze([...names]);
    if (config.unit !== undefined) {
      const base = type === 'counter' && config.name.endsWith('_total') ? config.name.slice(0, -6) : config.name;
      if (!/^[a-zA-Z0-9_:]+$/.test(config.unit)) throw new Error(`metric "${config.name}": invalid unit "${config.unit}"`);
      if (!base.endsWith('_' + config.unit)) throw new Error(`metric "${config.name}": name must end with the unit suffix "_${config.unit}"`);
    }
    this.unit = config.unit;
    this.aggregator = config.aggregator ?? 'sum';
    if (config.collect !== undefined && typeof config.collect !== 'function') throw new Error(`metric "${config.name}": collect must be a function`);
    this.collectCallback = config.collect;
    this.registries = config.registers ?? [defaultRegistry];
  }

  /** Subclasses call this last in their constructor, once their own fields are set. */
  protected init(): void {
    if (this.labelNames.length === 0) {
      this.unlabelled = this.newChild(Object.freeze({}));
      this.children.add(this.unlabelled);
    }
    // All or nothing: a clash in one registry must not leave the metric in the others.
    const done: Registry[] = [];
    try {
      for (const r of this.registries) {
        r.registerMetric(this);
        done.push(r);
      }
    } catch (e) {
      for (const r of done) r.unregister(this);
      throw e;
    }
  }

  protected abstract newChild(labels: LabelValues): C;
  /** Appends the points of one child to `out`. */
  protected abstract points(child: C, out: MetricPoint[]): void;

  describe(): MetricDesc[] {
    return [{ name: this.name, type: this.type, help: this.help }];
  }

  /** Synchronous unless a `collect` callback is configured (saves a promise per metric per scrape). */
  collect(): MetricFamily[] | Promise<MetricFamily[]> {
    if (this.collectCallback) {
      const r: unknown = this.collectCallback.call(this);
      if (r && typeof (r as PromiseLike<void>).then === 'function') return Promise.resolve(r).then(() => this.families());
    }
    return this.families();
  }

  private families(): MetricFamily[] {
    const metrics: MetricPoint[] = [];
    for (const c of this.children) this.points(c, metrics);
    const fam: MetricFamily = { name: this.name, help: this.help, type: this.type, metrics };
    if (this.unit !== undefined) fam.unit = this.unit;
    return [fam];
  }

  /** The collected samples in prom-client's `get()` shape (histogram buckets, sums, counts flattened). */
  async get(): Promise<MetricObject> {
    const [fam] = await this.collect();
    return toMetricObject(fam, this.aggregator);
  }

  /**
   * The child for the given label values (positional, in `labelNames` order, or one object).
   * Keep the returned child for hot paths: its methods skip the label lookup.
   */
  labels(...values: (string | number)[]): C;
  labels(labels: LabelInput<T>): C;
  labels(...args: unknown[]): C {
    if (args.length === 1 && args[0] !== null && typeof args[0] === 'object') return this.childFor(args[0] as LabelInput<T>);
    return this.childForValues(args);
  }

  /** Removes the child with these label values (positional or one object). */
  remove(...values: (string | number)[]): void;
  remove(labels: LabelInput<T>): void;
  remove(...args: unknown[]): void {
    const values = args.length === 1 && args[0] !== null && typeof args[0] === 'object' ? this.valuesOf(args[0] as LabelInput<T>) : args;
    if (values.length !== this.labelNames.length) throw this.countError(values.length);
    if (values.length === 0) return;
    const path: Level<C>[] = [this.root];
    let m: Level<C> = this.root;
    for (let i = 0; i < values.length - 1; i++) {
      const next = m.get(this.str(i, values[i])) as Level<C> | undefined;
      if (!next) return;
      path.push(next);
      m = next;
    }
    const last = this.str(values.length - 1, values[values.length - 1]);
    const child = m.get(last) as C | undefined;
    if (!child) return;
    m.delete(last);
    this.children.delete(child);
    // Prune emptied levels so removed series do not leak maps.
    for (let i = path.length - 1; i > 0 && path[i].size === 0; i--) path[i - 1].delete(this.str(i - 1, values[i - 1]));
  }

  /** Drops every labelled child; an unlabelled metric returns to its initial value. */
  reset(): void {
    this.root = new Map();
    this.children.clear();
    if (this.labelNames.length === 0) {
      this.unlabelled = this.newChild(Object.freeze({}));
      this.children.add(this.unlabelled);
    }
  }

  /** The child for a label object (or the unlabelled child when `labels` is undefined). */
  protected childFor(labels: LabelInput<T> | undefined): C {
    const names = this.labelNames;
    if (labels === undefined) {
      if (this.unlabelled) return this.unlabelled;
      throw this.countError(0);
    }
    const n = names.length;
    let given = 0;
    for (const k in labels) if (labels[k as T] !== undefined) given++;
    if (given !== n) throw this.labelSetError(labels);
    if (n === 0) return this.unlabelled!;
    let m: Level<C> = this.root;
    for (let i = 0; i < n - 1; i++) {
      const next = m.get(this.str(i, labels[names[i]])) as Level<C> | undefined;
      if (next === undefined) return this.create(this.valuesOf(labels));
      m = next;
    }
    const c = m.get(this.str(n - 1, labels[names[n - 1]])) as C | undefined;
    return c ?? this.create(this.valuesOf(labels));
  }

  protected childForValues(values: ArrayLike<unknown>): C {
    const n = this.labelNames.length;
    if (values.length !== n) throw this.countError(values.length);
    if (n === 0) return this.unlabelled!;
    let m: Level<C> = this.root;
    for (let i = 0; i < n - 1; i++) {
      const next = m.get(this.str(i, values[i])) as Level<C> | undefined;
      if (next === undefined) return this.create(values);
      m = next;
    }
    const c = m.get(this.str(n - 1, values[n - 1])) as C | undefined;
    return c ?? this.create(values);
  }

  private str(i: number, v: unknown): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
    if (v === undefined) throw new Error(`metric "${this.name}": missing value for label "${this.labelNames[i]}"`);
    throw new Error(`metric "${this.name}": value of label "${this.labelNames[i]}" must be a string or number, got ${v === null ? 'null' : typeof v}`);
  }

  private valuesOf(labels: LabelInput<T>): unknown[] {
    for (const k in labels) {
      if (labels[k as T] !== undefined && !this.labelNames.includes(k as T)) throw this.labelSetError(labels);
    }
    return this.labelNames.map((n) => {
      const v = labels[n];
      if (v === undefined) throw this.labelSetError(labels);
      return v;
    });
  }

  private create(values: ArrayLike<unknown>): C {
    const names = this.labelNames;
    const obj: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) obj[names[i]] = validateLabelValue(names[i], this.str(i, values[i]));
    const child = this.newChild(Object.freeze(obj));
    let m = this.root;
    for (let i = 0; i < names.length - 1; i++) {
      const k = obj[names[i]];
      let next = m.get(k) as Level<C> | undefined;
      if (next === undefined) {
        next = new Map();
        m.set(k, next);
      }
      m = next;
    }
    m.set(obj[names[names.length - 1]], child);
    this.children.add(child);
    return child;
  }

  private countError(got: number): Error {
    return new Error(`metric "${this.name}": expected ${this.labelNames.length} label values (${this.labelNames.join(', ')}), got ${got}`);
  }

  private labelSetError(labels: object): Error {
    return new Error(`metric "${this.name}": labels ${JSON.stringify(labels)} do not match the label names [${this.labelNames.join(', ')}]`);
  }
}
