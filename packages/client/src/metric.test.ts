import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from './registry.js';
import { Counter } from './counter.js';
import { Gauge } from './gauge.js';
import { Histogram } from './histogram.js';
import { Summary } from './summary.js';

test('config validation', () => {
  const registers: Registry[] = [];
  assert.throws(() => new Counter({ name: '', help: 'x', registers }), /non-empty/);
  assert.throws(() => new Counter({ name: 'a\ud800', help: 'x', registers }), /UTF-8/);
  assert.throws(() => new Counter({ name: 'a', registers } as never), /help must be a string/);
  assert.throws(() => new Counter({ name: 'a', help: 'x', labelNames: ['__x'], registers }), /reserved/);
  assert.throws(() => new Counter({ name: 'a', help: 'x', labelNames: ['x', 'x'], registers }), /duplicate label name/);
  assert.throws(() => new Histogram({ name: 'h', help: 'x', labelNames: ['le'], registers }), /"le" is reserved for histogram/);
  assert.throws(() => new Summary({ name: 's', help: 'x', labelNames: ['quantile'], registers }), /"quantile" is reserved for summary/);
  assert.throws(() => new Gauge({ name: 'temp', help: 'x', unit: 'celsius', registers }), /unit suffix/);
  new Gauge({ name: 'temp_celsius', help: 'x', unit: 'celsius', registers });
  new Counter({ name: 'sent_bytes_total', help: 'x', unit: 'bytes', registers });
  // Prometheus 3 accepts UTF-8 names.
  new Counter({ name: 'my.metric', help: 'x', labelNames: ['http.method'], registers });
});

test('label values by position or object; strict label sets', async () => {
  const r = new Registry();
  const c = new Counter({ name: 'req_total', help: 'R.', labelNames: ['method', 'code'], registers: [r] });
  c.labels('GET', '200').inc();
  c.labels({ method: 'GET', code: '200' }).inc();
  c.inc({ code: '200', method: 'GET' }, 2);
  c.labels('POST', 500).inc();
  assert.throws(() => c.inc(), /expected 2 label values/);
  assert.throws(() => c.labels('GET'), /expected 2 label values/);
  assert.throws(() => c.inc({ method: 'GET' }), /do not match the label names/);
  assert.throws(() => c.inc({ method: 'GET', code: '1', extra: 'x' } as never), /do not match the label names/);
  assert.throws(() => c.inc({ method: 'GET', extra: '1' } as never), /missing value for label "code"/);
  assert.throws(() => c.labels('GET', null as never), /must be a string or number, got null/);
  assert.equal(
    await r.metrics(),
    '# HELP req_total R.\n# TYPE req_total counter\nreq_total{method="GET",code="200"} 4\nreq_total{method="POST",code="500"} 1\n',
  );
});

test('bound children are stable and survive until removed', async () => {
  const r = new Registry();
  const g = new Gauge({ name: 'q', help: 'Q.', labelNames: ['a', 'b'], registers: [r] });
  const child = g.labels('x', 'y');
  assert.equal(g.labels({ a: 'x', b: 'y' }), child);
  child.set(3);
  g.labels('x', 'z').set(4);
  g.remove('x', 'y');
  assert.notEqual(g.labels('x', 'y'), child);
  g.remove({ a: 'x', b: 'y' });
  g.remove('not', 'there');
  assert.equal(await r.metrics(), '# HELP q Q.\n# TYPE q gauge\nq{a="x",b="z"} 4\n');
  g.reset();
  assert.equal(await r.metrics(), '# HELP q Q.\n# TYPE q gauge\n');
});

test('label values that look alike stay distinct series', async () => {
  const r = new Registry();
  const c = new Counter({ name: 'c', help: 'C.', labelNames: ['a', 'b'], registers: [r] });
  c.labels('x\u0000', 'y').inc();
  c.labels('x', '\u0000y').inc(2);
  c.labels('1', '2').inc(3);
  c.labels(1, 2).inc(4);
  assert.equal((await c.get()).values.map((v) => v.value).join(','), '1,2,7');
});

test('collect callback runs before every collection, async allowed', async () => {
  const r = new Registry();
  let n = 0;
  new Gauge({
    name: 'calls',
    help: 'C.',
    registers: [r],
    async collect() {
      await Promise.resolve();
      this.set(++n);
    },
  });
  await r.metrics();
  assert.equal(await r.metrics(), '# HELP calls C.\n# TYPE calls gauge\ncalls 2\n');
});

test('get() returns the prom-client shape', async () => {
  const h = new Histogram({ name: 'h', help: 'H.', labelNames: ['r'], buckets: [1], registers: [] });
  h.observe({ r: 'x' }, 0.5);
  assert.deepEqual(await h.get(), {
    name: 'h',
    help: 'H.',
    type: 'histogram',
    aggregator: 'sum',
    values: [
      { labels: { r: 'x', le: 1 }, value: 1, metricName: 'h_bucket' },
      { labels: { r: 'x', le: '+Inf' }, value: 1, metricName: 'h_bucket' },
      { labels: { r: 'x' }, value: 0.5, metricName: 'h_sum' },
      { labels: { r: 'x' }, value: 1, metricName: 'h_count' },
    ],
  });
});
