import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Labels } from '../../model/labels.js';
import { Engine } from '../../promql/engine.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort, requirePeer, startProcess, tempDir, waitForHttp, type PeerProcess } from '../../testing/peers.js';
import { Head } from '../../tsdb/head/head.js';
import { ApiV1, type ApiDeps } from './api.js';

const STEP = 15_000;
const POINTS = 6000;

async function bigHead(series: number): Promise<Head> {
  const head = new Head();
  const app = head.appender();
  for (let s = 0; s < series; s++) {
    const labels = Labels.fromStrings('__name__', 'load', 'i', String(s));
    let ref = 0;
    for (let i = 0; i < POINTS; i++) ref = app.append(ref, ref === 0 ? labels : Labels.EMPTY, i * STEP, Math.sin(s + i / 7));
  }
  await app.commit();
  return head;
}

/** The API on a loopback port; only the query endpoints' dependencies are real. */
async function serve(engine: Engine, storage: Head): Promise<{ base: string; close: () => Promise<void> }> {
  const api = new ApiV1({ storage, engine } as unknown as ApiDeps);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    void api.handle(req, url.pathname.replace('/api/v1/', ''), url).then((r) => {
      res.writeHead(r.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(r.body));
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return cond();
}

test('a query stops soon after its HTTP client goes away', async () => {
  const head = await bigHead(100);
  const engine = new Engine();
  const srv = await serve(engine, head);
  try {
    // About 144M window samples to sort: seconds of work, done in slices.
    const path = `/api/v1/query_range?query=${encodeURIComponent('quantile_over_time(0.5, load[1h])')}&start=0&end=${((POINTS - 1) * STEP) / 1000}&step=15`;
    const req = http.get(srv.base + path);
    req.on('error', () => {});
    assert.ok(await until(() => engine.metrics.queries === 1, 5000), 'query did not start');
    // Let it run a while, then hang up.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(engine.metrics.queries, 1, 'the query finished before the client left; make it slower');
    const t0 = Date.now();
    req.destroy();
    assert.ok(await until(() => engine.metrics.canceled === 1, 5000), 'query was not canceled');
    const stoppedAfter = Date.now() - t0;
    assert.equal(engine.metrics.queries, 0);
    console.log(`query stopped ${stoppedAfter} ms after the client closed its connection`);
    // One slice of a few steps at most, with room for a machine loaded by other work.
    assert.ok(stoppedAfter < 2500, `took ${stoppedAfter} ms`);
  } finally {
    await srv.close();
  }
});

test('stats over HTTP: timings, and per-step samples with stats=all', async () => {
  const head = await bigHead(5);
  const engine = new Engine({ enablePerStepStats: true });
  const srv = await serve(engine, head);
  try {
    const res = await fetch(`${srv.base}/api/v1/query_range?query=load&start=0&end=30&step=15&stats=all`);
    const body = (await res.json()) as { data: { stats: { timings: Record<string, number>; samples: Record<string, unknown> } } };
    assert.deepEqual(Object.keys(body.data.stats.timings), ['evalTotalTime', 'resultSortTime', 'queryPreparationTime', 'innerEvalTime', 'execQueueTime', 'execTotalTime']);
    assert.deepEqual(body.data.stats.samples, { totalQueryableSamplesPerStep: [[0, 5], [15, 5], [30, 5]], totalQueryableSamples: 15, peakSamples: 15 });
    const plain = (await (await fetch(`${srv.base}/api/v1/query?query=load&time=30&stats=1`)).json()) as typeof body;
    assert.deepEqual(plain.data.stats.samples, { totalQueryableSamples: 5, peakSamples: 5 });
    const instant = (await (await fetch(`${srv.base}/api/v1/query?query=load&time=30&stats=all`)).json()) as typeof body;
    assert.deepEqual(instant.data.stats.samples, { totalQueryableSamplesPerStep: [[30, 5]], totalQueryableSamples: 5, peakSamples: 5 });
  } finally {
    await srv.close();
  }
});

interface StatsBody {
  data: { result: unknown[]; stats: { timings: Record<string, number>; samples: Record<string, unknown> } };
}

test('stats=all has the JSON shape and sample counts of Prometheus 2.42 (promql-per-step-stats)', async (t) => {
  const bin = requirePeer('prometheus', t);
  if (!bin) return;
  const dir = tempDir();
  let proc: PeerProcess | undefined;
  let ours: { base: string; close: () => Promise<void> } | undefined;
  try {
    const port = await freePort();
    const config = join(dir.path, 'prometheus.yml');
    writeFileSync(config, `global: {scrape_interval: 1s}\nscrape_configs: [{job_name: self, static_configs: [{targets: ['127.0.0.1:${port}']}]}]\n`);
    proc = startProcess(bin, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir.path, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--enable-feature=promql-per-step-stats']);
    const theirs = `http://127.0.0.1:${port}`;
    await waitForHttp(`${theirs}/-/ready`, 30_000, proc);
    // Scraping starts a few seconds after startup; then seven seconds of scrapes cover the range below.
    await eventually(async () => ((await (await fetch(`${theirs}/api/v1/query?query=up`)).json()) as StatsBody).data.result[0], 20_000, 'a first scrape');
    const first = Date.now();
    assert.ok(await until(() => Date.now() - first > 7000, 10_000));
    const end = Math.floor(Date.now() / 1000) - 1;
    const head = new Head();
    const app = head.appender();
    let ref = 0;
    for (let ts = end - 10; ts <= end; ts++) ref = app.append(ref, ref === 0 ? Labels.fromStrings('__name__', 'up', 'instance', 'x', 'job', 'self') : Labels.EMPTY, ts * 1000, 1);
    await app.commit();
    ours = await serve(new Engine({ enablePerStepStats: true }), head);
    for (const path of [`query_range?query=up&start=${end - 4}&end=${end}&step=2&stats=all`, `query?query=up&time=${end}&stats=all`, `query?query=up&time=${end}&stats=1`]) {
      const [a, b]: StatsBody[] = await Promise.all([ours.base, theirs].map(async (base: string): Promise<StatsBody> => (await (await fetch(`${base}/api/v1/${path}`)).json()) as StatsBody));
      assert.equal(b.data.result.length, 1, `prometheus has no data for ${path}: ${await (await fetch(`${theirs}/api/v1/targets`)).text()}`);
      assert.deepEqual(Object.keys(a.data.stats), Object.keys(b.data.stats), path);
      assert.deepEqual(Object.keys(a.data.stats.timings), Object.keys(b.data.stats.timings), path);
      assert.deepEqual(a.data.stats.samples, b.data.stats.samples, path);
    }
  } finally {
    await ours?.close();
    await proc?.stop();
    dir.remove();
  }
});
