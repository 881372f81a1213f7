import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gcCollector } from './gc.js';

setFlagsFromString('--expose-gc');
const forceGc = runInNewContext('gc') as () => void;

test('forced collections are observed as major GCs in a cumulative histogram', async () => {
  const c = gcCollector({ gcDurationBuckets: [0.5, 0.0001, 5], labels: { app: 'x' } });
  try {
    forceGc();
    forceGc();
    // PerformanceObserver delivers entries asynchronously.
    await new Promise((r) => setTimeout(r, 50));
    const [fam] = await c.collect();
    assert.equal(fam!.name, 'nodejs_gc_duration_seconds');
    assert.equal(fam!.type, 'histogram');
    const major = fam!.metrics.find((m) => m.labels['kind'] === 'major');
    assert.ok(major, `kinds: ${fam!.metrics.map((m) => m.labels['kind']).join(',')}`);
    assert.equal(major.labels['app'], 'x');
    assert.deepEqual(major.bucketBounds, [0.0001, 0.5, 5, Infinity]);
    assert.ok(major.count! >= 2);
    assert.ok(major.sum! > 0);
    const counts = Array.from(major.bucketCounts!);
    for (let i = 1; i < counts.length; i++) assert.ok(counts[i]! >= counts[i - 1]!);
    assert.equal(counts[counts.length - 1], major.count);
  } finally {
    c.stop();
  }
});
