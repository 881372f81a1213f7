import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from './registry.js';
import { Histogram } from './histogram.js';
import { linearBuckets, exponentialBuckets } from './buckets.js';

test('histogram buckets, sum and count in the text format', async () => {
  const r = new Registry();
  const h = new Histogram({ name: 'lat_seconds', help: 'Latency.', labelNames: ['route'], buckets: [0.1, 0.5, 1], registers: [r] });
  const child = h.labels('/');
  for (const v of [0.05, 0.1, 0.3, 0.7, 2, 100]) child.observe(v);
  h.observe({ route: '/x' }, 0.5);
  assert.equal(
    await r.metrics(),
    `# HELP lat_seconds Latency.
# TYPE lat_seconds histogram
lat_seconds_bucket{route="/",le="0.1"} 2
lat_seconds_bucket{route="/",le="0.5"} 3
lat_seconds_bucket{route="/",le="1"} 4
lat_seconds_bucket{route="/",le="+Inf"} 6
lat_seconds_sum{route="/"} 103.15
lat_seconds_count{route="/"} 6
lat_seconds_bucket{route="/x",le="0.1"} 0
lat_seconds_bucket{route="/x",le="0.5"} 1
lat_seconds_bucket{route="/x",le="1"} 1
lat_seconds_bucket{route="/x",le="+Inf"} 1
lat_seconds_sum{route="/x"} 0.5
lat_seconds_count{route="/x"} 1
`,
  );
});

test('many buckets use the binary search path and agree with a linear scan', async () => {
  const bounds = exponentialBuckets(0.001, 1.5, 30);
  const h = new Histogram({ name: 'h', help: 'H.', buckets: bounds, registers: [] });
  const values = [0, 0.001, 0.0011, 0.5, 1, 10, 191, 1e9, -1];
  for (const v of values) h.observe(v);
  const buckets = (await h.get()).values.filter((v) => v.metricName === 'h_bucket');
  for (const b of buckets) {
    const le = b.labels.le === '+Inf' ? Infinity : (b.labels.le as number);
    assert.equal(b.value, values.filter((v) => v <= le).length, `le=${le}`);
  }
});

test('unlabelled histogram is exported with zero counts before any observation', async () => {
  const r = new Registry(Registry.OPENMETRICS_CONTENT_TYPE, { createdSamples: true });
  new Histogram({ name: 'h', help: 'H.', buckets: [1], registers: [r] });
  const out = await r.metrics();
  assert.match(out, /^# TYPE h histogram\n# HELP h H\.\nh_bucket\{le="1\.0"\} 0\nh_bucket\{le="\+Inf"\} 0\nh_count 0\nh_sum 0\.0\nh_created \d+(\.\d+)?\n# EOF\n$/);
});

test('histogram exemplars land on the observed bucket', async () => {
  const r = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
  const h = new Histogram({ name: 'h', help: 'H.', buckets: [1, 2], registers: [r] });
  h.observeWithExemplar({ value: 1.5, exemplarLabels: { trace_id: 't1' } });
  h.labels().observeWithExemplar({ trace_id: 't2' }, 5);
  const out = await r.metrics();
  assert.match(out, /^h_bucket\{le="1\.0"\} 0\n/m);
  assert.match(out, /^h_bucket\{le="2\.0"\} 1 # \{trace_id="t1"\} 1\.5 \d+/m);
  assert.match(out, /^h_bucket\{le="\+Inf"\} 2 # \{trace_id="t2"\} 5\.0 \d+/m);
});

test('bucket validation and helpers', () => {
  assert.throws(() => new Histogram({ name: 'h', help: 'x', buckets: [1, 1], registers: [] }), /strictly increasing/);
  assert.throws(() => new Histogram({ name: 'h', help: 'x', buckets: [2, 1], registers: [] }), /strictly increasing/);
  assert.throws(() => new Histogram({ name: 'h', help: 'x', buckets: [NaN], registers: [] }), /numbers/);
  assert.deepEqual(new Histogram({ name: 'h', help: 'x', buckets: [1, Infinity], registers: [] }).upperBounds, [1, Infinity]);
  assert.deepEqual(linearBuckets(1, 0.5, 4), [1, 1.5, 2, 2.5]);
  assert.deepEqual(exponentialBuckets(1, 2, 4), [1, 2, 4, 8]);
  assert.throws(() => linearBuckets(0, 0, 3), /width/);
  assert.throws(() => exponentialBuckets(0, 2, 3), /start/);
  assert.throws(() => exponentialBuckets(1, 1, 3), /factor/);
  assert.throws(() => exponentialBuckets(1, 2, 0), /count/);
});

test('startTimer observes elapsed seconds', async () => {
  const h = new Histogram({ name: 'h', help: 'x', labelNames: ['op'], registers: [] });
  const end = h.startTimer({ op: 'a' });
  await new Promise((res) => setTimeout(res, 10));
  const s = end();
  const sum = (await h.get()).values.find((v) => v.metricName === 'h_sum');
  assert.equal(sum?.value, s);
  assert.ok(s > 0.005);
});
