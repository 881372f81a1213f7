import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry, aggregateFamilies } from './cluster.js';
import type { MetricFamily } from './family.js';

// The worker fixture beside this file: .ts under tsx, .js from dist.
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
cluster.setupPrimary({ exec: fileURLToPath(new URL(`./cluster.test.worker${ext}`, import.meta.url)), silent: false });

const started: Worker[] = [];

async function fork(n: number, env: Record<string, string> = {}): Promise<Worker[]> {
  const ws = Array.from({ length: n }, () => cluster.fork(env));
  started.push(...ws);
  await Promise.all(
    ws.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`worker ${w.id} not ready after 20 s`)), 20_000);
          w.once('message', () => {
            clearTimeout(timer);
            resolve();
          });
          w.once('exit', (code) => reject(new Error(`worker ${w.id} exited with ${code}`)));
        }),
    ),
  );
  return ws;
}

async function stop(ws: Worker[]): Promise<void> {
  await Promise.all(
    ws.map((w) => (w.isDead() ? undefined : new Promise<void>((r) => { w.once('exit', () => r()); w.kill(); }))),
  );
}

after(() => stop(started));

function lines(text: string): Set<string> {
  return new Set(text.split('\n').filter((l) => l && !l.startsWith('#')));
}

test('three real workers are aggregated per metric type and configured mode', async () => {
  const ws = await fork(3);
  try {
    const ids = ws.map((w) => w.id).sort((a, b) => a - b);
    const [a, b, c] = ids as [number, number, number];
    const agg = new AggregatorRegistry({ aggregators: { g_per_worker: 'worker' }, workerLabel: 'pid_slot' });
    const text = await agg.clusterMetrics();
    const got = lines(text);
    const sum = a + b + c;
    const [major, minor, patch] = process.versions.node.split('.');
    const expect = [
      `requests_total{code="200",service="shop"} ${sum}`,
      `g_sum{service="shop"} ${sum}`,
      `g_max{service="shop"} ${10 * c}`,
      `g_min{service="shop"} ${10 * a}`,
      `g_avg{service="shop"} ${sum / 3}`,
      `g_first{service="shop"} ${100 + a}`,
      'g_nan{service="shop"} NaN',
      'g_inf{service="shop"} -Inf',
      `g_per_worker{service="shop",pid_slot="${a}"} ${a}`,
      `g_per_worker{service="shop",pid_slot="${b}"} ${b}`,
      `g_per_worker{service="shop",pid_slot="${c}"} ${c}`,
      `latency_seconds_bucket{service="shop",le="0.15"} ${[a, b, c].filter((k) => k / 10 <= 0.15).length}`,
      `latency_seconds_bucket{service="shop",le="0.25"} ${[a, b, c].filter((k) => k / 10 <= 0.25).length}`,
      'latency_seconds_bucket{service="shop",le="1"} 3',
      'latency_seconds_bucket{service="shop",le="+Inf"} 6',
      'latency_seconds_count{service="shop"} 6',
      `size_bytes{service="shop",quantile="0.5"} ${(sum * 100) / 3}`,
      `size_bytes_sum{service="shop"} ${sum * 100}`,
      'size_bytes_count{service="shop"} 3',
      'build_info{version="1.2.3",service="shop"} 1',
      `nodejs_version_info{version="${process.version}",major="${major}",minor="${minor}",patch="${patch}",service="shop"} 1`,
    ];
    for (const l of expect) assert.ok(got.has(l), `missing ${l}\n${text}`);
    assert.match(text, new RegExp(`^latency_seconds_sum\\{service="shop"\\} ${(sum / 10 + 15).toString().replace('.', '\\.')}`, 'm'));
    assert.doesNotMatch(text, /g_omit/);
    // One start time (the earliest), one series per default gauge.
    assert.equal(text.match(/^process_start_time_seconds\{/gm)?.length, 1);
    assert.equal(text.match(/^process_resident_memory_bytes\{/gm)?.length, 1);
    // The aggregate renders as OpenMetrics too.
    const om = await agg.metrics(AggregatorRegistry.OPENMETRICS_CONTENT_TYPE);
    assert.ok(om.endsWith('# EOF\n'));
    assert.match(om, new RegExp(`^requests_total\\{code="200",service="shop"\\} ${sum}\\.0$`, 'm'));
  } finally {
    await stop(ws);
  }
});

test('a failing or silent worker fails the aggregate with its reason', async () => {
  const [[ok], [failing], [hanging]] = await Promise.all([fork(1), fork(1, { WORKER_MODE: 'fail' }), fork(1, { WORKER_MODE: 'hang' })]);
  try {
    // The error answer ends the request at once, without waiting for the silent worker.
    await assert.rejects(new AggregatorRegistry().clusterMetrics(), new RegExp(`worker ${failing!.id}: collector exploded`));
    await stop([failing!]);
    const [dying] = await fork(1, { WORKER_MODE: 'die' });
    await assert.rejects(new AggregatorRegistry().clusterMetrics(), new RegExp(`worker ${dying!.id} exited before answering`));
    const t0 = Date.now();
    await assert.rejects(new AggregatorRegistry({ timeoutMs: 300 }).clusterMetrics(), new RegExp(`timed out after 300 ms .*worker\\(s\\) ${hanging!.id}$`));
    assert.ok(Date.now() - t0 < 2000);
  } finally {
    await stop([ok!, failing!, hanging!]);
  }
});

test('no workers: an empty aggregate', async () => {
  assert.equal(await new AggregatorRegistry().metrics(), '');
});

const fam = (f: Partial<MetricFamily> & Pick<MetricFamily, 'name' | 'type' | 'metrics'>): MetricFamily => ({ help: 'h', ...f });

test('aggregateFamilies: histogram buckets with and without an explicit +Inf, and clashes', () => {
  const h1 = fam({ name: 'h', type: 'histogram', metrics: [{ labels: {}, bucketBounds: [1, Infinity], bucketCounts: [1, 2], sum: 3, count: 2, createdMs: 2000 }] });
  const h2 = fam({ name: 'h', type: 'histogram', metrics: [{ labels: {}, bucketBounds: [1], bucketCounts: [4], sum: 4, count: 5, createdMs: 1000 }] });
  const [out] = aggregateFamilies([{ workerId: 1, families: [h1] }, { workerId: 2, families: [h2] }]);
  assert.deepEqual(out!.metrics, [{ labels: {}, bucketBounds: [1, Infinity], bucketCounts: [5, 7], sum: 7, count: 7, createdMs: 1000 }]);

  const h3 = fam({ name: 'h', type: 'histogram', metrics: [{ labels: {}, bucketBounds: [2], bucketCounts: [1], sum: 1, count: 1 }] });
  assert.throws(() => aggregateFamilies([{ workerId: 1, families: [h1] }, { workerId: 2, families: [h3] }]), /different buckets/);
  const g = fam({ name: 'h', type: 'gauge', metrics: [{ labels: {}, value: 1 }] });
  assert.throws(() => aggregateFamilies([{ workerId: 1, families: [h1] }, { workerId: 2, families: [g] }]), /histogram in worker 1 but a gauge in worker 2/);
});

test('aggregateFamilies: series present in only some workers, per-name override beats the hint', () => {
  const w1 = [fam({ name: 'c_total', type: 'counter', metrics: [{ labels: { a: '1' }, value: 1 }, { labels: { a: '2' }, value: 2 }] })];
  const w2 = [fam({ name: 'c_total', type: 'counter', metrics: [{ labels: { a: '2' }, value: 3 }] })];
  const g1 = { ...fam({ name: 'g', type: 'gauge', metrics: [{ labels: {}, value: 4 }] }), aggregator: 'max' as const };
  const g2 = { ...fam({ name: 'g', type: 'gauge', metrics: [{ labels: {}, value: 6 }] }), aggregator: 'max' as const };
  const out = aggregateFamilies(
    [{ workerId: 1, families: [...w1, g1] }, { workerId: 2, families: [...w2, g2] }],
    { aggregators: { g: 'average' } },
  );
  assert.deepEqual(out.map((f) => [f.name, f.metrics.map((m) => [m.labels, m.value])]), [
    ['c_total', [[{ a: '1' }, 1], [{ a: '2' }, 5]]],
    ['g', [[{}, 5]]],
  ]);
});

test('aggregateFamilies: info and stateset are never summed; min/max combine stateset flags', () => {
  const states = (leader: number, hint?: 'sum' | 'max'): MetricFamily & { aggregator?: 'sum' | 'max' } => ({
    ...fam({ name: 'role', type: 'stateset', metrics: [{ labels: { role: 'leader' }, value: leader }, { labels: { role: 'follower' }, value: 1 - leader }] }),
    ...(hint ? { aggregator: hint } : {}),
  });
  const info = { ...fam({ name: 'build', type: 'info', metrics: [{ labels: { version: '1' }, value: 1 }] }), aggregator: 'sum' as const };
  const values = (out: MetricFamily[], name: string): (number | undefined)[] => out.find((f) => f.name === name)!.metrics.map((m) => m.value);
  const summed = aggregateFamilies([
    { workerId: 1, families: [states(1, 'sum'), info] },
    { workerId: 2, families: [states(0, 'sum'), info] },
    { workerId: 3, families: [states(0, 'sum'), info] },
  ]);
  assert.deepEqual(values(summed, 'role'), [1, 0]);
  assert.deepEqual(values(summed, 'build'), [1]);
  const ored = aggregateFamilies([{ workerId: 1, families: [states(1, 'max')] }, { workerId: 2, families: [states(0, 'max')] }]);
  assert.deepEqual(values(ored, 'role'), [1, 1]);
});
