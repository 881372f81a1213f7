import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry, type Collector } from './registry.js';
import { Counter } from './counter.js';
import { Gauge } from './gauge.js';
import { Histogram } from './histogram.js';
import type { MetricFamily } from './family.js';
import { negotiate } from './negotiate.js';

test('metrics register on construction and render in registration order', async () => {
  const r = new Registry();
  new Gauge({ name: 'b', help: 'B.', registers: [r] }).set(2);
  new Counter({ name: 'a_total', help: 'A.', registers: [r] }).inc();
  assert.equal(await r.metrics(), '# HELP b B.\n# TYPE b gauge\nb 2\n# HELP a_total A.\n# TYPE a_total counter\na_total 1\n');
  assert.equal(r.contentType, 'text/plain; version=0.0.4; charset=utf-8');
});

test('duplicate and clashing names are rejected at registration', () => {
  const r = new Registry();
  new Counter({ name: 'jobs_total', help: 'x', registers: [r] });
  assert.throws(() => new Counter({ name: 'jobs_total', help: 'x', registers: [r] }), /clashes/);
  // "jobs" as a counter also exposes jobs_total in OpenMetrics.
  assert.throws(() => new Counter({ name: 'jobs', help: 'x', registers: [r] }), /clashes/);
  new Histogram({ name: 'lat', help: 'x', registers: [r] });
  assert.throws(() => new Gauge({ name: 'lat_count', help: 'x', registers: [r] }), /clashes with already registered metric "lat"/);
  assert.throws(() => new Gauge({ name: 'lat_bucket', help: 'x', registers: [r] }), /clashes/);
  new Gauge({ name: 'lat_seconds', help: 'x', registers: [r] });
});

test('getSingleMetric, removeSingleMetric, unregister, clear, resetMetrics', async () => {
  const r = new Registry();
  const c = new Counter({ name: 'c', help: 'c', registers: [r] });
  const g = new Gauge({ name: 'g', help: 'g', registers: [r] });
  assert.equal(r.getSingleMetric('c'), c);
  c.inc(5);
  g.set(7);
  r.resetMetrics();
  assert.equal(await r.getSingleMetricAsString('c'), '# HELP c c\n# TYPE c counter\nc 0\n');
  r.removeSingleMetric('c');
  assert.equal(r.getSingleMetric('c'), undefined);
  new Counter({ name: 'c', help: 'again', registers: [r] });
  assert.equal(r.unregister(g), true);
  assert.equal(r.unregister(g), false);
  assert.equal(await r.metrics(), '# HELP c again\n# TYPE c counter\nc 0\n');
  r.clear();
  assert.equal(await r.metrics(), '');
});

test('custom collectors, sync and async, and their clash checks', async () => {
  const r = new Registry();
  const sync: Collector = {
    describe: () => [{ name: 'up', type: 'gauge' }],
    collect: () => [{ name: 'up', help: 'Up.', type: 'gauge', metrics: [{ labels: { job: 'x' }, value: 1 }] }],
  };
  const async: Collector = {
    async collect(): Promise<MetricFamily[]> {
      await new Promise((res) => setTimeout(res, 1));
      return [{ name: 'load', help: '', type: 'gauge', metrics: [{ labels: {}, value: 0.5 }] }];
    },
  };
  r.registerCollector(sync);
  r.registerCollector(async);
  assert.throws(() => r.registerCollector(sync), /already registered/);
  assert.throws(() => new Gauge({ name: 'up', help: 'x', registers: [r] }), /clashes/);
  assert.equal(await r.metrics(), '# HELP up Up.\n# TYPE up gauge\nup{job="x"} 1\n# TYPE load gauge\nload 0.5\n');
  // An undeclared duplicate is caught when collecting instead of producing a corrupt exposition.
  r.registerCollector({ collect: () => [{ name: 'up', help: '', type: 'gauge', metrics: [] }] });
  await assert.rejects(r.metrics(), /duplicate metric family "up"/);
});

test('a failing collector fails the scrape', async () => {
  const r = new Registry();
  r.registerCollector({ collect: () => Promise.reject(new Error('backend down')) });
  await assert.rejects(r.metrics(), /backend down/);
});

