/**
 * Interop: apps instrumented with @pyrometer/client (fixtures/client-app, and the clustered
 * fixtures/client-cluster-app) are scraped by the real Prometheus, and every value they set is
 * read back through Prometheus's query API. The app's text exposition also passes the real
 * `promtool check metrics`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../testing/paths.js';
import { requirePeer, findBinary, freePort, startProcess, waitForHttp, eventually, tempDir, type PeerProcess } from '../testing/peers.js';

// Fixtures beside this file: TypeScript under tsx, compiled JavaScript from dist.
const fromSource = import.meta.url.endsWith('.ts');
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url));

const processes: PeerProcess[] = [];
const dirs: { remove(): void }[] = [];
let appUrl = '';
let clusterUrl = '';
let appStarted = 0;

/** Starts a fixture app and returns its /metrics URL once it listens. */
async function startApp(name: string): Promise<string> {
  const app = startProcess(process.execPath, [...(fromSource ? ['--import', 'tsx'] : []), fixture(name)], { cwd: repoRoot });
  processes.push(app);
  const port = await eventually(async () => {
    if (app.child.exitCode !== null) throw new Error(`${name} exited:\n${app.output()}`);
    return /listening (\d+)/.exec(app.output())?.[1];
  }, 20_000, `${name} to listen`);
  return `http://127.0.0.1:${port}/metrics`;
}

before(async () => {
  const clientEntry = join(repoRoot, 'packages', 'client', 'dist', 'index.js');
  if (!existsSync(clientEntry)) throw new Error(`${clientEntry} is missing: build the client first (npx tsc -p packages/client)`);
  appStarted = Date.now() / 1000;
  [appUrl, clusterUrl] = await Promise.all([startApp('client-app'), startApp('client-cluster-app')]);
});

after(async () => {
  // Prometheus first, so that it stops scraping before the apps go away.
  for (const p of processes.reverse()) await p.stop();
  for (const d of dirs) d.remove();
});

let prometheus: Promise<(q: string) => Promise<Sample[]>> | undefined;

