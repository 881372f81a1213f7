/**
 * The PromQL engine's `prometheus_engine_*` metrics: counters read from the Engine at scrape
 * time, and query phase durations as a summary (quantiles 0.5/0.9/0.99 over 10 minutes, as
 * Prometheus) fed by the engine's per-query callback.
 */
import { Summary, type Collector, type MetricFamily, type Registry } from '@pyrometer/client';
import type { Engine, QueryStatistics } from '../../promql/engine.js';

const SLICES: [string, (t: QueryStatistics['timings']) => number][] = [
  ['inner_eval', (t) => t.innerEvalTime],
  ['prepare_time', (t) => t.queryPreparationTime],
  ['queue_time', (t) => t.execQueueTime],
  ['result_sort', (t) => t.resultSortTime],
];

export function registerEngineMetrics(registry: Registry, engine: Engine): void {
  const durations = new Summary({
    name: 'prometheus_engine_query_duration_seconds',
    help: 'Query timings',
    labelNames: ['slice'],
    objectives: { 0.5: 0.05, 0.9: 0.01, 0.99: 0.001 },
    maxAgeSeconds: 600,
    ageBuckets: 5,
    registers: [registry],
  });
  const children = SLICES.map(([slice, read]) => [durations.labels(slice), read] as const);
  engine.onQueryDone = (s) => {
    for (const [child, read] of children) child.observe(read(s.timings));
  };
  registry.registerCollector(engineCollector(engine));
}

export function engineCollector(engine: Engine): Collector {
  const m = engine.metrics;
  const one = (name: string, help: string, type: 'gauge' | 'counter', value: number): MetricFamily => ({ name, help, type, metrics: [{ labels: {}, value }] });
  return {
    collect: (): MetricFamily[] => [
      one('prometheus_engine_queries', 'The current number of queries being executed or waiting.', 'gauge', m.queries),
      one('prometheus_engine_queries_concurrent_max', 'The max number of concurrent queries.', 'gauge', engine.maxConcurrency),
      one('prometheus_engine_query_samples_total', 'The total number of samples loaded by all queries.', 'counter', m.samplesTotal),
      one('prometheus_engine_query_log_enabled', 'State of the query log.', 'gauge', engine.queryLogEnabled ? 1 : 0),
      one('prometheus_engine_query_log_failures_total', 'The number of query log failures.', 'counter', m.queryLogFailures),
      one('pyrometer_engine_queries_canceled_total', 'Queries stopped because they were canceled, e.g. their HTTP client went away.', 'counter', m.canceled),
    ],
  };
}
