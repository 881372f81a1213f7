import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from './registry.js';
import { Counter } from './counter.js';

test('counter increments and rejects decreases', async () => {
  const r = new Registry();
  const c = new Counter({ name: 'jobs_total', help: 'Jobs.', registers: [r] });
  c.inc();
  c.inc(2.5);
  c.inc(0);
  assert.throws(() => c.inc(-1), /non-negative/);
  assert.throws(() => c.inc(NaN), /non-negative/);
  assert.throws(() => c.inc('1' as never), /non-negative/);
  assert.equal(await r.metrics(), '# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total 3.5\n');
});

test('counter exemplars and _created in OpenMetrics', async () => {
  const r = new Registry(Registry.OPENMETRICS_CONTENT_TYPE, { createdSamples: true });
  const c = new Counter({ name: 'req_total', help: 'Req.', labelNames: ['code'], registers: [r] });
  const before = Date.now();
  c.labels('200').incWithExemplar({ trace_id: 'abc' }, 2);
  c.incWithExemplar({ labels: { code: '500' }, exemplarLabels: { trace_id: 'def' } });
  const out = await r.metrics();
  const m = /^req_total\{code="200"\} 2\.0 # \{trace_id="abc"\} 2\.0 (\d+(?:\.\d+)?)\nreq_created\{code="200"\} (\d+(?:\.\d+)?)\n/m.exec(out);
  assert.ok(m, out);
  assert.ok(Number(m[1]) * 1000 >= before - 1 && Number(m[1]) * 1000 <= Date.now() + 1);
  assert.ok(Number(m[2]) * 1000 >= before - 1000);
  assert.match(out, /^req_total\{code="500"\} 1\.0 # \{trace_id="def"\} 1\.0 \d+/m);
  assert.match(out, /^# TYPE req counter\n# HELP req Req\.\n/);
  // The text format has no exemplars.
  assert.doesNotMatch(await r.metrics(Registry.PROMETHEUS_CONTENT_TYPE), /#.*trace_id/);
});

test('exemplar labels are limited to 128 characters', () => {
  const c = new Counter({ name: 'x_total', help: 'x', registers: [] });
  c.incWithExemplar({ exemplarLabels: { trace_id: 'a'.repeat(120) } });
  assert.throws(() => c.incWithExemplar({ exemplarLabels: { trace_id: 'a'.repeat(121) } }), /more than the OpenMetrics limit of 128/);
  // Code points, not UTF-16 units, are counted.
  c.incWithExemplar({ exemplarLabels: { t: '😀'.repeat(127) } });
  assert.throws(() => c.incWithExemplar({ exemplarLabels: { __t: 'x' } }), /reserved/);
});

test('zero() creates a series at 0 and reset() clears children', async () => {
  const r = new Registry();
  const c = new Counter({ name: 'e_total', help: 'E.', labelNames: ['kind'], registers: [r] });
  c.zero({ kind: 'timeout' });
  assert.equal(await r.metrics(), '# HELP e_total E.\n# TYPE e_total counter\ne_total{kind="timeout"} 0\n');
  c.reset();
  assert.equal(await r.metrics(), '# HELP e_total E.\n# TYPE e_total counter\n');
});

test('_created samples are off unless the registry asks for them', async () => {
  const r = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
  new Counter({ name: 'n_total', help: 'N.', registers: [r] }).inc();
  assert.equal(await r.metrics(), '# TYPE n counter\n# HELP n N.\nn_total 1.0\n# EOF\n');
  r.createdSamples = true;
  assert.match(await r.metrics(), /^n_created \d+(\.\d+)?$/m);
});
