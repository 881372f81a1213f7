/**
 * A cluster worker for cluster.test.ts: sets metric values derived from its worker id
 * (k = 1, 2, 3, ...), then tells the primary it is ready. WORKER_MODE=fail|hang|die makes its
 * collection throw, never finish, or exit the process.
 */
import cluster from 'node:cluster';
import { Registry } from './registry.js';
import { Counter } from './counter.js';
import { Gauge } from './gauge.js';
import { Histogram } from './histogram.js';
import { Summary } from './summary.js';
import { Info } from './info.js';
import { AggregatorRegistry } from './cluster.js';
import { collectDefaultMetrics } from './defaults/index.js';

const k = cluster.worker!.id;
const reg = new Registry();
reg.setDefaultLabels({ service: 'shop' });
AggregatorRegistry.setRegistries(reg);
const registers = [reg];

new Counter({ name: 'requests_total', help: 'Requests.', labelNames: ['code'], registers }).labels('200').inc(k);
new Gauge({ name: 'g_sum', help: 'Summed.', registers }).set(k);
new Gauge({ name: 'g_max', help: 'Max.', aggregator: 'max', registers }).set(10 * k);
new Gauge({ name: 'g_min', help: 'Min.', aggregator: 'min', registers }).set(10 * k);
new Gauge({ name: 'g_avg', help: 'Average.', aggregator: 'average', registers }).set(k);
new Gauge({ name: 'g_first', help: 'First.', aggregator: 'first', registers }).set(100 + k);
new Gauge({ name: 'g_omit', help: 'Omitted.', aggregator: 'omit', registers }).set(k);
new Gauge({ name: 'g_nan', help: 'Not a number.', aggregator: 'first', registers }).set(NaN);
new Gauge({ name: 'g_inf', help: 'Infinite.', aggregator: 'max', registers }).set(-Infinity);
new Gauge({ name: 'g_per_worker', help: 'Kept per worker.', registers }).set(k);
const h = new Histogram({ name: 'latency_seconds', help: 'Latency.', buckets: [0.15, 0.25, 1], registers });
h.observe(k / 10);
h.observe(5);
const s = new Summary({ name: 'size_bytes', help: 'Size.', percentiles: [0.5], registers });
s.observe(k * 100);
new Info({ name: 'build', help: 'Build.', registers }).set({ version: '1.2.3' });
collectDefaultMetrics({ register: reg });

if (process.env.WORKER_MODE === 'fail') {
  reg.registerCollector({ collect: () => { throw new Error('collector exploded'); } });
} else if (process.env.WORKER_MODE === 'hang') {
  reg.registerCollector({ collect: () => new Promise(() => {}) });
} else if (process.env.WORKER_MODE === 'die') {
  reg.registerCollector({ collect: () => process.exit(3) });
}

process.send!({ ready: k });
