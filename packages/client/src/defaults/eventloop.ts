/**
 * Event-loop lag. `nodejs_eventloop_lag_seconds` is measured at scrape time (how long a
 * setImmediate callback waits); the min/max/mean/stddev/percentile gauges summarize
 * perf_hooks.monitorEventLoopDelay samples since the previous scrape. As in prom-client, those
 * samples are the full interval between timer ticks, so an idle loop shows about the
 * monitoring precision (10 ms by default).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Collector } from '../registry.js';
import { LabelCache, family, descs, type AggregatableFamily, type DefaultMetricsConfig } from './common.js';
import type { Aggregator } from '../metric.js';

export interface EventLoopConfig extends DefaultMetricsConfig {
  /** Sampling interval of monitorEventLoopDelay in milliseconds (default 10). */
  eventLoopMonitoringPrecision?: number;
}

export interface StoppableCollector extends Collector {
  /** Releases the monitor or observer behind the collector. */
  stop(): void;
}

const SUMMARY: { suffix: string; help: string; aggregator: Aggregator; read: (h: IntervalHistogram) => number }[] = [
  { suffix: 'min', help: 'The minimum recorded event loop delay.', aggregator: 'min', read: (h) => h.min },
  { suffix: 'max', help: 'The maximum recorded event loop delay.', aggregator: 'max', read: (h) => h.max },
  { suffix: 'mean', help: 'The mean of the recorded event loop delays.', aggregator: 'average', read: (h) => h.mean },
  { suffix: 'stddev', help: 'The standard deviation of the recorded event loop delays.', aggregator: 'average', read: (h) => h.stddev },
  { suffix: 'p50', help: 'The 50th percentile of the recorded event loop delays.', aggregator: 'average', read: (h) => h.percentile(50) },
  { suffix: 'p90', help: 'The 90th percentile of the recorded event loop delays.', aggregator: 'average', read: (h) => h.percentile(90) },
  { suffix: 'p99', help: 'The 99th percentile of the recorded event loop delays.', aggregator: 'average', read: (h) => h.percentile(99) },
];

function immediateDelaySeconds(): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => setImmediate(() => resolve(Number(process.hrtime.bigint() - start) / 1e9)));
}

export function eventLoopCollector(config: EventLoopConfig = {}): StoppableCollector {
  const p = config.prefix ?? '';
  const labels = new LabelCache(config.labels).base;
  const resolution = config.eventLoopMonitoringPrecision ?? 10;
  const histogram = monitorEventLoopDelay({ resolution });
  histogram.enable();

  const lag = { name: `${p}nodejs_eventloop_lag_seconds`, type: 'gauge' as const, help: 'Lag of event loop in seconds.' };
  const stats = SUMMARY.map((s) => ({ ...s, name: `${p}nodejs_eventloop_lag_${s.suffix}_seconds`, type: 'gauge' as const }));

  return {
    describe: () => descs([lag, ...stats]),
    async collect() {
      const delay = await immediateDelaySeconds();
      // With no sample since the last reset the histogram reports sentinels (min 2^63, mean NaN): expose nothing then.
      const fresh = histogram.count > 0;
      const out: AggregatableFamily[] = [family(lag.name, lag.type, lag.help, [{ labels, value: delay }], 'average')];
      for (const s of stats) {
        out.push(family(s.name, s.type, s.help, fresh ? [{ labels, value: s.read(histogram) / 1e9 }] : [], s.aggregator));
      }
      histogram.reset();
      return out;
    },
    stop: () => histogram.disable(),
  };
}
