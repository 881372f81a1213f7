export const CLIENT_VERSION = '0.1.0';

export type { MetricType, LabelValues, Exemplar, MetricPoint, MetricFamily, MetricDesc } from './family.js';
export { Registry, register, type Collector, type NamedCollector, type RegistryOptions } from './registry.js';
export { Metric, type MetricConfig, type LabelInput, type Aggregator, type MetricObject, type MetricValue } from './metric.js';
export { Counter, CounterChild } from './counter.js';
export { Gauge, GaugeChild } from './gauge.js';
export { Histogram, HistogramChild, type HistogramConfig } from './histogram.js';
export { Summary, SummaryChild, DEFAULT_PERCENTILES, type SummaryConfig } from './summary.js';
export { Info, InfoChild } from './info.js';
export { StateSet, StateSetChild, Enum, type StateSetConfig } from './stateset.js';
export { DEFAULT_BUCKETS, linearBuckets, exponentialBuckets, exponentialBucketsRange } from './buckets.js';
export { QuantileStream, type Objective } from './quantile.js';
export { EXEMPLAR_MAX_RUNES } from './exemplar.js';
export { serialize, type SerializeOptions } from './exposition.js';
export { writeText } from './text-format.js';
export { writeOpenMetrics } from './openmetrics-format.js';
export {
  negotiate,
  formatFromContentType,
  acceptsGzip,
  PROMETHEUS_CONTENT_TYPE,
  OPENMETRICS_CONTENT_TYPE,
  DEFAULT_ESCAPING,
  type ExpositionFormat,
  type Negotiated,
} from './negotiate.js';
// prom-client's names for the two content types.
export { PROMETHEUS_CONTENT_TYPE as prometheusContentType, OPENMETRICS_CONTENT_TYPE as openMetricsContentType } from './negotiate.js';
export { escapeName, ESCAPING_SCHEMES, type EscapingScheme } from './escaping.js';
export { goFloat, omFloat } from './floats.js';
export { isLegacyMetricName, isLegacyLabelName, validateMetricName, validateLabelName } from './names.js';
export { collectDefaultMetrics, type DefaultMetricsOptions, type DefaultMetrics } from './defaults/index.js';
export { metricsHandler, type MetricsHandlerOptions } from './http.js';
export { Pushgateway, groupingPath, type PushParams, type PushgatewayOptions, type PushResponse } from './push.js';
// Also installs the worker-side IPC listener that answers the primary's AggregatorRegistry.
export { AggregatorRegistry, aggregateFamilies, type AggregatorRegistryOptions, type ClusterAggregation, type WorkerFamilies } from './cluster.js';
