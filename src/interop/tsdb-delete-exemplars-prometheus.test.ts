/**
 * Head deletions and exemplars cross the WAL both ways between Pyrometer and the real
 * Prometheus: tombstone and exemplar records one writes, the other replays and serves. And
 * both scrape the same OpenMetrics exemplars and must answer query_exemplars alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { Matcher, MatchType } from '../model/matcher.js';
import { DB } from '../tsdb/db.js';
import { eventually, freePort, requirePeer, startProcess, tempDir, waitForHttp, type PeerProcess } from '../testing/peers.js';
import { startCli } from '../testing/cli.js';

type Matrix = { metric: Record<string, string>; values: [number, string][] }[];

async function get(base: string, path: string): Promise<unknown> {
  const res = await fetch(`${base}/api/v1/${path}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; data: unknown };
  assert.equal(body.status, 'success', `${path}: ${JSON.stringify(body)}`);
  return body.data;
}

/** The raw samples of `selector` in (start, end]: a range selector, so no lookback fills gaps. */
async function range(base: string, selector: string, start: number, end: number): Promise<Matrix> {
  const q = `${selector}[${Math.round((end - start) * 1000)}ms]`;
  const data = (await get(base, `query?query=${encodeURIComponent(q)}&time=${end}`)) as { result: Matrix };
  return data.result;
}

