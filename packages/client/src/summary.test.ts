import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from './registry.js';
import { Summary, SummaryChild } from './summary.js';

test('summary exposes quantiles, sum and count', async () => {
  const r = new Registry();
  const s = new Summary({ name: 'rpc_seconds', help: 'RPC.', objectives: { 0.5: 0.05, 0.9: 0.01, 0.99: 0.001 }, registers: [r] });
  for (let i = 1; i <= 1000; i++) s.observe(i);
  const out = await r.metrics();
  const q = (p: string) => Number(new RegExp(`^rpc_seconds\\{quantile="${p}"\\} (\\S+)$`, 'm').exec(out)![1]);
  assert.ok(Math.abs(q('0.5') - 500) <= 50, String(q('0.5')));
  assert.ok(Math.abs(q('0.9') - 900) <= 10, String(q('0.9')));
  assert.ok(Math.abs(q('0.99') - 990) <= 1, String(q('0.99')));
  assert.match(out, /^rpc_seconds_sum 500500$/m);
  assert.match(out, /^rpc_seconds_count 1000$/m);
});

test('summary with no observations reports NaN quantiles; default percentiles', async () => {
  const r = new Registry();
  new Summary({ name: 's', help: 'S.', registers: [r] });
  assert.equal(
    await r.metrics(),
    `# HELP s S.
# TYPE s summary
s{quantile="0.01"} NaN
s{quantile="0.05"} NaN
s{quantile="0.5"} NaN
s{quantile="0.9"} NaN
s{quantile="0.95"} NaN
s{quantile="0.99"} NaN
s{quantile="0.999"} NaN
s_sum 0
s_count 0
`,
  );
});

test('observations age out of the sliding window; sum and count do not', () => {
  // A 1 s window in 5 steps of 200 ms; times are passed explicitly.
  const c = new SummaryChild({}, [{ quantile: 0.25, error: 0.01 }], 200, 5, 's');
  const t0 = Date.now();
  for (let i = 0; i < 100; i++) c.observe(10);
  assert.equal(c.quantileValues(t0 + 50)[0], 10);
  for (let i = 0; i < 100; i++) c.observe(1000);
  assert.equal(c.quantileValues(t0 + 650)[0], 10);
  // Still inside the window of the first batch.
  assert.equal(c.quantileValues(t0 + 850)[0], 10);
  // The first batch has aged out, the second has not.
  assert.equal(c.quantileValues(t0 + 1050)[0], 1000);
  // Long idle: everything aged out.
  assert.ok(Number.isNaN(c.quantileValues(t0 + 5000)[0]));
  c.observe(30);
  assert.equal(c.quantileValues(t0 + 5010)[0], 30);
  assert.equal(c.count, 201);
  assert.equal(c.sum, 101030);
});

test('summary config validation', () => {
  assert.throws(() => new Summary({ name: 's', help: 'x', percentiles: [1.5], registers: [] }), /not in \[0, 1\]/);
  assert.throws(() => new Summary({ name: 's', help: 'x', percentiles: [0.5, 0.5], registers: [] }), /duplicate quantile/);
  assert.throws(() => new Summary({ name: 's', help: 'x', maxAgeSeconds: 0, registers: [] }), /maxAgeSeconds/);
  assert.throws(() => new Summary({ name: 's', help: 'x', ageBuckets: 0, registers: [] }), /ageBuckets/);
});

test('NaN observations only affect the sum', async () => {
  const s = new Summary({ name: 's', help: 'x', percentiles: [0.5], registers: [] });
  s.observe(1);
  s.observe(NaN);
  const v = (await s.get()).values;
  assert.equal(v[0].value, 1);
  assert.ok(Number.isNaN(v[1].value));
  assert.equal(v[2].value, 2);
});
