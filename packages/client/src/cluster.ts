/**
 * Metrics across `node:cluster` workers.
 *
 * The primary's AggregatorRegistry asks every connected worker for its families over the
 * cluster IPC channel and merges them: counters, histograms and summary counts are summed;
 * gauges follow the metric's `aggregator` (sum, first, min, max, average, omit) or a per-name
 * override; the `worker` mode keeps each worker's series apart under a worker label.
 *
 * Workers answer automatically once this module is loaded (importing the package is enough);
 * they report the global registry unless `AggregatorRegistry.setRegistries` says otherwise.
 *
 * Wire format (JSON over IPC): request `{type: REQUEST, id}`; answer `{type: RESPONSE, id,
 * families}` or `{type: RESPONSE, id, error}`. Non-finite numbers travel as strings because
 * the default IPC serialization is JSON, which has no NaN or Infinity.
 */
import cluster, { type Worker } from 'node:cluster';
import type { LabelValues, MetricFamily, MetricPoint, MetricType } from './family.js';
import type { Aggregator } from './metric.js';
import { Registry, register as globalRegistry } from './registry.js';

/** How one family is merged across workers: an Aggregator, or `worker` to keep workers apart. */
export type ClusterAggregation = Aggregator | 'worker';

export interface AggregatorRegistryOptions {
  /** Per family name, overriding the metric's own `aggregator`. */
  aggregators?: Record<string, ClusterAggregation>;
  /** Label naming the worker in `worker` mode (default `worker`); its value is the cluster worker id. */
  workerLabel?: string;
  /** How long to wait for all workers, in milliseconds (default 5000). */
  timeoutMs?: number;
  /** The content type `metrics()` renders by default. */
  contentType?: string;
}

/** One worker's families as received by the primary. */
export interface WorkerFamilies {
  workerId: number;
  families: MetricFamily[];
}

const REQUEST = 'pyrometer:cluster-metrics:request';
const RESPONSE = 'pyrometer:cluster-metrics:response';

type WireNumber = number | string;

interface WirePoint {
  labels: LabelValues;
  value?: WireNumber;
  bucketBounds?: WireNumber[];
  bucketCounts?: WireNumber[];
  quantiles?: WireNumber[];
  quantileValues?: WireNumber[];
  sum?: WireNumber;
  count?: WireNumber;
  createdMs?: number;
}

interface WireFamily {
  name: string;
  help: string;
  type: MetricType;
  unit?: string;
  aggregator?: Aggregator;
  metrics: WirePoint[];
}

interface Request {
  type: typeof REQUEST;
  id: number;
}

interface Response {
  type: typeof RESPONSE;
  id: number;
  families?: WireFamily[];
  error?: string;
}

/** A family with the aggregation hint the worker found for it. */
type HintedFamily = MetricFamily & { aggregator?: Aggregator };

const enc = (x: number): WireNumber => (Number.isFinite(x) ? x : String(x));
const dec = (x: WireNumber): number => (typeof x === 'number' ? x : Number(x));
const encArr = (a: ArrayLike<number> | undefined): WireNumber[] | undefined => (a === undefined ? undefined : Array.from(a, enc));
const decArr = (a: WireNumber[] | undefined): number[] | undefined => a?.map(dec);

function toWire(f: HintedFamily, defaultLabels: LabelValues): WireFamily {
  const defaults = Object.entries(defaultLabels);
  const metrics = f.metrics.map((m): WirePoint => {
    let labels = m.labels;
    if (defaults.length > 0) {
      // As the serializers do: the series' own labels first, then defaults it does not override.
      const l: Record<string, string> = { ...m.labels };
      for (const [k, v] of defaults) if (!(k in l)) l[k] = v;
      labels = l;
    }
    // Timestamps and exemplars belong to one process's samples and do not survive aggregation.
    const p: WirePoint = { labels };
    if (m.value !== undefined) p.value = enc(m.value);
    if (m.bucketBounds) p.bucketBounds = encArr(m.bucketBounds);
    if (m.bucketCounts) p.bucketCounts = encArr(m.bucketCounts);
    if (m.quantiles) p.quantiles = encArr(m.quantiles);
    if (m.quantileValues) p.quantileValues = encArr(m.quantileValues);
    if (m.sum !== undefined) p.sum = enc(m.sum);
    if (m.count !== undefined) p.count = enc(m.count);
    if (m.createdMs !== undefined) p.createdMs = m.createdMs;
    return p;
  });
  const w: WireFamily = { name: f.name, help: f.help, type: f.type, metrics };
  if (f.unit !== undefined) w.unit = f.unit;
  if (f.aggregator !== undefined) w.aggregator = f.aggregator;
  return w;
}

