/**
 * The real Prometheus server (2.42) loads blocks written by Pyrometer from its data directory
 * and answers queries with exactly the samples written; then Pyrometer's `tool tsdb dump`
 * reads that live data directory back: our blocks plus the WAL Prometheus wrote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { eventually, freePort, requirePeer, startProcess, tempDir, waitForHttp } from '../testing/peers.js';
import { runCli } from '../testing/cli.js';
import { BlockWriter } from '../tsdb/block/writer.js';
import { openBlocks } from '../tsdb/block/dbdir.js';
import { collect } from '../tsdb/block/testutil.js';
import { Matcher, MatchType } from '../model/matcher.js';

const H = 3600_000;

interface MatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

test('Prometheus serves queries from blocks Pyrometer wrote', { timeout: 60_000 }, async (t) => {
  const bin = requirePeer('prometheus', t);
  if (!bin) return;
  const tmp = tempDir();
  const data = join(tmp.path, 'data');
  // Recent data, so that the server's time retention (measured from now in the API) keeps it.
  const base = Math.floor((Date.now() - 10 * H) / (2 * H)) * 2 * H;
  const written = new Map<string, Map<number, number>>();
  for (let b = 0; b < 3; b++) {
    const w = new BlockWriter();
    for (let s = 0; s < 4; s++) {
      const l = Labels.fromStrings('__name__', 'pyro_metric', 'shard', String(s));
      const key = l.toString();
      if (!written.has(key)) written.set(key, new Map());
      for (let t = base + b * 2 * H; t < base + (b + 1) * 2 * H; t += 60_000) {
        const v = s * 1000 + (t - base) / 60_000 + (s === 3 ? 0.125 : 0);
        w.append(l, t, v);
        written.get(key)!.set(t, v);
      }
    }
    w.flush(data, { minTime: base + b * 2 * H, maxTime: base + (b + 1) * 2 * H });
  }
  const port = await freePort();
  const config = join(tmp.path, 'prometheus.yml');
  writeFileSync(config, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`);
  const prom = startProcess(bin, [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`]);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/-/ready`, 30_000, prom);
    const at = (base + 6 * H) / 1000;
    const url = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('pyro_metric[6h]')}&time=${at}`;
    const body = (await (await fetch(url)).json()) as { status: string; data: { result: MatrixSeries[] } };
    assert.equal(body.status, 'success', JSON.stringify(body));
    const result = body.data.result;
    assert.equal(result.length, 4, prom.output());
    for (const s of result) {
      const key = Labels.fromRecord(s.metric).toString();
      const want = written.get(key)!;
      // Prometheus 2.42's range [at - 6h, at] holds every sample written.
      assert.equal(s.values.length, want.size, key);
      for (const [ts, v] of s.values) assert.equal(Number(v), want.get(Math.round(ts * 1000)), `${key} @${ts}`);
    }
    const upUrl = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('count_over_time(up[1m])')}`;
    await eventually(
      async () => {
        const r = (await (await fetch(upUrl)).json()) as { data: { result: { value: [number, string] }[] } };
        return Number(r.data.result[0]?.value[1] ?? 0) >= 2 ? true : undefined;
      },
      20_000,
      'two scrapes of up',
    );
  } finally {
    await prom.stop();
  }
  try {
    const dump = await runCli(['tool', 'tsdb', 'dump', data]);
    assert.equal(dump.code, 0, dump.stderr);
    const lines = dump.stdout.trimEnd().split('\n');
    const ours = lines.filter((l) => l.startsWith('{__name__="pyro_metric"'));
    assert.equal(ours.length, [...written.values()].reduce((n, m) => n + m.size, 0));
    assert.ok(ours.includes(`{__name__="pyro_metric", shard="3"} 3000.125 ${base}`));
    const up = lines.filter((l) => l.startsWith(`{__name__="up", instance="127.0.0.1:${port}", job="self"} 1 `));
    assert.ok(up.length >= 2, `up samples from the WAL: ${up.length}`);
  } finally {
    tmp.remove();
  }
});

test('Pyrometer reads the blocks and WAL a running Prometheus wrote, as promtool does', { timeout: 60_000 }, async (t) => {
  const bin = requirePeer('prometheus', t);
  const promtool = requirePeer('promtool', t);
  if (!bin || !promtool) return;
  const tmp = tempDir();
  const data = join(tmp.path, 'data');
  const port = await freePort();
  const config = join(tmp.path, 'prometheus.yml');
  writeFileSync(config, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`);
  // 2s blocks (hidden flags) make the server cut blocks from its head within seconds.
  const prom = startProcess(bin, [
    `--config.file=${config}`,
    `--storage.tsdb.path=${data}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.min-block-duration=2s',
    '--storage.tsdb.max-block-duration=2s',
  ]);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/-/ready`, 30_000, prom);
    await eventually(
      async () => (readdirSync(data).filter((d) => /^[0-9A-Z]{26}$/.test(d)).length >= 2 ? true : undefined),
      30_000,
      'two blocks written by Prometheus',
    );
  } finally {
    await prom.stop();
  }
  try {
    const { blocks, corrupted } = openBlocks(data);
    assert.deepEqual(corrupted, []);
    assert.ok(blocks.length >= 2);
    for (const b of blocks) {
      const got = collect(b.querier(-Infinity, Infinity), [Matcher.create(MatchType.Regexp, '__name__', '.+')]);
      assert.equal(got.length, b.meta.stats.numSeries);
      assert.equal(got.reduce((n, s) => n + s.samples.length, 0), b.meta.stats.numSamples);
      b.close();
    }
    // The whole directory (blocks, then the head replayed from the WAL) dumps as promtool dumps it.
    const theirs = spawnSync(promtool, ['tsdb', 'dump', data], { encoding: 'utf8', maxBuffer: 256 << 20 });
    assert.equal(theirs.status, 0, theirs.stderr);
    const ours = await runCli(['tool', 'tsdb', 'dump', data]);
    assert.equal(ours.code, 0, ours.stderr);
    const a = ours.stdout.split('\n');
    const b = theirs.stdout.split('\n');
    assert.ok(b.length > 1000, `promtool dumped ${b.length} lines`);
    assert.equal(a.length, b.length);
    assert.deepEqual(a, b);
  } finally {
    tmp.remove();
  }
});
