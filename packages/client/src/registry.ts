import type { MetricDesc, MetricFamily, LabelValues } from './family.js';
import { sampleNames } from './names.js';
import { serialize } from './exposition.js';
import { PROMETHEUS_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE, formatFromContentType } from './negotiate.js';
import { validateLabelName } from './names.js';
import { toMetricObject, type Aggregator, type MetricObject } from './metric-object.js';

/**
 * Anything that yields metric families at scrape time. Metric classes are collectors; custom
 * collectors (process metrics, values read from another system) implement the same contract.
 */
export interface Collector {
  /**
   * The families this collector will produce. Declared names are checked for clashes when the
   * collector is registered; a collector without `describe` is checked only when collected.
   */
  describe?(): MetricDesc[];
  /** Called on every scrape. May be async; a rejection fails the whole scrape. */
  collect(): MetricFamily[] | Promise<MetricFamily[]>;
}

/** A collector with a single family name: the metric classes implement this. */
export interface NamedCollector extends Collector {
  readonly name: string;
  /** Resets the collected state (values, children); used by `Registry.resetMetrics`. */
  reset?(): void;
}

function isNamed(c: Collector): c is NamedCollector {
  return typeof (c as NamedCollector).name === 'string';
}

export interface RegistryOptions {
  /**
   * Write OpenMetrics `_created` samples (default false, as client_golang). Prometheus ingests
   * them as extra `<name>_created` series unless its created-timestamp feature is enabled.
   */
  createdSamples?: boolean;
}

/** Holds collectors and renders their families in the Prometheus or OpenMetrics text format. */
export class Registry {
  static readonly PROMETHEUS_CONTENT_TYPE = PROMETHEUS_CONTENT_TYPE;
  static readonly OPENMETRICS_CONTENT_TYPE = OPENMETRICS_CONTENT_TYPE;

  private readonly collectors: Collector[] = [];
  private readonly byName = new Map<string, NamedCollector>();
  /** Every sample name claimed by a described family, to the family that claims it. */
  private readonly claimed = new Map<string, string>();
  private readonly descs = new Map<Collector, MetricDesc[]>();
  private defaultLabels: LabelValues = {};
  private _contentType: string;
  /** Whether OpenMetrics output carries `_created` samples. */
  createdSamples: boolean;

  constructor(contentType: string = PROMETHEUS_CONTENT_TYPE, options: RegistryOptions = {}) {
    formatFromContentType(contentType);
    this._contentType = contentType;
    this.createdSamples = options.createdSamples ?? false;
  }

  /** The content type `metrics()` renders when called without one. */
  get contentType(): string {
    return this._contentType;
  }

  setContentType(contentType: string): void {
    formatFromContentType(contentType);
    this._contentType = contentType;
  }

  /** Registers a metric (any object implementing the collector contract with a `name`). */
  registerMetric(metric: NamedCollector): void {
    this.registerCollector(metric);
  }

  /** Registers a collector; throws if one of its declared names clashes with a registered family. */
  registerCollector(collector: Collector): void {
    if (this.descs.has(collector)) throw new Error('collector is already registered');
    const descs = collector.describe ? collector.describe() : [];
    const mine = new Map<string, string>();
    for (const d of descs) {
      for (const s of sampleNames(d.name, d.type)) {
        const other = this.claimed.get(s) ?? mine.get(s);
        if (other !== undefined) {
          throw new Error(`metric "${d.name}" clashes with already registered metric "${other}" (both expose "${s}")`);
        }
        mine.set(s, d.name);
      }
    }
    for (const [s, n] of mine) this.claimed.set(s, n);
    this.descs.set(collector, descs);
    this.collectors.push(collector);
    if (isNamed(collector)) this.byName.set(collector.name, collector);
  }

