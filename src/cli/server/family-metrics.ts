/** Builders for the server's own metric families (plain data for the exposition writers). */
import type { HistogramChild, LabelValues, MetricFamily, MetricType, SummaryChild } from '@pyrometer/client';

const NO_LABELS: LabelValues = Object.freeze({});

export function single(name: string, help: string, type: MetricType, value: number, labels: LabelValues = NO_LABELS): MetricFamily {
  return { name, help, type, metrics: [{ labels, value }] };
}

export function gauge(name: string, help: string, value: number, labels?: LabelValues): MetricFamily {
  return single(name, help, 'gauge', value, labels);
}

export function counter(name: string, help: string, value: number, labels?: LabelValues): MetricFamily {
  return single(name, help, 'counter', value, labels);
}

export function family(name: string, help: string, type: MetricType): MetricFamily {
  return { name, help, type, metrics: [] };
}

export function summaryPoint(family: MetricFamily, s: SummaryChild, quantiles: readonly number[]): void {
  family.metrics.push({ labels: s.labels, quantiles, quantileValues: s.quantileValues(), sum: s.sum, count: s.count });
}

/** The child keeps per-bucket counts; the exposition wants them cumulative. */
export function histogramPoint(family: MetricFamily, h: HistogramChild): void {
  const cumulative = new Float64Array(h.counts.length);
  let acc = 0;
  for (let i = 0; i < h.counts.length; i++) cumulative[i] = acc += h.counts[i];
  family.metrics.push({ labels: h.labels, bucketBounds: h.bounds, bucketCounts: cumulative, sum: h.sum, count: h.count });
}
