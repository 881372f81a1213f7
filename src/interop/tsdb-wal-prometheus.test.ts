/**
 * WAL compatibility with the real Prometheus (2.42 on this machine), both ways:
 *  - Prometheus scrapes itself every second into a temporary data dir; after it stops, our
 *    replay decodes its wal/ and finds the `up` series with sane samples.
 *  - We write a WAL (snappy records, three segments, a checkpoint covering the first two) into
 *    a data dir; Prometheus started on it replays it and serves the samples over its HTTP API.
 *  - Without compression, re-logging Prometheus's own records with our writer reproduces its
 *    segment byte for byte (pages, fragment headers, checksums, padding).
 *  - A WAL we repaired in place (a segment cut short mid-page after a torn write, followed by a
 *    newer segment) is read by Prometheus without loss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { eventually, freePort, requirePeer, startProcess, tempDir, waitForHttp } from '../testing/peers.js';
import { replayWal } from '../tsdb/wlog/replay.js';
import { listSegments, SNAPPY_FLAG } from '../tsdb/wlog/segment.js';
import { WalReader } from '../tsdb/wlog/reader.js';
import { WAL } from '../tsdb/wlog/writer.js';
import { WalSink } from '../tsdb/wlog/sink.js';
import { checkpoint } from '../tsdb/wlog/checkpoint.js';

interface PromResult {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

async function query(port: number, q: string, time?: number): Promise<PromResult[]> {
  const params = new URLSearchParams({ query: q });
  if (time !== undefined) params.set('time', String(time / 1000));
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?${params}`, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { status: string; data: { result: PromResult[] }; error?: string };
  if (body.status !== 'success') throw new Error(`query ${q}: ${body.error}`);
  return body.data.result;
}

function startPrometheus(bin: string, dataDir: string, port: number, config: string): ReturnType<typeof startProcess> {
  const cfg = join(dataDir, '..', 'prometheus.yml');
  writeFileSync(cfg, config);
  return startProcess(bin, [
    `--config.file=${cfg}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
}

test('our replay decodes the WAL the real Prometheus wrote', { timeout: 60_000 }, async (t) => {
  const bin = requirePeer('prometheus', t);
  if (!bin) return;
  const tmp = tempDir();
  const data = join(tmp.path, 'data');
  const port = await freePort();
  const config = `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`;
  const prom = startPrometheus(bin, data, port, config);
  let seenBeforeStop = 0;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/-/ready`, 30_000, prom);
    seenBeforeStop = await eventually(
      async () => {
        const r = await query(port, 'count_over_time(up[10m])');
        const n = r.length === 1 ? Number(r[0]!.value![1]) : 0;
        return n >= 4 ? n : undefined;
      },
      30_000,
      'four scrapes of up',
    );
  } finally {
    await prom.stop();
  }
  try {
    const walDir = join(data, 'wal');
    // Prometheus compresses WAL records by default; at least some must carry the snappy flag.
    const seg0 = readFileSync(listSegments(walDir)[0]!.path);
    assert.ok((seg0[0]! & SNAPPY_FLAG) !== 0, `first fragment type byte 0x${seg0[0]!.toString(16)} has the snappy flag`);

    const series = new Map<number, Labels>();
    const samples = new Map<number, { t: number[]; v: number[] }>();
    const stats = replayWal(
      walDir,
      {
        series: (list) => list.forEach((s) => series.set(s.ref, s.labels)),
        samples: (b) => {
          for (let i = 0; i < b.n; i++) {
            let s = samples.get(b.refs[i]!);
            if (!s) samples.set(b.refs[i]!, (s = { t: [], v: [] }));
            s.t.push(b.ts[i]!);
            s.v.push(b.vs[i]!);
          }
        },
      },
      { repair: false },
    );
    assert.equal(stats.repaired, undefined);
    assert.ok(stats.series > 50, `series decoded: ${stats.series}`);
    const upRef = [...series].find(([, l]) => l.get('__name__') === 'up')?.[0];
    assert.ok(upRef !== undefined, 'the up series is in the WAL');
    assert.equal(series.get(upRef)!.toString(), `{__name__="up", instance="127.0.0.1:${port}", job="self"}`);
    const up = samples.get(upRef)!;
    assert.ok(up.t.length >= seenBeforeStop, `WAL has ${up.t.length} up samples, the API saw ${seenBeforeStop}`);
    assert.ok(up.v.every((v) => v === 1), 'every up sample is 1');
    const now = Date.now();
    for (let i = 0; i < up.t.length; i++) {
      assert.ok(up.t[i]! > now - 120_000 && up.t[i]! <= now, `timestamp ${up.t[i]} is recent`);
      if (i > 0) {
        const gap = up.t[i]! - up.t[i - 1]!;
        assert.ok(gap > 500 && gap < 2500, `scrapes about 1 s apart (gap ${gap} ms)`);
      }
    }
    // Every sample refers to a series logged before it.
    for (const ref of samples.keys()) assert.ok(series.has(ref), `sample ref ${ref} has a series record`);
    const total = [...samples.values()].reduce((n, s) => n + s.t.length, 0);
    assert.equal(total, stats.samples);
    assert.ok(total >= series.size, 'at least one sample per series');
  } finally {
    tmp.remove();
  }
});

test('the real Prometheus replays a WAL (segments + checkpoint) that we wrote', { timeout: 60_000 }, async (t) => {
  const bin = requirePeer('prometheus', t);
  if (!bin) return;
  const tmp = tempDir();
  const data = join(tmp.path, 'data');
  const walDir = join(data, 'wal');
  mkdirSync(walDir, { recursive: true });
  const port = await freePort();
  // Whole seconds, 10 s apart, ending a little before now so the query window covers them all.
  const end = Math.floor(Date.now() / 10_000) * 10_000 - 10_000;
  const points = 30;
  const start = end - (points - 1) * 10_000;
  const names = ['pyrometer_wal_a', 'pyrometer_wal_b', 'pyrometer_wal_c'];
  const value = (k: number, i: number): number => (k === 2 ? Math.sin(i) * 1e-3 : k * 1000 + i * 1.5);
  const wal = WAL.open(walDir, { compress: true });
  const sink = new WalSink(wal);
  sink.commit({ series: names.map((n, k) => ({ ref: k + 1, labels: Labels.fromStrings('__name__', n, 'job', 'wal', 'k', String(k)) })) });
  for (let i = 0; i < points; i++) {
    const refs = [1, 2, 3];
    const ts = [start + i * 10_000, start + i * 10_000, start + i * 10_000];
    sink.commit({ samples: { refs, ts, vs: refs.map((_, k) => value(k, i)), n: 3 } });
    // Three segments: checkpoint the first two below, keep the third as a plain segment.
    if (i === 9 || i === 19) wal.nextSegment();
  }
  wal.close();
  assert.deepEqual(listSegments(walDir).map((s) => s.index), [0, 1, 2]);
  checkpoint(walDir, 0, 1, () => true, 0);
  wal.truncate(2);
  assert.deepEqual(listSegments(walDir).map((s) => s.index), [2]);

  const prom = startPrometheus(bin, data, port, 'global:\n  scrape_interval: 1m\nscrape_configs: []\n');
  try {
    await waitForHttp(`http://127.0.0.1:${port}/-/ready`, 30_000, prom);
    for (let k = 0; k < names.length; k++) {
      const r = await query(port, `${names[k]}[10m]`, end + 1000);
      assert.equal(r.length, 1, `${names[k]}: ${JSON.stringify(r)}`);
      assert.deepEqual(r[0]!.metric, { __name__: names[k], job: 'wal', k: String(k) });
      const got = r[0]!.values!;
      assert.equal(got.length, points, `${names[k]}: all ${points} samples`);
      for (let i = 0; i < points; i++) {
        assert.equal(got[i]![0] * 1000, start + i * 10_000);
        assert.equal(Number(got[i]![1]), value(k, i), `${names[k]} sample ${i}`);
      }
    }
    assert.match(prom.output(), /WAL replay completed/);
  } finally {
    await prom.stop();
    tmp.remove();
  }
});

test('the real Prometheus reads a WAL repaired in place (short segment followed by a newer one)', { timeout: 60_000 }, async (t) => {
  const bin = requirePeer('prometheus', t);
  if (!bin) return;
  const tmp = tempDir();
  const data = join(tmp.path, 'data');
  const walDir = join(data, 'wal');
  mkdirSync(walDir, { recursive: true });
  const port = await freePort();
  const end = Math.floor(Date.now() / 10_000) * 10_000 - 10_000;
  const start = end - 19 * 10_000;
  const labels = Labels.fromStrings('__name__', 'pyrometer_wal_repaired', 'job', 'wal');
  const wal = WAL.open(walDir, { compress: false });
  const sink = new WalSink(wal);
  sink.commit({ series: [{ ref: 1, labels }] });
  for (let i = 0; i < 10; i++) sink.commit({ samples: { refs: [1], ts: [start + i * 10_000], vs: [i], n: 1 } });
  wal.close();
  // Tear the last commit (sample 9): cut 5 bytes into it (before the closing zero padding), then repair.
  const seg0 = join(walDir, '00000000');
  const bytes = readFileSync(seg0);
  let dataEnd = bytes.length;
  while (dataEnd > 0 && bytes[dataEnd - 1] === 0) dataEnd--;
  writeFileSync(seg0, bytes.subarray(0, dataEnd - 5));
  const stats = replayWal(walDir, {});
  assert.ok(stats.repaired, 'the torn tail was repaired');
  assert.equal(stats.samples, 9);
  assert.ok(statSync(seg0).size % 32768 !== 0, 'segment 0 now ends mid-page');
  // After the restart, samples 10..19 go to a new segment.
  const wal2 = WAL.open(walDir, { compress: false });
  const sink2 = new WalSink(wal2);
  for (let i = 10; i < 20; i++) sink2.commit({ samples: { refs: [1], ts: [start + i * 10_000], vs: [i], n: 1 } });
  wal2.close();

  const prom = startPrometheus(bin, data, port, 'global:\n  scrape_interval: 1m\nscrape_configs: []\n');
  try {
    await waitForHttp(`http://127.0.0.1:${port}/-/ready`, 30_000, prom);
    const r = await query(port, 'pyrometer_wal_repaired[10m]', end + 1000);
    assert.equal(r.length, 1, JSON.stringify(r));
    const got = r[0]!.values!.map(([ts, v]) => [ts * 1000, Number(v)]);
    const want = [...Array(20).keys()].filter((i) => i !== 9).map((i) => [start + i * 10_000, i]);
    assert.deepEqual(got, want);
    assert.doesNotMatch(prom.output(), /corrupt|repair/i);
  } finally {
    await prom.stop();
    tmp.remove();
  }
});

test('our writer reproduces an uncompressed Prometheus WAL segment byte for byte', { timeout: 60_000 }, async (t) => {
  const bin = requirePeer('prometheus', t);
  if (!bin) return;
  const tmp = tempDir();
  const data = join(tmp.path, 'data');
  const port = await freePort();
  const config = `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`;
  const cfg = join(tmp.path, 'prometheus.yml');
  writeFileSync(cfg, config);
  const prom = startProcess(bin, [
    `--config.file=${cfg}`,
    `--storage.tsdb.path=${data}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--no-storage.tsdb.wal-compression',
  ]);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/-/ready`, 30_000, prom);
    await eventually(
      async () => {
        const r = await query(port, 'count_over_time(up[10m])');
        return r.length === 1 && Number(r[0]!.value![1]) >= 3 ? true : undefined;
      },
      30_000,
      'three scrapes of up',
    );
  } finally {
    await prom.stop();
  }
  try {
    const segs = listSegments(join(data, 'wal'));
    assert.equal(segs.length, 1, 'one segment');
    const theirs = readFileSync(segs[0]!.path);
    const r = new WalReader(segs);
    const mine = WAL.open(join(tmp.path, 'ours'), { compress: false });
    let records = 0;
    while (r.next()) {
      mine.log(r.record());
      records++;
    }
    r.close();
    mine.close();
    assert.equal(r.err, undefined);
    assert.ok(records > 3 && theirs.length > 32768, `${records} records, ${theirs.length} bytes: more than a page`);
    const ours = readFileSync(join(tmp.path, 'ours', '00000000'));
    assert.equal(ours.length, theirs.length);
    assert.ok(ours.equals(theirs), 'identical bytes');
  } finally {
    tmp.remove();
  }
});
