import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventLoopCollector } from './eventloop.js';
import type { MetricFamily } from '../family.js';

function busy(ms: number): void {
  const t0 = Date.now();
  while (Date.now() - t0 < ms);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('a blocked loop shows in the lag gauges', async () => {
  const c = eventLoopCollector({ eventLoopMonitoringPrecision: 5 });
  try {
    await sleep(30);
    busy(80);
    await sleep(30);
    const pending = c.collect() as Promise<MetricFamily[]>;
    busy(40); // delays the setImmediate the scrape-time gauge waits for
    const fams = new Map((await pending).map((f) => [f.name, f]));
    const v = (n: string): number => fams.get(`nodejs_eventloop_lag_${n}seconds`)!.metrics[0]!.value!;
    assert.ok(v('') >= 0.035, `lag ${v('')}`);
    assert.ok(v('max_') >= 0.075, `max ${v('max_')}`);
    assert.ok(v('min_') > 0 && v('min_') <= v('p50_') && v('p50_') <= v('p90_') && v('p90_') <= v('p99_') && v('p99_') <= v('max_'));
    assert.ok(v('mean_') > v('min_') && v('stddev_') > 0);
    // The histogram restarts at each scrape: an immediate second scrape has no delay samples.
    const again = new Map((await c.collect()).map((f) => [f.name, f]));
    assert.equal(again.get('nodejs_eventloop_lag_max_seconds')!.metrics.length, 0);
    assert.equal(again.get('nodejs_eventloop_lag_seconds')!.metrics.length, 1);
  } finally {
    c.stop();
  }
});
