/**
 * Garbage-collection pauses as a histogram by kind, fed by a PerformanceObserver on `gc`
 * entries. Observations land in preallocated per-kind arrays; nothing is allocated per GC.
 */
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import type { MetricPoint } from '../family.js';
import { LabelCache, family, type DefaultMetricsConfig } from './common.js';
import type { StoppableCollector } from './eventloop.js';

export interface GcConfig extends DefaultMetricsConfig {
  /** Upper bounds in seconds (default 0.001, 0.01, 0.1, 1, 2, 5, as prom-client). */
  gcDurationBuckets?: number[];
}

export const DEFAULT_GC_BUCKETS: readonly number[] = [0.001, 0.01, 0.1, 1, 2, 5];

const KINDS: readonly [number, string][] = [
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
];

interface KindState {
  labels: MetricPoint['labels'];
  /** Non-cumulative counts; the last slot is the +Inf overflow. */
  counts: Float64Array;
  sum: number;
  count: number;
}

export function gcCollector(config: GcConfig = {}): StoppableCollector {
  const name = `${config.prefix ?? ''}nodejs_gc_duration_seconds`;
  const help = 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.';
  const bounds = [...(config.gcDurationBuckets ?? DEFAULT_GC_BUCKETS)].filter((b) => b !== Infinity).sort((a, b) => a - b);
  const bucketBounds: readonly number[] = Object.freeze([...bounds, Infinity]);
  const byKind = new LabelCache(config.labels, 'kind');
  const states = new Map<number, KindState>();
  for (const [code, kind] of KINDS) {
    states.set(code, { labels: byKind.with(kind), counts: new Float64Array(bounds.length + 1), sum: 0, count: 0 });
  }

  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      const st = states.get(entry.detail?.kind ?? -1);
      if (!st) continue;
      const seconds = entry.duration / 1000;
      let i = 0;
      while (i < bounds.length && seconds > bounds[i]!) i++;
      st.counts[i]!++;
      st.sum += seconds;
      st.count++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });

  return {
    describe: () => [{ name, type: 'histogram', help }],
    collect() {
      const metrics: MetricPoint[] = [];
      // Only kinds that have happened, as a labelled histogram child appears on first observation.
      for (const st of states.values()) {
        if (st.count === 0) continue;
        const cumulative = new Float64Array(bounds.length + 1);
        let acc = 0;
        for (let i = 0; i <= bounds.length; i++) cumulative[i] = acc += st.counts[i]!;
        metrics.push({ labels: st.labels, bucketBounds, bucketCounts: cumulative, sum: st.sum, count: st.count });
      }
      return [family(name, 'histogram', help, metrics)];
    },
    stop: () => observer.disconnect(),
  };
}
