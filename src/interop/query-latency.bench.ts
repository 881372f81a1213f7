/**
 * Query latency of the Pyrometer server next to the real Prometheus, both serving the same
 * day of data: one set of blocks written by `promtool tsdb create-blocks-from openmetrics` and
 * copied into both data directories. Both are timed over loopback HTTP, the same way, with the
 * runs of the two servers interleaved so that load on a shared machine hits both alike.
 * Run: npm run build && node dist/interop/query-latency.bench.js [--repeats N]
 * Profile our side: PYROMETER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (node flags for our server).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, createWriteStream, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { findBinary, freePort, startProcess, tempDir, waitForHttp, type PeerProcess } from '../testing/peers.js';
import { repoRoot } from '../testing/paths.js';

const JOBS = 4;
const INSTANCES = 40;
const CODES = ['200', '404', '500'];
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
const STEP_MS = 60_000;
const DAY_MS = 86_400_000;
// Minute-aligned end a little in the past, so neither server's head overlaps the blocks.
const END = Math.floor((Date.now() - 10 * 60_000) / STEP_MS) * STEP_MS;
const START = END - DAY_MS;
// Query times sit between samples, so no sample lies on a window edge, where Prometheus 2's
// closed windows and Prometheus 3's left-open ones would read different samples; and range
// queries start once every window is full, as 2 and 3 extrapolate rate() differently at a
// series' start.
const Q_START = START + 10 * STEP_MS + STEP_MS / 2;
const Q_END = END - STEP_MS / 2;

interface BenchQuery {
  name: string;
  q: string;
  /** Range query over the whole day at 60 s steps; else instant at its end. */
  range: boolean;
}

const QUERIES: BenchQuery[] = [
  { name: 'rate over all counters', q: 'rate(http_requests_total[5m])', range: false },
  { name: 'sum by of a rate', q: 'sum by (job, code) (rate(http_requests_total[5m]))', range: false },
  { name: 'histogram_quantile', q: 'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))', range: false },
  { name: 'topk of a rate', q: 'topk(5, rate(http_requests_total[5m]))', range: false },
  { name: 'regex selector', q: 'http_requests_total{instance=~"host-1.*", code!~"5.."}', range: false },
  { name: 'regex name selector', q: 'count({__name__=~"http_request.*"})', range: false },
  { name: '1 day at 60s: sum by of a rate', q: 'sum by (job) (rate(http_requests_total[5m]))', range: true },
  { name: '1 day at 60s: histogram_quantile', q: 'histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))', range: true },
  { name: '1 day at 60s: avg_over_time', q: 'avg by (instance) (avg_over_time(node_memory_used_bytes[10m]))', range: true },
  { name: '1 day at 60s: topk', q: 'topk(3, sum by (instance) (rate(http_requests_total[5m])))', range: true },
];

/** A deterministic pseudo-random walk per series. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Writes the day as OpenMetrics (families contiguous, each series in time order). Returns the series count. */
async function writeOpenMetrics(path: string): Promise<{ series: number; samples: number }> {
  const out = createWriteStream(path);
  let series = 0;
  let samples = 0;
  const points = DAY_MS / STEP_MS + 1;
  const write = async (s: string): Promise<void> => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const emit = async (name: string, labels: string, values: (i: number) => number): Promise<void> => {
    series++;
    let buf = '';
    for (let i = 0; i < points; i++) {
      buf += `${name}{${labels}} ${values(i)} ${(START + i * STEP_MS) / 1000}\n`;
      if (buf.length > 1 << 16) {
        await write(buf);
        buf = '';
      }
    }
    samples += points;
    await write(buf);
  };
  await write('# TYPE http_requests counter\n');
  for (let j = 0; j < JOBS; j++) {
    for (let h = 0; h < INSTANCES; h++) {
      for (const code of CODES) {
        const r = rng(series + 1);
        const perStep = (code === '200' ? 50 : 2) * (1 + r());
        let v = 0;
        await emit('http_requests_total', `job="job-${j}",instance="host-${h}",code="${code}"`, () => (v += Math.round(perStep * (0.6 + 0.8 * r()))));
      }
    }
  }
  await write('# TYPE http_request_duration_seconds histogram\n');
  for (let j = 0; j < JOBS; j++) {
    for (let h = 0; h < INSTANCES; h++) {
      const r = rng(1000 + series);
      // Cumulative bucket counts grow together, each a fixed share of the requests.
      const counts = BUCKETS.map(() => 0);
      const perStep = BUCKETS.map((_, b) => Math.round(30 * (1 - Math.exp(-(b + 1) / 3)) * (1 + r())));
      for (let b = 1; b < perStep.length; b++) perStep[b] = Math.max(perStep[b], perStep[b - 1]);
      for (let b = 0; b < BUCKETS.length; b++) {
        await emit('http_request_duration_seconds_bucket', `job="job-${j}",instance="host-${h}",le="${BUCKETS[b]}"`, () => (counts[b] += perStep[b]));
      }
    }
  }
  await write('# TYPE node_memory_used_bytes gauge\n');
  for (let h = 0; h < INSTANCES; h++) {
    const r = rng(5000 + h);
    let v = 2 ** 30;
    await emit('node_memory_used_bytes', `job="node",instance="host-${h}"`, () => (v += Math.round((r() - 0.5) * 2 ** 22)));
  }
  await write('# EOF\n');
  out.end();
  await once(out, 'finish');
  return { series, samples };
}

