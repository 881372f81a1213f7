/**
 * The admin TSDB endpoints, query_exemplars and walreplay through a running server, and their
 * status codes and error bodies against the real Prometheus when it is installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort, requirePeer, startProcess, tempDir, waitForHttp, type PeerProcess } from '../../testing/peers.js';
import { startCli } from '../../testing/cli.js';

interface Answer {
  status: number;
  type: string;
  body: string;
}

async function call(base: string, method: string, path: string): Promise<Answer> {
  const res = await fetch(`${base}/api/v1/${path}`, { method, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

async function data(base: string, path: string): Promise<unknown> {
  const a = await call(base, 'GET', path);
  assert.equal(a.status, 200, `${path}: ${a.body}`);
  return (JSON.parse(a.body) as { data: unknown }).data;
}

function startServer(dir: string, port: number, extra: string[], data = 'data'): PeerProcess {
  return startCli([
    'server',
    `--config.file=${join(dir, 'pyrometer.yml')}`,
    `--storage.tsdb.path=${join(dir, data)}`,
    `--web.listen-address=127.0.0.1:${port}`,
    ...extra,
  ]);
}

test('delete_series hides scraped data from query and series, also after a restart; clean_tombstones, query_exemplars, walreplay', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const procs: PeerProcess[] = [];
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir.path, 'pyrometer.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    const flags = ['--web.enable-admin-api', '--enable-feature=exemplar-storage'];
    procs.push(startServer(dir.path, port, flags));
    await waitForHttp(`${base}/-/ready`, 30_000, procs[0]);
    await eventually(async () => ((await data(base, 'query?query=up')) as { result: unknown[] }).result.length > 0 || undefined, 20_000, 'a first scrape');

    // Everything up to `cut` is deleted; the scrapes go on, so later samples stay. `cut` lies
    // 2s back so that no scrape stamped before it is still committing.
    await new Promise((r) => setTimeout(r, 2500));
    const cut = ((Date.now() - 2000) / 1000).toFixed(3);
    const seriesBefore = (await data(base, `series?match[]=up&end=${cut}`)) as unknown[];
    assert.equal(seriesBefore.length, 1);
    const del = await call(base, 'POST', `admin/tsdb/delete_series?match[]=up&start=0&end=${cut}`);
    assert.deepEqual(del, { status: 204, type: '', body: '' });
    const gone = async (): Promise<void> => {
      assert.deepEqual(((await data(base, `query?query=up&time=${cut}`)) as { result: unknown[] }).result, []);
      assert.deepEqual(await data(base, `series?match[]=up&end=${cut}`), []);
      assert.deepEqual(await data(base, `label/job/values?match[]=up&end=${cut}`), []);
      const other = (await data(base, `query?query=prometheus_build_info&time=${cut}`)) as { result: unknown[] };
      assert.equal(other.result.length, 1, 'other series are untouched');
    };
    await gone();
    assert.deepEqual(await call(base, 'PUT', 'admin/tsdb/clean_tombstones'), { status: 204, type: '', body: '' });

    const ex = await call(base, 'GET', 'query_exemplars?query=rate(up[5m])');
    assert.deepEqual([ex.status, JSON.parse(ex.body)], [200, { status: 'success', data: [] }]);
    assert.equal((await call(base, 'GET', 'query_exemplars?query=1')).status, 204);

    await procs[0]!.stop();
    procs.push(startServer(dir.path, port, flags));
    await waitForHttp(`${base}/-/ready`, 30_000, procs[1]);
    await gone();
    const st = (await data(base, 'status/walreplay')) as { min: number; max: number; current: number };
    assert.equal(st.current, st.max);
    assert.ok(st.max >= 1, `the restart replayed segments: ${JSON.stringify(st)}`);
  } finally {
    for (const p of procs) await p.stop();
    dir.remove();
  }
});

test('admin and exemplar error cases answer as the real Prometheus does', { timeout: 120_000 }, async (t) => {
  const prometheus = requirePeer('prometheus', t);
  if (!prometheus) return;
  const dir = tempDir();
  const procs: PeerProcess[] = [];
  try {
    writeFileSync(join(dir.path, 'pyrometer.yml'), 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
    const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
    const promArgs = (port: number, name: string, extra: string[]): string[] => [
      `--config.file=${join(dir.path, 'pyrometer.yml')}`,
      `--storage.tsdb.path=${join(dir.path, name)}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...extra,
    ];
    procs.push(startProcess(prometheus, promArgs(ports[0]!, 'p-admin', ['--web.enable-admin-api'])));
    procs.push(startProcess(prometheus, promArgs(ports[1]!, 'p-plain', [])));
    procs.push(startServer(dir.path, ports[2]!, ['--web.enable-admin-api']));
    procs.push(startServer(dir.path, ports[3]!, [], 'plain'));
    const bases = ports.map((p) => `http://127.0.0.1:${p}`);
    for (let i = 0; i < 4; i++) await waitForHttp(`${bases[i]}/-/ready`, 30_000, procs[i]);

    const cases: [method: string, path: string, admin: boolean][] = [
      ['GET', 'admin/tsdb/delete_series?match[]=up', true],
      ['POST', 'admin/tsdb/delete_series', true],
      ['POST', 'admin/tsdb/delete_series?match[]=up', true],
      ['PUT', 'admin/tsdb/delete_series?match[]=up&start=10&end=5', true],
      ['POST', 'admin/tsdb/delete_series?match[]=up&start=abc', true],
      ['POST', `admin/tsdb/delete_series?match[]=${encodeURIComponent('up{')}`, true],
      ['POST', 'admin/tsdb/delete_series?match[]=5', true],
      ['POST', 'admin/tsdb/delete_series?match[]=5&end=never', true],
      ['POST', 'admin/tsdb/clean_tombstones', true],
      ['GET', 'admin/tsdb/clean_tombstones', true],
      ['POST', 'admin/tsdb/delete_series?match[]=up', false],
      ['POST', 'admin/tsdb/clean_tombstones', false],
      ['PUT', 'query?query=1', true],
      ['GET', 'query_exemplars?query=up', false],
      ['GET', 'query_exemplars?query=1', false],
      ['GET', `query_exemplars?query=${encodeURIComponent('up{')}`, false],
      ['GET', 'query_exemplars?query=up&start=5&end=4', false],
      ['GET', 'query_exemplars?query=up&start=x', false],
      ['GET', 'status/walreplay', false],
    ];
    for (const [method, path, admin] of cases) {
      const [theirs, ours] = await Promise.all([call(bases[admin ? 0 : 1]!, method, path), call(bases[admin ? 2 : 3]!, method, path)]);
      assert.deepEqual(ours, theirs, `${method} ${path} (admin API ${admin ? 'on' : 'off'})`);
    }
  } finally {
    for (const p of procs) await p.stop();
    dir.remove();
  }
});