  /** Removes a collector or metric; returns whether it was registered. */
  unregister(collector: Collector): boolean {
    const i = this.collectors.indexOf(collector);
    if (i < 0) return false;
    this.collectors.splice(i, 1);
    for (const d of this.descs.get(collector) ?? []) {
      for (const s of sampleNames(d.name, d.type)) if (this.claimed.get(s) === d.name) this.claimed.delete(s);
    }
    this.descs.delete(collector);
    if (isNamed(collector) && this.byName.get(collector.name) === collector) this.byName.delete(collector.name);
    return true;
  }

  removeSingleMetric(name: string): void {
    const m = this.byName.get(name);
    if (m) this.unregister(m);
  }

  getSingleMetric(name: string): NamedCollector | undefined {
    return this.byName.get(name);
  }

  /** Removes every collector. */
  clear(): void {
    this.collectors.length = 0;
    this.byName.clear();
    this.claimed.clear();
    this.descs.clear();
  }

  /** Resets the values of every registered metric that supports it. */
  resetMetrics(): void {
    for (const c of this.collectors) if (isNamed(c) && c.reset) c.reset();
  }

  /** Labels added to every series that does not already have a label of that name. */
  setDefaultLabels(labels: LabelValues): void {
    for (const k of Object.keys(labels)) validateLabelName(k);
    this.defaultLabels = Object.freeze({ ...labels });
  }

  getDefaultLabels(): LabelValues {
    return this.defaultLabels;
  }

  /**
   * Collects every collector (in registration order) and returns the families.
   * Throws if two collectors produced the same family name.
   */
  async getMetricsAsFamilies(): Promise<MetricFamily[]> {
    const out: MetricFamily[] = [];
    const seen = new Set<string>();
    for (const c of this.collectors) {
      const r = c.collect();
      const fams = Array.isArray(r) ? r : await r;
      for (const f of fams) {
        if (seen.has(f.name)) throw new Error(`duplicate metric family "${f.name}" collected`);
        seen.add(f.name);
        out.push(f);
      }
    }
    return out;
  }

  /** The collected families in prom-client's JSON shape (`aggregator` from the metric, else `sum`). */
  async getMetricsAsJSON(): Promise<MetricObject[]> {
    const out: MetricObject[] = [];
    for (const c of this.collectors) {
      const r = c.collect();
      const agg = (c as { aggregator?: Aggregator }).aggregator ?? 'sum';
      for (const f of Array.isArray(r) ? r : await r) out.push(toMetricObject(f, agg));
    }
    return out;
  }

  /** The registered collectors and metrics, in registration order. */
  getMetricsAsArray(): Collector[] {
    return [...this.collectors];
  }

  /** Renders all metrics in `contentType` (default: the registry's content type). */
  async metrics(contentType: string = this._contentType): Promise<string> {
    const { format, escaping } = formatFromContentType(contentType);
    return serialize(await this.getMetricsAsFamilies(), format, { escaping, defaultLabels: this.defaultLabels, created: this.createdSamples });
  }

  /** Renders the one named metric, or '' when it is not registered. */
  async getSingleMetricAsString(name: string, contentType: string = this._contentType): Promise<string> {
    const m = this.byName.get(name);
    if (!m) return '';
    const { format, escaping } = formatFromContentType(contentType);
    const r = m.collect();
    const fams = Array.isArray(r) ? r : await r;
    return serialize(fams, format, { escaping, defaultLabels: this.defaultLabels, eof: false, created: this.createdSamples });
  }

  /** A new registry holding the collectors of all `registries`; throws on a name clash. */
  static merge(registries: Registry[]): Registry {
    const ct = registries[0]?.contentType ?? PROMETHEUS_CONTENT_TYPE;
    for (const r of registries) {
      if (r.contentType !== ct) throw new Error('cannot merge registries with different content types');
    }
    const merged = new Registry(ct, { createdSamples: registries.some((r) => r.createdSamples) });
    for (const r of registries) for (const c of r.collectors) merged.registerCollector(c);
    return merged;
  }
}

/** The default registry, used by metrics constructed without `registers`. */
export const register = new Registry();
