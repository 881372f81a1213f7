/**
 * Compares this library with prom-client in one process: hot-path updates and rendering a
 * registry of 10k series. Run after building: `node packages/client/dist/client.bench.js`.
 */
import * as prom from 'prom-client';
import { Counter, Gauge, Histogram, Registry } from './index.js';

function measure(fn: (n: number) => void | Promise<void>, n: number): Promise<number> | number {
  const t = process.hrtime.bigint();
  const r = fn(n);
  const done = () => n / (Number(process.hrtime.bigint() - t) / 1e9);
  return r instanceof Promise ? r.then(done) : done();
}

function fmt(v: number): string {
  return v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(1);
}

const rows: string[][] = [];
/**
 * Best of several rounds each, in operations per second. The two sides alternate round by
 * round so that load from other processes hits both alike.
 */
async function compare(name: string, ours: (n: number) => void | Promise<void>, theirs: (n: number) => void | Promise<void>, n: number, rounds = 7): Promise<void> {
  await measure(ours, Math.max(1, n / 10));
  await measure(theirs, Math.max(1, n / 10));
  let a = 0;
  let b = 0;
  for (let i = 0; i < rounds; i++) {
    a = Math.max(a, await measure(ours, n));
    b = Math.max(b, await measure(theirs, n));
  }
  rows.push([name, fmt(a), fmt(b), (a / b).toFixed(2) + 'x']);
}

const LABELS = ['method', 'code'] as const;

async function main(): Promise<void> {
  const ourReg = new Registry();
  const theirReg = new prom.Registry();
  const c = new Counter({ name: 'c_total', help: 'c', registers: [ourReg] });
  const pc = new prom.Counter({ name: 'c_total', help: 'c', registers: [theirReg] });
  await compare('counter inc()', (n) => { for (let i = 0; i < n; i++) c.inc(); }, (n) => { for (let i = 0; i < n; i++) pc.inc(); }, 5_000_000);

  const cl = new Counter({ name: 'cl_total', help: 'c', labelNames: LABELS, registers: [ourReg] });
  const pcl = new prom.Counter({ name: 'cl_total', help: 'c', labelNames: LABELS, registers: [theirReg] });
  const child = cl.labels('GET', '200');
  const pchild = pcl.labels('GET', '200');
  await compare('labels() child inc()', (n) => { for (let i = 0; i < n; i++) child.inc(); }, (n) => { for (let i = 0; i < n; i++) pchild.inc(); }, 5_000_000);
  const obj = { method: 'GET', code: '200' };
  await compare('inc({labels})', (n) => { for (let i = 0; i < n; i++) cl.inc(obj); }, (n) => { for (let i = 0; i < n; i++) pcl.inc(obj); }, 2_000_000);

  const h = new Histogram({ name: 'h', help: 'h', registers: [ourReg] });
  const ph = new prom.Histogram({ name: 'h', help: 'h', registers: [theirReg] });
  await compare('histogram observe()', (n) => { for (let i = 0; i < n; i++) h.observe((i & 1023) / 1000); }, (n) => { for (let i = 0; i < n; i++) ph.observe((i & 1023) / 1000); }, 2_000_000);
  const hl = new Histogram({ name: 'hl', help: 'h', labelNames: LABELS, registers: [ourReg] });
  const phl = new prom.Histogram({ name: 'hl', help: 'h', labelNames: LABELS, registers: [theirReg] });
  const hchild = hl.labels('GET', '200');
  const phchild = phl.labels('GET', '200');
  await compare('histogram child observe()', (n) => { for (let i = 0; i < n; i++) hchild.observe((i & 1023) / 1000); }, (n) => { for (let i = 0; i < n; i++) phchild.observe((i & 1023) / 1000); }, 2_000_000);

  // 10k series: four labelled counters of 2000 series and two labelled gauges of 1000.
  const ours10k = new Registry();
  const theirs10k = new prom.Registry();
  for (let m = 0; m < 6; m++) {
    const counter = m < 4;
    const size = counter ? 2000 : 1000;
    const name = counter ? `app_requests_${m}_total` : `app_queue_${m}`;
    const o = counter
      ? new Counter({ name, help: 'Requests by handler and code.', labelNames: ['handler', 'code'], registers: [ours10k] })
      : new Gauge({ name, help: 'Queue depth.', labelNames: ['handler', 'code'], registers: [ours10k] });
    const t = counter
      ? new prom.Counter({ name, help: 'Requests by handler and code.', labelNames: ['handler', 'code'], registers: [theirs10k] })
      : new prom.Gauge({ name, help: 'Queue depth.', labelNames: ['handler', 'code'], registers: [theirs10k] });
    for (let i = 0; i < size; i++) {
      const labels = { handler: `/api/v1/resource/${i >> 2}`, code: String(200 + (i & 3)) };
      o.inc(labels, i + 0.5);
      t.inc(labels, i + 0.5);
    }
  }
  const [a, b] = [await ours10k.metrics(), await theirs10k.metrics()];
  const lines = (s: string) => s.split('\n').filter((l) => l !== '').length;
  // Same content (prom-client adds blank lines between families).
  if (lines(a) !== lines(b)) throw new Error(`the registries render ${lines(a)} and ${lines(b)} lines`);
  await compare('render 10k series (text)', async (n) => { for (let i = 0; i < n; i++) await ours10k.metrics(); }, async (n) => { for (let i = 0; i < n; i++) await theirs10k.metrics(); }, 50);
  await compare(
    'render 10k series (OpenMetrics)',
    async (n) => { for (let i = 0; i < n; i++) await ours10k.metrics(Registry.OPENMETRICS_CONTENT_TYPE); },
    async (n) => { for (let i = 0; i < n; i++) { theirs10k.setContentType(prom.Registry.OPENMETRICS_CONTENT_TYPE as never); await theirs10k.metrics(); } },
    50,
  );

  // 1000 histogram series (14k lines) with the default buckets.
  const oursH = new Registry();
  const theirsH = new prom.Registry();
  const oh = new Histogram({ name: 'rt_seconds', help: 'Response time.', labelNames: ['handler'], registers: [oursH] });
  const th = new prom.Histogram({ name: 'rt_seconds', help: 'Response time.', labelNames: ['handler'], registers: [theirsH] });
  for (let i = 0; i < 1000; i++) {
    for (let k = 0; k < 5; k++) {
      oh.observe({ handler: `/h/${i}` }, k * 0.3);
      th.observe({ handler: `/h/${i}` }, k * 0.3);
    }
  }
  await compare('render 1k histograms (text)', async (n) => { for (let i = 0; i < n; i++) await oursH.metrics(); }, async (n) => { for (let i = 0; i < n; i++) await theirsH.metrics(); }, 50);

  const head = ['benchmark', '@pyrometer/client ops/s', 'prom-client ops/s', 'ratio'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  console.log(`node ${process.version}, prom-client ${(await import('prom-client/package.json', { with: { type: 'json' } })).default.version}`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

await main();
