/**
 * The `prometheus-query` npm client (PrometheusDriver, used by many JS dashboards) against our
 * server: the same historical block and exporter as the API differential test, every driver
 * method the read API offers, parsed values asserted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrometheusDriver, type InstantVector, type RangeVector } from 'prometheus-query';
import { eventually, freePort, tempDir, waitForHttp, type PeerProcess } from '../testing/peers.js';
import { runCli, startCli } from '../testing/cli.js';
import { HISTORY_START_MS, SHARDS, historyOpenMetrics } from './api-differential/history.js';
import { startExporter, type Exporter } from './api-differential/exporter.js';

const MIN = 60_000;
const AT = new Date(HISTORY_START_MS + 20 * MIN + 7_300);

let dir: ReturnType<typeof tempDir>;
let exporter: Exporter;
let server: PeerProcess | undefined;
let prom: PrometheusDriver;
let exporterPort: number;

before(async () => {
  dir = tempDir('pyrometer-prometheus-query-');
  const om = join(dir.path, 'history.om');
  writeFileSync(om, historyOpenMetrics());
  const data = join(dir.path, 'data');
  const made = await runCli(['tool', 'tsdb', 'create-blocks-from', 'openmetrics', om, data], { timeoutMs: 60_000 });
  assert.equal(made.code, 0, `create-blocks-from:\n${made.stdout}${made.stderr}`);
  exporter = await startExporter(1);
  exporterPort = exporter.ports[0];
  const cfg = join(dir.path, 'config.yml');
  writeFileSync(cfg, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['127.0.0.1:${exporterPort}']\n`);
  const port = await freePort();
  server = startCli(['server', `--config.file=${cfg}`, `--storage.tsdb.path=${data}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`]);
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/-/ready`, 60_000, server);
  prom = new PrometheusDriver({ endpoint: base, timeout: 10_000 });
  await eventually(async () => ((await prom.instantQuery('up == 1')).result.length === 1 ? true : undefined), 20_000, 'the exporter scraped');
});

after(async () => {
  await server?.stop();
  await exporter?.close();
  dir?.remove();
});

test('instantQuery: vectors with names, labels, values and Date times; scalars; NaN', async () => {
  const r = await prom.instantQuery('hist_requests_total', AT);
  assert.equal(r.resultType, 'vector');
  const byCode = new Map((r.result as InstantVector[]).map((v): [string, InstantVector] => [(v.metric.labels as Record<string, string>).code, v]));
  assert.equal(byCode.size, 2);
  const ok = byCode.get('200')!;
  assert.equal(ok.metric.name, 'hist_requests_total');
  assert.deepEqual(ok.metric.labels, { code: '200', method: 'get' });
  assert.equal(ok.value.value, 80 * 10, 'the sample at 20 min (index 80) is 800');
  assert.equal(ok.value.time.getTime(), AT.getTime());

  const scalar = await prom.instantQuery('scalar(hist_requests_total{code="500"}) * 2', AT);
  assert.equal(scalar.resultType, 'scalar');
  assert.deepEqual(scalar.result, [AT.getTime() / 1000, String(Math.floor(80 / 7) * 2)]);

  const nan = await prom.instantQuery('hist_special{kind="nan"}', AT);
  assert.ok(Number.isNaN((nan.result as InstantVector[])[0].value.value));
  const str = await prom.instantQuery('"hello"', AT);
  assert.equal(str.resultType, 'string');
  assert.deepEqual(str.result, [AT.getTime() / 1000, 'hello']);
});

test('rangeQuery: matrices with one SampleValue per step', async () => {
  const start = new Date(HISTORY_START_MS + 5 * MIN);
  const end = new Date(HISTORY_START_MS + 15 * MIN);
  const r = await prom.rangeQuery('sum(hist_shard_load)', start, end, 60);
  assert.equal(r.resultType, 'matrix');
  const [series] = r.result as RangeVector[];
  assert.equal(series.values.length, 11);
  assert.equal(series.values[0].time.getTime(), start.getTime());
  assert.equal(series.values[10].time.getTime(), end.getTime());
  // At 5 min (index 20): sum over shards s of (20 * (s + 1)) % 17.
  let expected = 0;
  for (let s = 0; s < SHARDS; s++) expected += (20 * (s + 1)) % 17;
  assert.equal(series.values[0].value, expected);
});

test('query errors reach the caller with Prometheus error type and message', async () => {
  await assert.rejects(prom.instantQuery('sum(', AT), (e: { errorType: string; httpStatus: number; prometheus: { errorType: string; error: string } }) => {
    assert.equal(e.httpStatus, 400);
    assert.equal(e.prometheus.errorType, 'bad_data');
    assert.match(e.prometheus.error, /1:5: parse error: unclosed left parenthesis/);
    return true;
  });
});

test('series, labelNames, labelValues', async () => {
  const windowStart = new Date(HISTORY_START_MS);
  const windowEnd = new Date(HISTORY_START_MS + 60 * MIN);
  const series = await prom.series('hist_temperature_celsius', windowStart, windowEnd);
  assert.deepEqual(series.map((m) => `${m.name} ${(m.labels as Record<string, string>).room}`).sort(), ['hist_temperature_celsius café', 'hist_temperature_celsius lab']);
  const two = await prom.series(['hist_requests_total', 'hist_special'], windowStart, windowEnd);
  assert.equal(two.length, 5);

  const names = await prom.labelNames();
  for (const n of ['__name__', 'code', 'instance', 'job', 'kind', 'room', 'shard']) assert.ok(names.includes(n), `label ${n} in ${names.join(',')}`);
  assert.deepEqual(await prom.labelNames('hist_special', windowStart, windowEnd), ['__name__', 'kind']);

  assert.deepEqual(await prom.labelValues('room', 'hist_temperature_celsius'), ['café', 'lab']);
  assert.deepEqual(await prom.labelValues('job'), ['app']);
  const shards = await prom.labelValues('shard', undefined, windowStart, windowEnd);
  assert.equal(shards.length, SHARDS);
});

test('targets, targetsMetadata, metadata', async () => {
  const t = (await prom.targets('active')) as { activeTargets: Array<{ labels: Record<string, string>; scrapePool: string; scrapeUrl: string; health: string; lastScrape: Date }>; droppedTargets: unknown[] };
  assert.equal(t.activeTargets.length, 1);
  const [target] = t.activeTargets;
  assert.equal(target.scrapePool, 'app');
  assert.equal(target.scrapeUrl, `http://127.0.0.1:${exporterPort}/metrics`);
  assert.equal(target.health, 'up');
  assert.deepEqual(target.labels, { instance: `127.0.0.1:${exporterPort}`, job: 'app' });
  assert.ok(target.lastScrape instanceof Date && target.lastScrape.getTime() > HISTORY_START_MS);
  assert.deepEqual(t.droppedTargets, []);

  const tm = (await prom.targetsMetadata('{job="app"}', 'app_temperature_celsius')) as Array<Record<string, unknown>>;
  assert.deepEqual(tm, [{ target: { instance: `127.0.0.1:${exporterPort}`, job: 'app' }, type: 'gauge', help: 'Room temperature.', unit: 'celsius' }]);

  const md = (await prom.metadata()) as Record<string, Array<{ type: string; help: string; unit: string }>>;
  assert.deepEqual(md.app_latency_seconds, [{ type: 'histogram', help: 'Request latency.', unit: 'seconds' }]);
  assert.deepEqual(md.app_requests, [{ type: 'counter', help: 'Requests served.', unit: '' }]);
  assert.deepEqual(Object.keys((await prom.metadata('app_queue_length')) as object), ['app_queue_length']);
  assert.equal(Object.keys((await prom.metadata(undefined, 2)) as object).length, 2);
});

test('rules, alerts, alertmanagers (none configured)', async () => {
  assert.deepEqual(await prom.rules(), []);
  assert.deepEqual(await prom.alerts(), []);
  assert.deepEqual(await prom.alertmanagers(), { activeAlertmanagers: [], droppedAlertmanagers: [] });
});

test('status endpoints', async () => {
  const config = (await prom.status()) as { yaml: string };
  assert.match(config.yaml, /job_name: app/);
  const flags = (await prom.statusFlags()) as Record<string, string>;
  assert.equal(flags['storage.tsdb.retention.time'], '100y');
  const runtime = (await prom.statusRuntimeInfo()) as { reloadConfigSuccess: boolean; startTime: string };
  assert.equal(runtime.reloadConfigSuccess, true);
  assert.ok(!Number.isNaN(Date.parse(runtime.startTime)));
  const build = (await prom.statusBuildinfo()) as { version: string };
  assert.match(build.version, /^\d+\.\d+\.\d+/);
  const tsdb = (await prom.statusTSDB()) as { headStats: { numSeries: number }; seriesCountByMetricName: Array<{ name: string; value: number }> };
  assert.ok(tsdb.headStats.numSeries > 0);
  assert.ok(tsdb.seriesCountByMetricName.some((s) => s.name === 'app_latency_seconds_bucket' && s.value === 3));
});
