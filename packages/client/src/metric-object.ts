import type { MetricFamily, MetricType } from './family.js';

/** How the cluster aggregator combines one metric across worker processes. */
export type Aggregator = 'sum' | 'first' | 'min' | 'max' | 'average' | 'omit';

/** One sample in the prom-client `get()` shape. */
export interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** The prom-client `get()` / `getMetricsAsJSON()` shape: a family flattened into samples. */
export interface MetricObject {
  name: string;
  help: string;
  type: MetricType;
  aggregator: Aggregator;
  values: MetricValue[];
}

/** Flattens a family: histogram buckets (`le`), summary quantiles, `_sum` and `_count` become samples. */
export function toMetricObject(fam: MetricFamily, aggregator: Aggregator): MetricObject {
  const values: MetricValue[] = [];
  for (const p of fam.metrics) {
    if (p.bucketBounds && p.bucketCounts) {
      for (let i = 0; i < p.bucketBounds.length; i++) {
        const le = p.bucketBounds[i];
        values.push({ labels: { ...p.labels, le: le === Infinity ? '+Inf' : le }, value: p.bucketCounts[i], metricName: fam.name + '_bucket' });
      }
    } else if (p.quantiles && p.quantileValues) {
      for (let i = 0; i < p.quantiles.length; i++) values.push({ labels: { ...p.labels, quantile: p.quantiles[i] }, value: p.quantileValues[i] });
    } else {
      values.push({ labels: { ...p.labels }, value: fam.type === 'info' ? 1 : p.value ?? 0 });
    }
    if (p.sum !== undefined) values.push({ labels: { ...p.labels }, value: p.sum, metricName: fam.name + '_sum' });
    if (p.count !== undefined) values.push({ labels: { ...p.labels }, value: p.count, metricName: fam.name + '_count' });
  }
  return { name: fam.name, help: fam.help, type: fam.type, aggregator, values };
}
