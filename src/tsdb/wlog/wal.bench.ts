/**
 * WAL benchmarks: commit throughput (compression on/off, fsync per commit or not), replay
 * throughput (decode only, and into the head), and the real Prometheus replaying the same WAL.
 *
 * Run: npm run build && node dist/tsdb/wlog/wal.bench.js [series=10000] [commits=120]
 */
import { cpSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { findBinary, freePort, startProcess, tempDir, waitForHttp } from '../../testing/peers.js';
import { Head } from '../head/head.js';
import { replayIntoHead } from './head-replay.js';
import { replayWal } from './replay.js';
import { listSegments } from './segment.js';
import { WalSink } from './sink.js';
import { WAL } from './writer.js';

const SERIES = Number(process.argv[2] ?? 10_000);
const COMMITS = Number(process.argv[3] ?? 120);

function walBytes(dir: string): number {
  return listSegments(dir).reduce((n, s) => n + statSync(s.path).size, 0);
}

/** Writes COMMITS scrapes of SERIES samples each; returns ms spent in commits. */
function writeWal(dir: string, compress: boolean, fsyncEachLog: boolean, commits = COMMITS): number {
  const wal = WAL.open(dir, { compress, fsyncEachLog });
  const sink = new WalSink(wal);
  const refs = new Float64Array(SERIES).map((_, i) => i + 1);
  const ts = new Float64Array(SERIES);
  const vs = new Float64Array(SERIES);
  const t0 = Date.now() - commits * 15_000;
  const series = [...refs].map((ref) =>
    ({ ref, labels: Labels.fromStrings('__name__', `bench_metric_${ref % 50}`, 'instance', `host-${ref % 200}:9100`, 'job', 'node', 'id', String(ref)) }));
  let ms = 0;
  for (let c = 0; c < commits; c++) {
    ts.fill(t0 + c * 15_000);
    for (let i = 0; i < SERIES; i++) vs[i] = c * 10 + (i % 100) + (i % 3 === 0 ? Math.random() : 0);
    const start = performance.now();
    sink.commit({ series: c === 0 ? series : undefined, samples: { refs, ts, vs, n: SERIES } });
    ms += performance.now() - start;
  }
  wal.close();
  return ms;
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);
}

async function main(): Promise<void> {
  const total = SERIES * COMMITS;
  console.log(`WAL bench: ${SERIES} series x ${COMMITS} commits = ${fmt(total)} samples`);
  for (const compress of [true, false]) {
    const tmp = tempDir();
    try {
      const ms = writeWal(tmp.path, compress, false);
      const bytes = walBytes(tmp.path);
      console.log(
        `write  compress=${compress ? 'snappy' : 'none  '}  ${fmt((total / ms) * 1000)} samples/s  ` +
          `${((ms * 1000) / COMMITS).toFixed(0)} us/commit  ${(bytes / total).toFixed(2)} bytes/sample`,
      );
      let decodeMs = Infinity;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const s = replayWal(tmp.path, { samples: () => {} });
        if (s.samples !== total) throw new Error(`replayed ${s.samples} samples, wrote ${total}`);
        decodeMs = Math.min(decodeMs, performance.now() - t);
      }
      console.log(`replay compress=${compress ? 'snappy' : 'none  '}  decode only: ${fmt((total / decodeMs) * 1000)} samples/s (${decodeMs.toFixed(0)} ms)`);
      const head = new Head();
      const t = performance.now();
      const hs = replayIntoHead(tmp.path, head);
      const headMs = performance.now() - t;
      console.log(`replay compress=${compress ? 'snappy' : 'none  '}  into head:   ${fmt((total / headMs) * 1000)} samples/s (${headMs.toFixed(0)} ms, ${hs.samplesStored} stored)`);
      if (compress) await prometheusReplay(tmp.path, total);
    } finally {
      tmp.remove();
    }
  }
  // fsync per commit: the durability Prometheus does not pay for.
  const a = tempDir();
  const b = tempDir();
  try {
    const few = 50;
    const noSync = writeWal(a.path, true, false, few);
    const withSync = writeWal(b.path, true, true, few);
    console.log(
      `fsync per commit: ${((withSync * 1000) / few).toFixed(0)} us/commit vs ${((noSync * 1000) / few).toFixed(0)} us/commit without`,
    );
  } finally {
    a.remove();
    b.remove();
  }
}

/** Starts the real Prometheus on a data dir holding our WAL and reports its replay duration. */
async function prometheusReplay(walDir: string, total: number): Promise<void> {
  const bin = findBinary('prometheus');
  if (!bin) {
    console.log('prometheus replay: SKIPPED (prometheus not installed)');
    return;
  }
  const tmp = tempDir();
  try {
    const data = join(tmp.path, 'data');
    cpSync(walDir, join(data, 'wal'), { recursive: true });
    const cfg = join(tmp.path, 'prometheus.yml');
    writeFileSync(cfg, 'scrape_configs: []\n');
    const port = await freePort();
    const prom = startProcess(bin, [`--config.file=${cfg}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`]);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/-/ready`, 120_000, prom);
      const m = /WAL replay completed.*?total_replay_duration=(\S+)/.exec(prom.output());
      console.log(`prometheus 2.42 replay of the same WAL: ${m ? m[1] : 'duration not found in its log'} (${fmt(total)} samples)`);
    } finally {
      await prom.stop();
    }
  } finally {
    tmp.remove();
  }
}

await main();