/** One Prometheus for the file, scraping both apps every second; returns an instant-query function. */
function startPrometheus(binary: string): Promise<(q: string) => Promise<Sample[]>> {
  prometheus ??= (async () => {
    const dir = tempDir('pyrometer-client-interop-');
    dirs.push(dir);
    const port = await freePort();
    const config = join(dir.path, 'prometheus.yml');
    writeFileSync(config, [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: client-app',
      `    static_configs: [{ targets: ['${new URL(appUrl).host}'] }]`,
      '  - job_name: client-cluster',
      `    static_configs: [{ targets: ['${new URL(clusterUrl).host}'] }]`,
      '',
    ].join('\n'));
    const prom = startProcess(binary, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir.path, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    processes.push(prom);
    const api = `http://127.0.0.1:${port}`;
    await waitForHttp(`${api}/-/ready`, 30_000, prom);
    const query = async (q: string): Promise<Sample[]> => {
      const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await res.json()) as { status: string; data: { result: Sample[] } };
      assert.equal(body.status, 'success', `query ${q}`);
      return body.data.result;
    };
    // Both targets healthy after a scrape.
    await eventually(async () => {
      const up = await query('up');
      return up.length === 2 && up.every((s) => s.value[1] === '1') ? true : undefined;
    }, 20_000, 'both targets to be scraped and up');
    const targets = (await (await fetch(`${api}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string; lastError: string }[] } };
    assert.deepEqual(targets.data.activeTargets.map((x) => [x.health, x.lastError]), [['up', ''], ['up', '']]);
    return query;
  })();
  return prometheus;
}

/** The latest value of every series of a job, by `key`. */
async function seriesOf(query: (q: string) => Promise<Sample[]>, job: string): Promise<Map<string, number>> {
  const got = new Map<string, number>();
  for (const s of await query(`{job="${job}"}`)) got.set(key(s.metric), Number(s.value[1]));
  return got;
}

test('promtool check metrics accepts the text exposition', async (t) => {
  const promtool = requirePeer('promtool', t);
  if (!promtool) return;
  const res = await fetch(appUrl, { headers: { Accept: 'text/plain' } });
  assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  // Every type is there, so the lint covers them all.
  for (const l of ['# TYPE app_requests_total counter', '# TYPE app_latency_seconds histogram', '# TYPE app_payload_bytes summary', '# TYPE app_build_info gauge', '# TYPE app_mode gauge']) {
    assert.ok(text.includes(l), `missing "${l}"`);
  }
  const r = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, `promtool check metrics failed:\n${r.stdout}${r.stderr}`);
});

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Series key with `le`/`quantile` numbers normalized: OpenMetrics writes `1.0` where text writes `1`. */
function key(m: Record<string, string>): string {
  const labels = Object.entries(m)
    .filter(([k]) => k !== '__name__' && k !== 'job' && k !== 'instance')
    .map(([k, v]) => [k, (k === 'le' || k === 'quantile') && v !== '+Inf' ? String(Number(v)) : v])
    .sort(([a], [b]) => (a! < b! ? -1 : 1))
    .map(([k, v]) => `${k}="${v}"`);
  return `${m['__name__']}{${labels.join(',')}}`;
}

test('Prometheus scrapes the app and reads back every value', { timeout: 60_000 }, async (t) => {
  const binary = requirePeer('prometheus', t);
  if (!binary) return;
  const query = await startPrometheus(binary);
  const got = await seriesOf(query, 'client-app');
  const expect: [string, number][] = [
    ['up{}', 1],
    ['app_requests_total{code="200",method="GET"}', 5],
    ['app_requests_total{code="500",method="POST"}', 2],
    ['app_bytes_processed_total{}', 1234.5],
    ['app_queue_depth{}', 17],
    ['app_temperature_celsius{room="cellar"}', -3.5],
    ['app_temperature_celsius{room="office"}', 21.25],
    ['app_latency_seconds_bucket{le="0.1"}', 1],
    ['app_latency_seconds_bucket{le="0.5"}', 3],
    ['app_latency_seconds_bucket{le="1"}', 4],
    ['app_latency_seconds_bucket{le="5"}', 5],
    ['app_latency_seconds_bucket{le="+Inf"}', 6],
    ['app_latency_seconds_sum{}', 13.25],
    ['app_latency_seconds_count{}', 6],
    ['app_payload_bytes_sum{}', 5050],
    ['app_payload_bytes_count{}', 100],
    ['app_build_info{revision="abc123",version="1.4.2"}', 1],
    ['app_mode{app_mode="active"}', 1],
    ['app_mode{app_mode="standby"}', 0],
    [`nodejs_version_info{major="${process.versions.node.split('.')[0]}",minor="${process.versions.node.split('.')[1]}",patch="${process.versions.node.split('.')[2]}",version="${process.version}"}`, 1],
  ];
  for (const [k, v] of expect) assert.equal(got.get(k), v, `${k}: got ${got.get(k)}`);

  // Summary estimates within the objectives' rank errors (1..100 observed once each).
  for (const [q, lo, hi] of [[0.5, 45, 55], [0.9, 89, 91], [0.99, 98, 100]] as const) {
    const v = got.get(`app_payload_bytes{quantile="${q}"}`);
    assert.ok(v !== undefined && v >= lo && v <= hi, `quantile ${q}: ${v}`);
  }
  // Prometheus asked for OpenMetrics, which alone carries `_created` (ingested as a series by 2.x).
  const created = got.get('app_requests_created{code="200",method="GET"}');
  assert.ok(created !== undefined && Math.abs(created - appStarted) < 5, `created ${created} vs ${appStarted}`);
  // Default metrics arrive with plausible values.
  const start = got.get('process_start_time_seconds{}')!;
  assert.ok(Math.abs(start - appStarted) < 5, `start time ${start} vs ${appStarted}`);
  assert.ok(got.get('process_resident_memory_bytes{}')! > 1e6);
  assert.ok(got.get('process_cpu_seconds_total{}')! > 0);
  assert.ok(got.get('process_open_fds{}')! > 3);
  assert.ok(got.get('nodejs_heap_size_used_bytes{}')! > 1e5);
  assert.ok([...got.keys()].some((k) => k.startsWith('nodejs_heap_space_size_used_bytes{space="old"}')));
  // Counters keep their values across scrapes (no reset seen by Prometheus).
  const rate = await query('resets(app_requests_total[1m])');
  assert.ok(rate.every((s) => s.value[1] === '0'));
});

test('Prometheus scrapes the cluster primary and sees the workers merged', { timeout: 60_000 }, async (t) => {
  const binary = requirePeer('prometheus', t);
  if (!binary) return;
  const got = await seriesOf(await startPrometheus(binary), 'client-cluster');
  const expect: [string, number][] = [
    ['app_jobs_total{queue="email"}', 10 + 20],
    ['app_in_flight{}', 2],
    ['app_worker_heap_bytes{worker="1"}', 1000],
    ['app_worker_heap_bytes{worker="2"}', 2000],
    ['app_job_seconds_bucket{le="1"}', 1],
    ['app_job_seconds_bucket{le="2"}', 2],
    ['app_job_seconds_bucket{le="+Inf"}', 2],
    ['app_job_seconds_sum{}', 3],
    ['app_job_seconds_count{}', 2],
  ];
  for (const [k, v] of expect) assert.equal(got.get(k), v, `${k}: got ${got.get(k)}`);
  // Default metrics of both workers: memory summed, one start time, one version series.
  assert.ok(got.get('process_resident_memory_bytes{}')! > 2e6);
  assert.equal([...got.keys()].filter((k) => k.startsWith('process_start_time_seconds')).length, 1);
  assert.equal([...got.keys()].filter((k) => k.startsWith('nodejs_version_info')).length, 1);
});
