/**
 * Ingest benchmark: scrape loops over real HTTP targets appending into a real DB (head + WAL),
 * the path the server runs in steady state. Reports CPU µs per sample (user + system of this
 * process only; the synthetic exporter runs in a child process). µs per sample is the same
 * number as CPU seconds per million samples, the figure docs/benchmarks.md compares.
 *
 *   node --import tsx src/scrape/ingest.bench.ts [targets=20] [seriesPerTarget=1000] [rounds=40]
 *
 * Run it from the checkout's root. To profile, bundle it first (docs/benchmarks.md, "Ingest
 * CPU"): under tsx the profile's functions all report line 1.
 *
 * Every round scrapes all targets concurrently at a timestamp 5 s after the last one, as the
 * server's loops do over one interval. The first rounds create the series (reported apart);
 * the rest are steady state.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseConfig } from '../config/config.js';
import { DB } from '../tsdb/db.js';
import { ScrapeLoop } from './loop.js';
import { targetsFromGroups } from './target.js';

const targets = Number(process.argv[2] ?? 20);
const seriesPerTarget = Number(process.argv[3] ?? 1000);
const rounds = Number(process.argv[4] ?? 40);
const WARMUP = 3;
const INTERVAL_MS = 5000;

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

// Run from the checkout's root, where ../shared/bench holds the benchmark's exporter.
const exporterPath = resolve('../shared/bench/synth-exporter.mjs');
const exporter = spawn(
  process.execPath,
  [exporterPath, '--targets', String(targets), '--series-per-target', String(seriesPerTarget), '--interval', '5', '--mode', 'ports'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const dir = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
let db: DB | undefined;
try {
  const ready = await new Promise<{ host: string; ports: number[]; paths: string[] }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error('exporter did not start within 30s')), 30_000);
    exporter.on('exit', (code) => rej(new Error(`exporter exited with ${code}`)));
    createInterface({ input: exporter.stdout! }).on('line', (l) => {
      if (!l.startsWith('READY ')) return;
      clearTimeout(timer);
      res(JSON.parse(l.slice(6)));
    });
  });
  const cfg = parseConfig(`scrape_configs:\n  - job_name: bench\n    scrape_interval: 1m\n    scrape_timeout: 1m\n`, 'bench.yml').scrape_configs[0];
  db = DB.open(dir, { compactIntervalMs: 3600_000 });
  const loops = ready.ports.map((port) => {
    const groups = [{ source: String(port), labels: {}, targets: [{ __address__: `${ready.host}:${port}` }] }];
    return new ScrapeLoop(targetsFromGroups(groups, cfg).active[0], cfg, db!);
  });
  let ts = Date.now();
  const t0 = cpuUs();
  let tWarm = t0;
  let samplesSteady = 0;
  let samplesWarm = 0;
  for (let r = 0; r < rounds; r++) {
    ts += INTERVAL_MS;
    await Promise.all(loops.map((l) => l.scrapeOnce(ts)));
    const bad = loops.find((l) => l.health !== 'up' || l.lastStats.duplicate + l.lastStats.outOfOrder + l.lastStats.outOfBounds > 0);
    if (bad) throw new Error(`scrape of ${bad.target.url()} failed or rejected samples: ${bad.lastError} ${JSON.stringify(bad.lastStats)}`);
    const n = loops.reduce((s, l) => s + l.lastStats.samplesScraped, 0);
    if (r < WARMUP) {
      samplesWarm += n;
      tWarm = cpuUs();
    } else samplesSteady += n;
  }
  const t1 = cpuUs();
  const heap = process.memoryUsage();
  console.log(
    JSON.stringify({
      targets,
      seriesPerTarget,
      rounds,
      creationUsPerSample: +((tWarm - t0) / samplesWarm).toFixed(3),
      steadyUsPerSample: +((t1 - tWarm) / samplesSteady).toFixed(3),
      rssMiB: Math.round(heap.rss / 2 ** 20),
    }),
  );
} finally {
  exporter.kill();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
}
