/**
 * `collectDefaultMetrics`: registers the process, Node.js runtime, event-loop and GC collectors,
 * with the metric names prom-client and the Prometheus Go client use.
 */
import { Registry, register as globalRegistry, type Collector } from '../registry.js';
import type { LabelValues } from '../family.js';
import { processCollector } from './process.js';
import { nodejsCollector } from './nodejs.js';
import { eventLoopCollector } from './eventloop.js';
import { gcCollector } from './gc.js';

export interface DefaultMetricsOptions {
  /** Where to register (default: the global registry). */
  register?: Registry;
  /** Prepended to every metric name. */
  prefix?: string;
  /** Added to every series. */
  labels?: LabelValues;
  /** Sampling interval of the event-loop delay monitor in milliseconds (default 10). */
  eventLoopMonitoringPrecision?: number;
  /** Bucket upper bounds for `nodejs_gc_duration_seconds`. */
  gcDurationBuckets?: number[];
}

export interface DefaultMetrics {
  readonly collectors: readonly Collector[];
  /** Unregisters the collectors and stops the event-loop monitor and GC observer. */
  stop(): void;
}

export function collectDefaultMetrics(options: DefaultMetricsOptions = {}): DefaultMetrics {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const registry = options.register ?? globalRegistry;
  const eventLoop = eventLoopCollector(options);
  const gc = gcCollector(options);
  const collectors: Collector[] = [processCollector(options), nodejsCollector(options), eventLoop, gc];
  const registered: Collector[] = [];
  const stop = (): void => {
    for (const c of registered) registry.unregister(c);
    registered.length = 0;
    eventLoop.stop();
    gc.stop();
  };
  try {
    for (const c of collectors) {
      registry.registerCollector(c);
      registered.push(c);
    }
  } catch (e) {
    // A name clash (e.g. called twice on one registry) must not leave half the set registered.
    stop();
    throw e;
  }
  return { collectors, stop };
}
