/**
 * The server against real peers: it scrapes the real node exporter, promtool queries its API
 * and checks its /metrics, and the real Prometheus scrapes and federates it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort, requirePeer, startProcess, tempDir, waitForHttp, type PeerProcess } from '../testing/peers.js';
import { startCli } from '../testing/cli.js';

interface VectorResult {
  metric: Record<string, string>;
  value: [number, string];
}

async function instant(base: string, query: string): Promise<VectorResult[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { status: string; data: { result: VectorResult[] } };
  assert.equal(body.status, 'success');
  return body.data.result;
}

test('server scrapes node exporter; promtool and Prometheus read it', { timeout: 120_000 }, async (t) => {
  const nodeExporter = requirePeer('prometheus-node-exporter', t);
  const prometheus = requirePeer('prometheus', t);
  const promtool = requirePeer('promtool', t);
  if (!nodeExporter || !prometheus || !promtool) return;
  const dir = tempDir();
  const procs: PeerProcess[] = [];
  try {
    const nePort = await freePort();
    procs.push(startProcess(nodeExporter, [`--web.listen-address=127.0.0.1:${nePort}`, '--collector.disable-defaults', '--collector.cpu', '--collector.loadavg', '--collector.meminfo']));
    await waitForHttp(`http://127.0.0.1:${nePort}/metrics`, 20_000, procs[0]);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const cfg = join(dir.path, 'pyrometer.yml');
    writeFileSync(
      cfg,
      `global:\n  scrape_interval: 1s\n  external_labels:\n    replica: a\nscrape_configs:\n` +
        `  - job_name: node\n    static_configs:\n      - targets: ['127.0.0.1:${nePort}']\n` +
        `  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    const server = startCli(['server', `--config.file=${cfg}`, `--storage.tsdb.path=${join(dir.path, 'data')}`, `--web.listen-address=127.0.0.1:${port}`]);
    procs.push(server);
    await waitForHttp(`${base}/-/ready`, 30_000, server);

    // Our server scraped the real node exporter.
    const cpu = await eventually(async () => {
      const r = await instant(base, 'node_cpu_seconds_total{mode="idle"}');
      return r.length > 0 ? r : undefined;
    }, 20_000, 'node_cpu_seconds_total scraped from the node exporter');
    assert.equal(cpu[0].metric.job, 'node');
    assert.equal(cpu[0].metric.instance, `127.0.0.1:${nePort}`);
    // Targets scrape at offsets spread over the interval: wait until both jobs reported.
    const up = await eventually(async () => {
      const r = await instant(base, 'up');
      return r.length === 2 ? r : undefined;
    }, 20_000, 'up for both jobs');
    assert.deepEqual(up.map((r) => `${r.metric.job}=${r.value[1]}`).sort(), ['node=1', 'self=1']);
    const rate = await eventually(async () => {
      const r = await instant(base, 'sum by (job) (rate(node_cpu_seconds_total[10s]))');
      return r.length > 0 && Number(r[0].value[1]) > 0 ? r : undefined;
    }, 20_000, 'a positive CPU rate');
    assert.ok(Number(rate[0].value[1]) > 0);

    // promtool queries our API.
    const q = spawnSync(promtool, ['query', 'instant', base, 'up{job="node"}'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(q.status, 0, q.stderr);
    assert.match(q.stdout, /up\{instance="127\.0\.0\.1:\d+", job="node"\} => 1 @/);

    const now = Math.floor(Date.now() / 1000);
    const r = spawnSync(promtool, ['query', 'range', `--start=${now - 10}`, `--end=${now}`, '--step=1s', base, 'up{job="node"}'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /up\{instance="127\.0\.0\.1:\d+", job="node"\} =>\n1 @\[/);
    const series = spawnSync(promtool, ['query', 'series', '--match=up', base], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(series.status, 0, series.stderr);
    assert.match(series.stdout, /\{__name__="up", instance="127\.0\.0\.1:\d+", job="node"\}/);
    const labels = spawnSync(promtool, ['query', 'labels', base, 'job'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(labels.status, 0, labels.stderr);
    assert.deepEqual(labels.stdout.trim().split('\n').sort(), ['node', 'self']);

    // promtool accepts our own /metrics.
    const own = await (await fetch(`${base}/metrics`, { headers: { Accept: 'text/plain' } })).text();
    const check = spawnSync(promtool, ['check', 'metrics'], { input: own, encoding: 'utf8', timeout: 20_000 });
    assert.equal(check.status, 0, `promtool check metrics:\n${check.stdout}${check.stderr}`);

    // The real Prometheus scrapes our /metrics and federates our node series.
    const promPort = await freePort();
    const promCfg = join(dir.path, 'prometheus.yml');
    writeFileSync(
      promCfg,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n` +
        `  - job_name: pyrometer\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n` +
        `  - job_name: federate\n    honor_labels: true\n    metrics_path: /federate\n    params:\n      'match[]': ['{job="node"}']\n` +
        `    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    const prom = startProcess(prometheus, [`--config.file=${promCfg}`, `--storage.tsdb.path=${join(dir.path, 'prom')}`, `--web.listen-address=127.0.0.1:${promPort}`]);
    procs.push(prom);
    const promBase = `http://127.0.0.1:${promPort}`;
    await waitForHttp(`${promBase}/-/ready`, 30_000, prom);
    const scraped = await eventually(async () => {
      const r = await instant(promBase, 'prometheus_tsdb_head_series{job="pyrometer"}');
      return r.length > 0 ? r : undefined;
    }, 30_000, 'Prometheus scraping our /metrics');
    assert.ok(Number(scraped[0].value[1]) > 0);
    const federated = await eventually(async () => {
      const r = await instant(promBase, 'node_load1');
      return r.length > 0 ? r : undefined;
    }, 30_000, 'Prometheus federating node_load1 from us');
    assert.equal(federated[0].metric.job, 'node', 'honor_labels keeps the federated job');
    assert.equal(federated[0].metric.replica, 'a', 'external labels are added on federation');
  } finally {
    for (const p of procs.reverse()) await p.stop();
    dir.remove();
  }
});