function fromWire(w: WireFamily): HintedFamily {
  const metrics = w.metrics.map((p): MetricPoint => {
    const m: MetricPoint = { labels: p.labels };
    if (p.value !== undefined) m.value = dec(p.value);
    if (p.bucketBounds) m.bucketBounds = decArr(p.bucketBounds);
    if (p.bucketCounts) m.bucketCounts = decArr(p.bucketCounts);
    if (p.quantiles) m.quantiles = decArr(p.quantiles);
    if (p.quantileValues) m.quantileValues = decArr(p.quantileValues);
    if (p.sum !== undefined) m.sum = dec(p.sum);
    if (p.count !== undefined) m.count = dec(p.count);
    if (p.createdMs !== undefined) m.createdMs = p.createdMs;
    return m;
  });
  const f: HintedFamily = { name: w.name, help: w.help, type: w.type, metrics };
  if (w.unit !== undefined) f.unit = w.unit;
  if (w.aggregator !== undefined) f.aggregator = w.aggregator;
  return f;
}

// ---- worker side ----

let workerRegistries: Registry[] = [globalRegistry];

/** The families of the worker's registries, each with the aggregator its metric declares. */
async function workerFamilies(): Promise<WireFamily[]> {
  const out: WireFamily[] = [];
  const seen = new Set<string>();
  for (const reg of workerRegistries) {
    for (const f of (await reg.getMetricsAsFamilies()) as HintedFamily[]) {
      if (seen.has(f.name)) throw new Error(`metric "${f.name}" is in more than one of the worker's registries`);
      seen.add(f.name);
      const metric = reg.getSingleMetric(f.name) as { aggregator?: Aggregator } | undefined;
      const hinted = f.aggregator === undefined && metric?.aggregator !== undefined ? { ...f, aggregator: metric.aggregator } : f;
      out.push(toWire(hinted, reg.getDefaultLabels()));
    }
  }
  return out;
}

function isRequest(m: unknown): m is Request {
  return typeof m === 'object' && m !== null && (m as Request).type === REQUEST && typeof (m as Request).id === 'number';
}