test('Prometheus replays Pyrometer\'s tombstones and exemplars; Pyrometer replays Prometheus\'s tombstones', { timeout: 180_000 }, async (t) => {
  const prometheus = requirePeer('prometheus', t);
  if (!prometheus) return;
  const dir = tempDir();
  const procs: PeerProcess[] = [];
  const stopAll = async (): Promise<void> => {
    for (const p of procs.splice(0)) await p.stop(10_000);
  };
  try {
    const cfg = join(dir.path, 'cfg.yml');
    writeFileSync(cfg, 'scrape_configs: []\n');
    const promArgs = (data: string, port: number, extra: string[]): string[] => [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...extra,
    ];

    // Pyrometer writes samples and exemplars, deletes a range, and stops.
    const ours = join(dir.path, 'ours');
    const now = Math.floor(Date.now() / 1000) * 1000;
    const db = DB.open(ours, { maxExemplars: 100 });
    const app = db.appender();
    const a = Labels.fromStrings('__name__', 'm', 'i', 'a');
    const b = Labels.fromStrings('__name__', 'm', 'i', 'b');
    let ra = 0;
    let rb = 0;
    for (let k = 60; k >= 0; k--) {
      const ts = now - k * 1000;
      ra = app.append(ra, a, ts, k);
      rb = app.append(rb, b, ts, k * 2);
      if (k % 20 === 0) app.appendExemplar(rb, b, { labels: ['trace_id', `t${k}`], value: k + 0.5, timestamp: ts });
    }
    await app.commit();
    await db.deleteSeries(now - 40_000, now - 20_000, [Matcher.create(MatchType.Equal, 'i', 'a')]);
    await db.close();

    const s = (now - 61_000) / 1000;
    const e = now / 1000;
    const pport = await freePort();
    procs.push(startProcess(prometheus, promArgs(ours, pport, ['--enable-feature=exemplar-storage'])));
    const pbase = `http://127.0.0.1:${pport}`;
    await waitForHttp(`${pbase}/-/ready`, 60_000, procs[0]);
    const theirs = await range(pbase, 'm', s, e);
    const theirA = theirs.find((r) => r.metric.i === 'a')!;
    assert.equal(theirA.values.length, 61 - 21, 'Prometheus applies our tombstone record');
    assert.ok(theirA.values.every(([ts]) => ts * 1000 < now - 40_000 || ts * 1000 > now - 20_000));
    const theirEx = await get(pbase, `query_exemplars?query=m&start=${s}&end=${e}`);
    assert.equal((theirEx as unknown[]).length, 1, 'Prometheus replays our exemplar records');
    await stopAll();

    // Pyrometer reads the same directory back and answers the same.
    const oport = await freePort();
    procs.push(startCli(['server', `--config.file=${cfg}`, `--storage.tsdb.path=${ours}`, `--web.listen-address=127.0.0.1:${oport}`, '--enable-feature=exemplar-storage']));
    const obase = `http://127.0.0.1:${oport}`;
    await waitForHttp(`${obase}/-/ready`, 60_000, procs[0]);
    assert.deepEqual(await range(obase, 'm', s, e), theirs);
    assert.deepEqual(await get(obase, `query_exemplars?query=m&start=${s}&end=${e}`), theirEx);
    await stopAll();

    // Prometheus deletes through its admin API; Pyrometer replays its tombstone record.
    const promData = join(dir.path, 'theirs');
    const sport = await freePort();
    writeFileSync(cfg, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${sport}']\n`);
    procs.push(startProcess(prometheus, promArgs(promData, sport, ['--web.enable-admin-api'])));
    const sbase = `http://127.0.0.1:${sport}`;
    await waitForHttp(`${sbase}/-/ready`, 60_000, procs[0]);
    const from = Math.floor(Date.now() / 1000) - 2;
    await eventually(async () => ((await range(sbase, 'up', from, Date.now() / 1000))[0]?.values.length ?? 0) >= 6 || undefined, 30_000, 'Prometheus scraping itself');
    const cut = Math.floor(Date.now() / 1000) - 3;
    const del = await fetch(`${sbase}/api/v1/admin/tsdb/delete_series?match[]=up&end=${cut}`, { method: 'POST' });
    assert.equal(del.status, 204);
    const to = cut + 2;
    const before = await range(sbase, 'up', from, to);
    await stopAll();
    assert.ok(before[0]!.values.every(([ts]) => ts > cut) && before[0]!.values.length >= 1, 'Prometheus hides the deleted range');

    writeFileSync(cfg, 'scrape_configs: []\n');
    const rport = await freePort();
    procs.push(startCli(['server', `--config.file=${cfg}`, `--storage.tsdb.path=${promData}`, `--web.listen-address=127.0.0.1:${rport}`]));
    const rbase = `http://127.0.0.1:${rport}`;
    await waitForHttp(`${rbase}/-/ready`, 60_000, procs[0]);
    assert.deepEqual(await range(rbase, 'up', from, to), before, 'Pyrometer applies Prometheus\'s tombstone record');
  } finally {
    await stopAll();
    dir.remove();
  }
});

test('Pyrometer and Prometheus scrape the same OpenMetrics exemplars and answer query_exemplars alike', { timeout: 120_000 }, async (t) => {
  const prometheus = requirePeer('prometheus', t);
  if (!prometheus) return;
  const dir = tempDir();
  const procs: PeerProcess[] = [];
  const t0 = Math.floor(Date.now() / 1000) - 10;
  // Fixed exemplars: every scrape repeats them, so each series must keep exactly one of each.
  const exposition =
    '# TYPE req_latency_seconds histogram\n' +
    `req_latency_seconds_bucket{le="0.1"} 3 # {trace_id="aaa"} 0.05 ${t0}.123\n` +
    `req_latency_seconds_bucket{le="+Inf"} 5 # {span_id="x",trace_id="bbb"} 2.5 ${t0 + 1}\n` +
    'req_latency_seconds_count 5\nreq_latency_seconds_sum 3.2\n' +
    '# TYPE things counter\n' +
    `things_total 7 # {trace_id="ccc"} 1e-7 ${t0 + 2}.5\n` +
    '# EOF\n';
  const target = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' });
    res.end(exposition);
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  try {
    const targetPort = (target.address() as AddressInfo).port;
    const cfg = join(dir.path, 'cfg.yml');
    writeFileSync(cfg, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['127.0.0.1:${targetPort}']\n`);
    const [pport, oport] = [await freePort(), await freePort()];
    const common = (name: string, port: number): string[] => [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${join(dir.path, name)}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
    ];
    procs.push(startProcess(prometheus, common('p', pport)));
    procs.push(startCli(['server', ...common('o', oport)]));
    const bases = [`http://127.0.0.1:${pport}`, `http://127.0.0.1:${oport}`];
    for (let i = 0; i < 2; i++) await waitForHttp(`${bases[i]}/-/ready`, 60_000, procs[i]);
    const q = `query_exemplars?query=${encodeURIComponent('req_latency_seconds_bucket or things_total')}&start=${t0 - 60}&end=${t0 + 60}`;
    const [theirs, ours] = await Promise.all(
      bases.map((b) =>
        eventually(
          async () => {
            const d = (await get(b, q)) as unknown[];
            return d.length === 3 ? d : undefined;
          },
          30_000,
          `exemplars of three series at ${b}`,
        ),
      ),
    );
    // A few more scrapes repeat the same exemplars: still one per series.
    await new Promise((r) => setTimeout(r, 2500));
    assert.deepEqual(await get(bases[1]!, q), await get(bases[0]!, q));
    assert.deepEqual(ours, theirs);
  } finally {
    for (const p of procs) await p.stop(10_000);
    await new Promise<void>((r) => target.close(() => r()));
    dir.remove();
  }
});