test('OpenMetrics content type, default labels and merge', async () => {
  const a = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
  const b = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
  new Gauge({ name: 'x', help: 'X.', registers: [a] }).set(1);
  new Gauge({ name: 'y', help: 'Y.', registers: [b] }).set(2);
  const m = Registry.merge([a, b]);
  m.setDefaultLabels({ service: 'api' });
  assert.equal(await m.metrics(), '# TYPE x gauge\n# HELP x X.\nx{service="api"} 1.0\n# TYPE y gauge\n# HELP y Y.\ny{service="api"} 2.0\n# EOF\n');
  assert.equal(await m.metrics(Registry.PROMETHEUS_CONTENT_TYPE), '# HELP x X.\n# TYPE x gauge\nx{service="api"} 1\n# HELP y Y.\n# TYPE y gauge\ny{service="api"} 2\n');
  assert.throws(() => Registry.merge([a, new Registry()]), /different content types/);
  assert.throws(() => Registry.merge([a, a]), /already registered|clashes/);
  assert.throws(() => m.setDefaultLabels({ __x: 'y' }), /reserved/);
  assert.throws(() => new Registry('application/json'), /unsupported/);
});

test('getMetricsAsFamilies returns the structure the serializers take', async () => {
  const r = new Registry();
  const c = new Counter({ name: 'req_total', help: 'R.', labelNames: ['code'], registers: [r] });
  c.inc({ code: '200' }, 2);
  const fams = await r.getMetricsAsFamilies();
  assert.equal(fams.length, 1);
  assert.equal(fams[0].name, 'req_total');
  assert.equal(fams[0].type, 'counter');
  assert.deepEqual(fams[0].metrics[0].labels, { code: '200' });
  assert.equal(fams[0].metrics[0].value, 2);
  assert.equal(typeof fams[0].metrics[0].createdMs, 'number');
});

test('getMetricsAsJSON and getMetricsAsArray (prom-client shapes)', async () => {
  const r = new Registry();
  const g = new Gauge({ name: 'g', help: 'G.', labelNames: ['a'], registers: [r], aggregator: 'max' });
  g.set({ a: 'x' }, 2);
  r.registerCollector({ collect: () => [{ name: 'i', help: 'I.', type: 'info', metrics: [{ labels: { v: '1' } }] }] });
  assert.deepEqual(await r.getMetricsAsJSON(), [
    { name: 'g', help: 'G.', type: 'gauge', aggregator: 'max', values: [{ labels: { a: 'x' }, value: 2 }] },
    { name: 'i', help: 'I.', type: 'info', aggregator: 'sum', values: [{ labels: { v: '1' }, value: 1 }] },
  ]);
  assert.equal(r.getMetricsAsArray()[0], g);
});

test('registration into several registries is all or nothing', () => {
  const a = new Registry();
  const b = new Registry();
  new Gauge({ name: 'taken', help: 'x', registers: [b] });
  assert.throws(() => new Counter({ name: 'taken', help: 'x', registers: [a, b] }), /clashes/);
  assert.equal(a.getSingleMetric('taken'), undefined);
});

test('rendering in a negotiated content type applies its format and name escaping', async () => {
  const r = new Registry();
  new Gauge({ name: 'cpu.temp', help: 'T.', labelNames: ['core.id'], registers: [r] }).set({ 'core.id': '0' }, 40);
  const prom3 = negotiate('application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,text/plain;version=0.0.4;q=0.3');
  assert.equal(await r.metrics(prom3.contentType), '# TYPE "cpu.temp" gauge\n# HELP "cpu.temp" T.\n{"cpu.temp","core.id"="0"} 40.0\n# EOF\n');
  const legacy = negotiate('text/plain;version=0.0.4');
  assert.equal(await r.metrics(legacy.contentType), '# HELP cpu_temp T.\n# TYPE cpu_temp gauge\ncpu_temp{core_id="0"} 40\n');
  assert.equal(await r.metrics(negotiate('text/plain;escaping=dots').contentType), '# HELP cpu_dot_temp T.\n# TYPE cpu_dot_temp gauge\ncpu_dot_temp{core_dot_id="0"} 40\n');
});