interface Server {
  name: string;
  base: string;
  proc: PeerProcess;
}

async function query(s: Server, bq: BenchQuery): Promise<{ ms: number; body: string }> {
  const params = bq.range
    ? `query_range?query=${encodeURIComponent(bq.q)}&start=${Q_START / 1000}&end=${Q_END / 1000}&step=60`
    : `query?query=${encodeURIComponent(bq.q)}&time=${Q_END / 1000}`;
  const t0 = performance.now();
  const res = await fetch(`${s.base}/api/v1/${params}`);
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${s.name}: ${bq.q}: ${res.status} ${body.slice(0, 300)}`);
  return { ms, body };
}

interface ApiSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

/** Same series and values (relative 1e-9), ignoring series order; else the first difference. */
function difference(a: string, b: string): string | undefined {
  const ra = (JSON.parse(a) as { data: { result: ApiSeries[] } }).data.result;
  const rb = (JSON.parse(b) as { data: { result: ApiSeries[] } }).data.result;
  const key = (s: ApiSeries): string => JSON.stringify(Object.entries(s.metric).sort());
  const other = new Map(rb.map((s) => [key(s), s]));
  if (other.size !== ra.length) return `${ra.length} vs ${other.size} series`;
  for (const s of ra) {
    const o = other.get(key(s));
    if (!o) return `series ${key(s)} missing`;
    const xs = s.values ?? [s.value!];
    const ys = o.values ?? [o.value!];
    if (xs.length !== ys.length) return `${key(s)}: ${xs.length} vs ${ys.length} points`;
    for (let i = 0; i < xs.length; i++) {
      const x = Number(xs[i][1]);
      const y = Number(ys[i][1]);
      if (xs[i][0] !== ys[i][0] || Math.abs(x - y) > 1e-9 * Math.max(Math.abs(x), Math.abs(y))) return `${key(s)} at ${xs[i][0]}: ${x} vs ${y}`;
    }
  }
  return undefined;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<void> {
  const repeats = Number(process.argv[process.argv.indexOf('--repeats') + 1]) || 7;
  const promBin = findBinary('prometheus');
  const promtool = findBinary('promtool');
  if (!promBin || !promtool) throw new Error('needs prometheus and promtool on PATH');
  const dir = tempDir('pyrometer-qbench-');
  const servers: Server[] = [];
  try {
    const input = join(dir.path, 'day.om');
    const { series, samples } = await writeOpenMetrics(input);
    console.log(`data: ${series} series, ${samples} samples, 1 day at 60s, written by promtool into 2h blocks`);
    execFileSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', input, join(dir.path, 'blocks')], { stdio: 'ignore' });
    const blocks = readdirSync(join(dir.path, 'blocks'));
    writeFileSync(join(dir.path, 'empty.yml'), 'global: {}\n');
    for (const name of ['prometheus', 'pyrometer'] as const) {
      const data = join(dir.path, `data-${name}`);
      for (const b of blocks) cpSync(join(dir.path, 'blocks', b), join(data, b), { recursive: true });
      const port = await freePort();
      const common = [`--config.file=${join(dir.path, 'empty.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=10y'];
      const proc = name === 'prometheus'
        ? startProcess(promBin, common)
        : startProcess(process.execPath, [...(process.env.PYROMETER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), join(repoRoot, 'bin', 'pyrometer'), 'server', ...common]);
      const s: Server = { name, base: `http://127.0.0.1:${port}`, proc };
      servers.push(s);
      await waitForHttp(`${s.base}/-/ready`, 60_000, proc);
    }
    const [prom, ours] = servers;
    const rows: { bq: BenchQuery; ours: number; prom: number; diff?: string; points: number }[] = [];
    for (const bq of QUERIES) {
      // One warm-up each (page cache, postings caches), then interleaved timed runs.
      const a = await query(ours, bq);
      const b = await query(prom, bq);
      const tOurs: number[] = [];
      const tProm: number[] = [];
      for (let r = 0; r < repeats; r++) {
        tOurs.push((await query(ours, bq)).ms);
        tProm.push((await query(prom, bq)).ms);
      }
      const res = (JSON.parse(a.body) as { data: { result: ApiSeries[] } }).data.result;
      const points = res.reduce((n, s) => n + (s.values?.length ?? 1), 0);
      rows.push({ bq, ours: median(tOurs), prom: median(tProm), diff: difference(a.body, b.body), points });
    }
    console.log(`\n| query | kind | points | Pyrometer ms | Prometheus ms | ratio | same result |\n| --- | --- | ---: | ---: | ---: | ---: | --- |`);
    let logSum = 0;
    for (const r of rows) {
      logSum += Math.log(r.ours / r.prom);
      console.log(`| \`${r.bq.q}\` | ${r.bq.range ? 'range 1d/60s' : 'instant'} | ${r.points} | ${r.ours.toFixed(1)} | ${r.prom.toFixed(1)} | ${(r.ours / r.prom).toFixed(2)} | ${r.diff ? `NO: ${r.diff}` : 'yes'} |`);
    }
    console.log(`\ngeometric mean of ratios (Pyrometer / Prometheus): ${Math.exp(logSum / rows.length).toFixed(2)} over ${rows.length} queries, ${repeats} runs each`);
  } finally {
    for (const s of servers) await s.proc.stop();
    dir.remove();
  }
}

await main();
