/**
 * The exposition data structure: what a collector returns and what the serializers write.
 *
 * It is independent of the metric classes so that other producers (custom collectors, the
 * server's /federate endpoint) can build families directly and reuse the serializers.
 */

/** Metric types of OpenMetrics 1.0. The text format 0.0.4 writes info and stateset as gauges. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';

export type LabelValues = Readonly<Record<string, string>>;

export interface Exemplar {
  labels: LabelValues;
  value: number;
  /** Milliseconds since the Unix epoch. */
  timestampMs?: number;
}

/**
 * One series (or one histogram/summary) of a family.
 *
 * - counter, gauge, unknown: `value`.
 * - info: `value` is ignored (always 1); the labels carry the information.
 * - stateset: one point per state; the label named after the family holds the state, `value` is 1 or 0.
 * - histogram / gaugehistogram: `bucketBounds` (ascending upper bounds; a final +Inf may be omitted)
 *   with cumulative `bucketCounts`, plus `sum` and `count`.
 * - summary: `quantiles` with `quantileValues`, plus `sum` and `count`.
 *
 * Objects passed as `labels` may be reused across collections: the serializers cache their
 * escaped text per object, so keep one frozen object per child rather than building a new one.
 */
export interface MetricPoint {
  labels: LabelValues;
  value?: number;
  bucketBounds?: readonly number[];
  bucketCounts?: ArrayLike<number>;
  /** Per bucket, parallel to `bucketBounds` (OpenMetrics only). */
  bucketExemplars?: readonly (Exemplar | undefined)[];
  quantiles?: readonly number[];
  quantileValues?: ArrayLike<number>;
  sum?: number;
  count?: number;
  /** Milliseconds since the Unix epoch; omitted from the output when undefined. */
  timestampMs?: number;
  /** Counter exemplar (OpenMetrics only). */
  exemplar?: Exemplar;
  /** Creation time in milliseconds since the Unix epoch: the OpenMetrics `_created` sample. */
  createdMs?: number;
}

export interface MetricFamily {
  /**
   * The family name. For counters it may end in `_total` (the text format writes it as given; OpenMetrics
   * strips the suffix from the family and adds it to the sample). For info families it is the name
   * without the `_info` suffix.
   */
  name: string;
  help: string;
  type: MetricType;
  /** OpenMetrics unit; the name must then end in `_<unit>`. */
  unit?: string;
  metrics: MetricPoint[];
}

/** What a collector declares before collecting, so the registry can reject clashes up front. */
export interface MetricDesc {
  name: string;
  type: MetricType;
  help?: string;
}
