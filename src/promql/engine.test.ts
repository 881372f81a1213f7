import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import { STALE_NAN } from '../model/value.js';
import { Head } from '../tsdb/head/head.js';
import { QueryError } from './annotations.js';
import { Engine } from './engine.js';
import { toApiData } from './value.js';

/** `null` stands for a stale marker (plain JS arrays may not keep the marker's NaN bits). */
async function storage(series: Record<string, (number | null)[]>, interval = 15000): Promise<Head> {
  const head = new Head();
  const app = head.appender();
  for (const [text, values] of Object.entries(series)) {
    const [name, ...kv] = text.split(/[{},=]/).filter((x) => x !== '');
    const labels = Labels.fromStrings('__name__', name, ...kv.map((x) => x.replace(/"/g, '')));
    let ref = 0;
    values.forEach((v, i) => (ref = app.append(ref, ref === 0 ? labels : Labels.EMPTY, i * interval, v ?? STALE_NAN)));
  }
  await app.commit();
  return head;
}

test('instant and range queries over the head', async () => {
  const head = await storage({ 'req_total{job="a"}': [0, 10, 20, 30, 40], 'req_total{job="b"}': [0, 1, 2, 3, 4] });
  const e = new Engine();
  const inst = e.instantQuery(head, 'sum(rate(req_total[1m]))', 60000);
  assert.deepEqual(toApiData(inst.value), { resultType: 'vector', result: [{ metric: {}, value: [60, '0.7333333333333333'] }] });
  const range = e.rangeQuery(head, 'req_total{job="b"} * 2', 0, 60000, 30000);
  assert.deepEqual(toApiData(range.value), { resultType: 'matrix', result: [{ metric: { job: 'b' }, values: [[0, '0'], [30, '4'], [60, '8']] }] });
  assert.ok(range.stats.samples.totalQueryableSamples >= 3);
});

test('stale markers end a series before the lookback delta would', async () => {
  const head = await storage({ up: [1, 1, null] });
  const e = new Engine();
  assert.equal(e.instantQuery(head, 'up', 20000).value.type, 'vector');
  const at = (t: number): number => (e.instantQuery(head, 'up', t).value as { length: number }).length;
  assert.equal(at(20000), 1);
  assert.equal(at(30000), 0);
  // Prometheus 3 windows are left-open: a sample exactly lookback-delta old is out.
  const old = await storage({ g: [5] });
  assert.equal((e.instantQuery(old, 'g', 299999).value as { length: number }).length, 1);
  assert.equal((e.instantQuery(old, 'g', 300000).value as { length: number }).length, 0);
});

test('rate on a name that is not a counter gets the upstream info annotation', async () => {
  const head = await storage({ temperature: [1, 2, 3] });
  const r = new Engine().instantQuery(head, 'rate(temperature[1m])', 30000);
  assert.deepEqual(r.infos, ['PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "temperature" (1:6)']);
  assert.deepEqual(r.warnings, []);
});

test('many-to-many matching and duplicate output series are errors', async () => {
  const head = await storage({ 'a{x="1",y="1"}': [1], 'a{x="1",y="2"}': [2], 'b{x="1"}': [3] });
  const e = new Engine();
  assert.throws(() => e.instantQuery(head, 'b + on(x) a', 0), /found duplicate series for the match group \{x="1"\} on the right hand-side/);
  assert.throws(() => e.instantQuery(head, 'label_replace(a, "y", "", "y", ".*")', 0), /vector cannot contain metrics with the same labelset/);
});

test('max samples, timeout and cancellation stop a query', async () => {
  const values = Array.from({ length: 400 }, (_, i) => i);
  const head = await storage({ 'm{i="1"}': values, 'm{i="2"}': values });
  assert.throws(
    () => new Engine({ maxSamples: 100 }).rangeQuery(head, 'm', 0, 400 * 15000, 15000),
    (e: unknown) => e instanceof QueryError && /too many samples/.test(e.message),
  );
  const ac = new AbortController();
  ac.abort();
  assert.throws(
    () => new Engine().instantQuery(head, 'm', 0, { signal: ac.signal }),
    (e: unknown) => e instanceof QueryError && e.kind === 'canceled',
  );
  // A deadline already in the past fails at the first check.
  assert.throws(
    () => new Engine({ timeout: -1 }).rangeQuery(head, 'sum_over_time(m[1h])', 0, 400 * 15000, 15000),
    (e: unknown) => e instanceof QueryError && e.kind === 'timeout',
  );
});

test('subqueries align to absolute multiples of their step', async () => {
  const head = await storage({ c: [0, 1, 2, 3, 4, 5, 6, 7, 8] }, 10000);
  const e = new Engine();
  // Steps at 20s, 40s, 60s, 80s fall in (0s, 80s]; at 30s step, 30s and 60s do.
  assert.deepEqual(toApiData(e.instantQuery(head, 'count_over_time(c[80s:20s])', 80000).value).result, [{ metric: {}, value: [80, '4'] }]);
  assert.deepEqual(toApiData(e.instantQuery(head, 'sum_over_time(c[80s:30s])', 80000).value).result, [{ metric: {}, value: [80, '9'] }]);
});

test('without delayed name removal, names dropped by operators still may not collide', async () => {
  const head = await storage({ 'a{x="1"}': [1], 'b{x="1"}': [2], 'c{x="1",y="z"}': [5] });
  const e = new Engine();
  assert.throws(() => e.instantQuery(head, '-{__name__=~"a|b"}', 0), /vector cannot contain metrics with the same labelset/);
  assert.throws(() => e.instantQuery(head, 'abs({__name__=~"a|b"})', 0), /vector cannot contain metrics with the same labelset/);
  // A name copied by group_left(__name__) from the one side survives arithmetic.
  const r = e.instantQuery(head, 'a * on(x) group_left(__name__) c', 0);
  assert.deepEqual(toApiData(r.value).result, [{ metric: { __name__: 'c', x: '1' }, value: [0, '5'] }]);
});

test('negative zero keeps its sign in results', async () => {
  const head = await storage({ z: [0] });
  const r = new Engine().instantQuery(head, 'count_values("v", -z)', 0);
  assert.deepEqual(toApiData(r.value).result, [{ metric: { v: '-0' }, value: [0, '1'] }]);
});
