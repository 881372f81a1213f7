/**
 * Compares the runtime helpers with prom-client's in one process: a scrape of the default
 * metrics, merging four cluster workers' metrics (without the IPC hop), and a full HTTP scrape
 * of 10k series. Run after building: `node packages/client/dist/runtime.bench.js`.
 */
import { createServer, request, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as prom from 'prom-client';
import { Counter, Histogram, Registry } from './index.js';
import { collectDefaultMetrics } from './defaults/index.js';
import { aggregateFamilies, type WorkerFamilies } from './cluster.js';
import { metricsHandler } from './http.js';

type Fn = (n: number) => Promise<void>;

async function opsPerSec(fn: Fn, n: number, rounds = 5): Promise<number> {
  await fn(Math.max(1, Math.floor(n / 10)));
  let best = 0;
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    await fn(n);
    best = Math.max(best, n / (Number(process.hrtime.bigint() - t) / 1e9));
  }
  return best;
}

const fmt = (v: number): string => (v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(1));
const rows: string[][] = [];

async function compare(name: string, ours: Fn, theirs: Fn, n: number): Promise<void> {
  const a = await opsPerSec(ours, n);
  const b = await opsPerSec(theirs, n);
  rows.push([name, fmt(a), fmt(b), `${(a / b).toFixed(2)}x`]);
}

/** 2000 labelled counter series and 100 labelled histograms, as one worker would hold them. */
function fill(ourReg: Registry, theirReg: prom.Registry, worker: number): void {
  const c = new Counter({ name: 'app_requests_total', help: 'Requests.', labelNames: ['handler', 'code'], registers: [ourReg] });
  const pc = new prom.Counter({ name: 'app_requests_total', help: 'Requests.', labelNames: ['handler', 'code'], registers: [theirReg] });
  const h = new Histogram({ name: 'app_latency_seconds', help: 'Latency.', labelNames: ['handler'], registers: [ourReg] });
  const ph = new prom.Histogram({ name: 'app_latency_seconds', help: 'Latency.', labelNames: ['handler'], registers: [theirReg] });
  for (let i = 0; i < 2000; i++) {
    const labels = { handler: `/api/${i >> 2}`, code: String(200 + (i & 3)) };
    c.inc(labels, i + worker);
    pc.inc(labels, i + worker);
  }
  for (let i = 0; i < 100; i++) {
    h.observe({ handler: `/api/${i}` }, (i % 7) * 0.1);
    ph.observe({ handler: `/api/${i}` }, (i % 7) * 0.1);
  }
}

async function listen(handler: RequestListener): Promise<{ port: number; close(): Promise<void> }> {
  const s = createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    port: (s.address() as AddressInfo).port,
    close: () => {
      s.closeAllConnections();
      return new Promise((r) => s.close(() => r()));
    },
  };
}

function scrape(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', headers }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => resolve(n));
    });
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  // Default metrics: one scrape of everything collectDefaultMetrics registers.
  const ourDefaults = new Registry();
  const theirDefaults = new prom.Registry();
  const d = collectDefaultMetrics({ register: ourDefaults });
  prom.collectDefaultMetrics({ register: theirDefaults });
  await compare(
    'scrape default metrics',
    async (n) => { for (let i = 0; i < n; i++) await ourDefaults.metrics(); },
    async (n) => { for (let i = 0; i < n; i++) await theirDefaults.metrics(); },
    2000,
  );
  d.stop();

  // Cluster: four workers' snapshots merged and rendered (the IPC hop is not measured).
  const ours: WorkerFamilies[] = [];
  const theirs: Awaited<ReturnType<prom.Registry['getMetricsAsJSON']>>[] = [];
  for (let w = 1; w <= 4; w++) {
    const o = new Registry();
    const t = new prom.Registry();
    fill(o, t, w);
    ours.push({ workerId: w, families: await o.getMetricsAsFamilies() });
    theirs.push(await t.getMetricsAsJSON());
  }
  const merged = new Registry();
  merged.registerCollector({ collect: () => aggregateFamilies(ours) });
  const [a, b] = [await merged.metrics(), await prom.AggregatorRegistry.aggregate(theirs).metrics()];
  const count = (s: string): number => s.split('\n').filter((l) => l && !l.startsWith('#')).length;
  if (count(a) !== count(b)) throw new Error(`aggregates differ: ${count(a)} vs ${count(b)} samples`);
  await compare(
    'merge 4 workers x 3.5k samples + render',
    async (n) => { for (let i = 0; i < n; i++) await merged.metrics(); },
    async (n) => { for (let i = 0; i < n; i++) await prom.AggregatorRegistry.aggregate(theirs).metrics(); },
    50,
  );

  // HTTP: 10k counter series scraped over loopback. prom-client has no handler; the usual one is shown.
  const big = new Registry();
  const bigTheirs = new prom.Registry();
  for (let m = 0; m < 5; m++) {
    const o = new Counter({ name: `app_c${m}_total`, help: 'C.', labelNames: ['handler', 'code'], registers: [big] });
    const t = new prom.Counter({ name: `app_c${m}_total`, help: 'C.', labelNames: ['handler', 'code'], registers: [bigTheirs] });
    for (let i = 0; i < 2000; i++) {
      o.inc({ handler: `/h/${i >> 2}`, code: String(200 + (i & 3)) }, i);
      t.inc({ handler: `/h/${i >> 2}`, code: String(200 + (i & 3)) }, i);
    }
  }
  const ourServer = await listen(metricsHandler(big));
  const theirServer = await listen(async (_req, res) => {
    res.setHeader('Content-Type', bigTheirs.contentType);
    res.end(await bigTheirs.metrics());
  });
  try {
    const plain = { Accept: 'text/plain' };
    await compare(
      'HTTP scrape 10k series (text, no gzip)',
      async (n) => { for (let i = 0; i < n; i++) await scrape(ourServer.port, plain); },
      async (n) => { for (let i = 0; i < n; i++) await scrape(theirServer.port, plain); },
      50,
    );
    const gz = await opsPerSec(async (n) => { for (let i = 0; i < n; i++) await scrape(ourServer.port, { ...plain, 'Accept-Encoding': 'gzip' }); }, 50);
    const bytes = [await scrape(ourServer.port, plain), await scrape(ourServer.port, { ...plain, 'Accept-Encoding': 'gzip' })];
    rows.push([`HTTP scrape 10k series (text, gzip ${bytes[0]} -> ${bytes[1]} B)`, fmt(gz), '-', '-']);
  } finally {
    await ourServer.close();
    await theirServer.close();
  }

  const head = ['benchmark', '@pyrometer/client ops/s', 'prom-client ops/s', 'ratio'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  console.log(`node ${process.version}`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

await main();