if (cluster.isWorker) {
  process.on('message', (msg: unknown) => {
    if (!isRequest(msg)) return;
    const reply = (r: Response): void => {
      // The primary may be gone (shutdown); nothing useful to do then.
      if (process.connected) process.send!(r, undefined, undefined, () => {});
    };
    workerFamilies().then(
      (families) => reply({ type: RESPONSE, id: msg.id, families }),
      (e: unknown) => reply({ type: RESPONSE, id: msg.id, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}

// ---- primary side ----

interface Pending {
  waiting: Set<number>;
  responses: WorkerFamilies[];
  resolve(r: WorkerFamilies[]): void;
  reject(e: Error): void;
}

const pending = new Map<number, Pending>();
let nextId = 1;
let primaryListening = false;

function listenAsPrimary(): void {
  if (primaryListening) return;
  primaryListening = true;
  cluster.on('message', (worker: Worker, msg: unknown) => {
    const r = msg as Response;
    if (typeof r !== 'object' || r === null || r.type !== RESPONSE) return;
    const req = pending.get(r.id);
    if (!req || !req.waiting.delete(worker.id)) return;
    if (r.error !== undefined) {
      req.reject(new Error(`worker ${worker.id}: ${r.error}`));
      return;
    }
    req.responses.push({ workerId: worker.id, families: (r.families ?? []).map(fromWire) });
    if (req.waiting.size === 0) req.resolve(req.responses);
  });
  // A worker that dies mid-request will never answer; fail fast instead of waiting for the timeout.
  cluster.on('exit', (worker: Worker) => {
    for (const req of pending.values()) {
      if (req.waiting.has(worker.id)) req.reject(new Error(`worker ${worker.id} exited before answering`));
    }
  });
}

/** Asks every connected worker for its families. */
function requestWorkers(timeoutMs: number): Promise<WorkerFamilies[]> {
  listenAsPrimary();
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
  if (workers.length === 0) return Promise.resolve([]);
  const id = nextId++;
  return new Promise<WorkerFamilies[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for metrics from worker(s) ${[...req.waiting].join(', ')}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      pending.delete(id);
    };
    const req: Pending = {
      waiting: new Set(workers.map((w) => w.id)),
      responses: [],
      resolve: (r) => {
        finish();
        // Worker order, not arrival order, so `first` and the output order are stable.
        resolve(r.sort((a, b) => a.workerId - b.workerId));
      },
      reject: (e) => {
        finish();
        reject(e);
      },
    };
    pending.set(id, req);
    const msg: Request = { type: REQUEST, id };
    for (const w of workers) {
      w.send(msg, undefined, (err: Error | null) => {
        if (err) req.reject(new Error(`could not ask worker ${w.id} for metrics: ${err.message}`));
      });
    }
  });
}

// ---- aggregation ----

/** A key equal for equal label sets whatever the property order; a joined array is a flat string, cheap to hash. */
function labelKey(labels: LabelValues): string {
  const keys = Object.keys(labels);
  if (keys.length > 1) keys.sort();
  const parts = new Array<string>(keys.length * 2);
  for (let i = 0; i < keys.length; i++) {
    parts[2 * i] = keys[i]!;
    parts[2 * i + 1] = labels[keys[i]!]!;
  }
  return parts.join('\u0000');
}

type NumericMode = Exclude<Aggregator, 'omit' | 'first'>;

/** Combines one number across the points of a group; a point without it counts as NaN. */
function reduce(mode: NumericMode, points: readonly MetricPoint[], get: (p: MetricPoint) => number | undefined): number {
  let acc = mode === 'min' ? Infinity : mode === 'max' ? -Infinity : 0;
  for (let i = 0; i < points.length; i++) {
    const v = get(points[i]!) ?? NaN;
    if (mode === 'min') acc = Math.min(acc, v);
    else if (mode === 'max') acc = Math.max(acc, v);
    else acc += v;
  }
  return mode === 'average' ? acc / points.length : acc;
}

function defaultAggregation(type: MetricType): Aggregator {
  // Info and stateset series describe the program, not a quantity: every worker says the same.
  return type === 'info' || type === 'stateset' ? 'first' : 'sum';
}

/** Number of finite bounds: histograms written with and without the final +Inf compare equal. */
function finiteLength(b: readonly number[]): number {
  return b.length > 0 && b[b.length - 1] === Infinity ? b.length - 1 : b.length;
}

/** Merges the points that share one label set, one per worker. */
function combinePoints(family: string, type: MetricType, points: MetricPoint[], mode: Exclude<Aggregator, 'omit'>): MetricPoint {
  const first = points[0]!;
  if (mode === 'first') {
    const { timestampMs: _t, exemplar: _e, bucketExemplars: _b, ...rest } = first;
    return rest;
  }
  const out: MetricPoint = { labels: first.labels };
  if (first.value !== undefined) out.value = reduce(mode, points, (p) => p.value);
  if (first.bucketBounds) {
    const bounds = first.bucketBounds;
    const n = finiteLength(bounds);
    for (const p of points) {
      const b = p.bucketBounds ?? [];
      let same = finiteLength(b) === n;
      for (let i = 0; same && i < n; i++) same = b[i] === bounds[i];
      if (!same) throw new Error(`cannot aggregate histogram "${family}": workers use different buckets`);
    }
    // Written with an explicit +Inf bucket whether or not the workers had one; without it, the +Inf count is the count.
    const counts = new Array<number>(n + 1);
    for (let i = 0; i < n; i++) counts[i] = reduce(mode, points, (p) => p.bucketCounts?.[i]);
    counts[n] = reduce(mode, points, (p) => (finiteLength(p.bucketBounds!) < p.bucketBounds!.length ? p.bucketCounts?.[n] : p.count));
    out.bucketBounds = n < bounds.length ? bounds : [...bounds, Infinity];
    out.bucketCounts = counts;
  }
  if (first.quantiles) {
    out.quantiles = first.quantiles;
    // Quantiles of different processes cannot be merged exactly; the mean is the estimate for `sum`.
    const qMode = mode === 'sum' ? 'average' : mode;
    const values = new Array<number>(first.quantiles.length);
    for (let i = 0; i < values.length; i++) values[i] = reduce(qMode, points, (p) => p.quantileValues?.[i]);
    out.quantileValues = values;
  }
  if (first.sum !== undefined) out.sum = reduce(mode, points, (p) => p.sum);
  if (first.count !== undefined) out.count = reduce(mode, points, (p) => p.count);
  if (type !== 'gauge' && points.every((p) => p.createdMs !== undefined)) out.createdMs = reduce('min', points, (p) => p.createdMs);
  return out;
}

/** Merges the families reported by several workers into one set of families. */
export function aggregateFamilies(perWorker: WorkerFamilies[], options: Pick<AggregatorRegistryOptions, 'aggregators' | 'workerLabel'> = {}): MetricFamily[] {
  const workerLabel = options.workerLabel ?? 'worker';
  const byName = new Map<string, { fam: HintedFamily; workerId: number }[]>();
  for (const { workerId, families } of perWorker) {
    for (const fam of families) {
      let list = byName.get(fam.name);
      if (!list) byName.set(fam.name, (list = []));
      list.push({ fam, workerId });
    }
  }
  const out: MetricFamily[] = [];
  for (const [name, list] of byName) {
    const head = list[0]!.fam;
    const other = list.find((x) => x.fam.type !== head.type);
    if (other) throw new Error(`metric "${name}" is a ${head.type} in worker ${list[0]!.workerId} but a ${other.fam.type} in worker ${other.workerId}`);
    let mode: ClusterAggregation = options.aggregators?.[name] ?? head.aggregator ?? defaultAggregation(head.type);
    // Metrics default to `sum`, which would turn info's constant 1 and stateset flags into worker counts.
    if ((head.type === 'info' || head.type === 'stateset') && (mode === 'sum' || mode === 'average')) mode = 'first';
    if (mode === 'omit') continue;
    const result: MetricFamily = { name, help: head.help, type: head.type, metrics: [] };
    if (head.unit !== undefined) result.unit = head.unit;
    if (mode === 'worker') {
      for (const { fam, workerId } of list) {
        for (const m of fam.metrics) {
          const { timestampMs: _t, exemplar: _e, bucketExemplars: _b, ...rest } = m;
          result.metrics.push({ ...rest, labels: { ...m.labels, [workerLabel]: String(workerId) } });
        }
      }
    } else {
      const groups = new Map<string, MetricPoint[]>();
      for (const { fam } of list) {
        for (const m of fam.metrics) {
          const k = labelKey(m.labels);
          const g = groups.get(k);
          if (g) g.push(m);
          else groups.set(k, [m]);
        }
      }
      for (const points of groups.values()) result.metrics.push(combinePoints(name, head.type, points, mode));
    }
    out.push(result);
  }
  return out;
}

/**
 * A registry for the cluster primary whose metrics are the aggregate of all workers' metrics.
 * Serve it like any registry, e.g. `http.createServer(metricsHandler(new AggregatorRegistry()))`.
 */
export class AggregatorRegistry extends Registry {
  constructor(private readonly options: AggregatorRegistryOptions = {}) {
    super(options.contentType);
    const timeoutMs = options.timeoutMs ?? 5000;
    this.registerCollector({
      collect: async () => aggregateFamilies(await requestWorkers(timeoutMs), this.options),
    });
  }

  /** The aggregated exposition (prom-client's name for `metrics()`). */
  clusterMetrics(contentType?: string): Promise<string> {
    return this.metrics(contentType);
  }

  /** In a worker: the registries reported to the primary (default: the global registry). */
  static setRegistries(registries: Registry | Registry[]): void {
    workerRegistries = Array.isArray(registries) ? [...registries] : [registries];
  }
}
