import type { LabelValues, MetricDesc, MetricFamily, MetricType, MetricPoint } from '../family.js';
import type { Aggregator } from '../metric.js';
import { validateLabelName } from '../names.js';

/**
 * A family with a hint for the cluster aggregator (cluster.ts) on how to merge it across
 * workers. Default metrics set it where summing would be wrong (start time, version, lag).
 */
export interface AggregatableFamily extends MetricFamily {
  aggregator?: Aggregator;
}

export interface DefaultMetricsConfig {
  /** Prepended to every metric name. */
  prefix?: string;
  /** Added to every series. */
  labels?: LabelValues;
}

/** Label objects shared across scrapes: the serializers cache the escaped text per object. */
export class LabelCache {
  readonly base: LabelValues;
  private readonly byValue = new Map<string, LabelValues>();

  constructor(labels: LabelValues = {}, private readonly extraName?: string) {
    for (const k of Object.keys(labels)) validateLabelName(k);
    this.base = Object.freeze({ ...labels });
  }

  /** The base labels plus `<extraName>=value`; the extra label wins over a base label of that name. */
  with(value: string): LabelValues {
    let l = this.byValue.get(value);
    if (!l) {
      l = Object.freeze({ ...this.base, [this.extraName!]: value });
      this.byValue.set(value, l);
    }
    return l;
  }
}

export function family(
  name: string,
  type: MetricType,
  help: string,
  metrics: MetricPoint[],
  aggregator?: Aggregator,
): AggregatableFamily {
  return aggregator === undefined ? { name, help, type, metrics } : { name, help, type, metrics, aggregator };
}

export function descs(families: readonly { name: string; type: MetricType; help: string }[]): MetricDesc[] {
  return families.map(({ name, type, help }) => ({ name, type, help }));
}
