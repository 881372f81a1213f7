/**
 * Deterministic synthetic data for the PromQL differential test, as an OpenMetrics text file
 * that the real `promtool tsdb create-blocks-from openmetrics` turns into blocks.
 *
 * Three hours at a 15 s resolution from 2026-01-01T00:00:00Z. Every sample timestamp carries a
 * millisecond fraction in [100, 260) ms, while every query time used by the test has a fraction
 * of .300 or .700 s and every range, offset and subquery step is a whole number of seconds: no
 * window boundary ever lands on a sample, so the 2.x (closed) and 3.x (left-open) range
 * boundaries select the same samples.
 */

/** 2026-01-01T00:00:00Z in ms. */
export const DATA_START_MS = Date.UTC(2026, 0, 1);
export const STEP_MS = 15_000;
export const POINTS = 721; // 3 h inclusive
export const DATA_END_MS = DATA_START_MS + (POINTS - 1) * STEP_MS;
/** The regular sample offset inside each 15 s slot. */
const SAMPLE_OFFSET_MS = 123;

/** mulberry32: a small seeded PRNG, so every run writes the same file. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Labels = Record<string, string>;
interface Series {
  name: string;
  labels: Labels;
  /** [timestamp ms, value] in increasing time order. */
  points: Array<[number, number]>;
}
interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  help: string;
  series: Series[];
}

function fmtValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function fmtTs(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
}

function fmtLabels(l: Labels): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

const ts = (i: number): number => DATA_START_MS + i * STEP_MS + SAMPLE_OFFSET_MS;

export const INSTANCES = ['10.0.0.1:8080', '10.0.0.2:8080'];
export const JOBS = ['api', 'web'];

function families(): Family[] {
  const rnd = prng(20260101);
  const out: Family[] = [];

  // Counters with several label dimensions, two of them reset.
  const http: Family = { name: 'http_requests', type: 'counter', help: 'Requests.', series: [] };
  let idx = 0;
  for (const job of JOBS)
    for (const instance of INSTANCES)
      for (const method of ['GET', 'POST'])
        for (const code of ['200', '404', '500']) {
          const base = (code === '200' ? 20 : code === '404' ? 3 : 1) * (method === 'GET' ? 2 : 1) * (job === 'api' ? 1.5 : 1);
          const resetAt = idx === 3 ? 200 : idx === 10 ? 500 : idx === 17 ? 300 : -1;
          let v = Math.floor(rnd() * 1000);
          const points: Array<[number, number]> = [];
          for (let i = 0; i < POINTS; i++) {
            if (i === resetAt) v = 0;
            v += Math.floor(base * (1 + 0.5 * Math.sin(i / 40 + idx)) * (0.5 + rnd()));
            points.push([ts(i), v]);
          }
          http.series.push({ name: 'http_requests_total', labels: { job, instance, method, code }, points });
          idx++;
        }
  out.push(http);

  // A float counter.
  const cpu: Family = { name: 'cpu_seconds', type: 'counter', help: 'CPU.', series: [] };
  for (const instance of INSTANCES)
    for (const mode of ['user', 'system', 'idle']) {
      let v = rnd() * 5000;
      const points: Array<[number, number]> = [];
      for (let i = 0; i < POINTS; i++) {
        v += (mode === 'idle' ? 10 : mode === 'user' ? 3.7 : 1.1) * rnd();
        points.push([ts(i), v]);
      }
      cpu.series.push({ name: 'cpu_seconds_total', labels: { instance, mode }, points });
    }
  out.push(cpu);

  // A counter scraped at irregular times (rate extrapolation differs from the regular case).
  const jit: Family = { name: 'jittery_requests', type: 'counter', help: 'Irregular.', series: [] };
  for (const instance of INSTANCES) {
    let v = 0;
    const points: Array<[number, number]> = [];
    for (let i = 0; i < POINTS; i++) {
      if (rnd() < 0.1) continue; // missed scrapes
      v += Math.floor(rnd() * 50);
      const t = DATA_START_MS + i * STEP_MS + Math.floor(rnd() * 6) * 1000 + 100 + Math.floor(rnd() * 150);
      points.push([t, v]);
    }
    jit.series.push({ name: 'jittery_requests_total', labels: { instance }, points });
  }
  out.push(jit);

  // Sine-wave gauges.
  const temp: Family = { name: 'node_temperature_celsius', type: 'gauge', help: 'Temperature.', series: [] };
  let k = 0;
  for (const instance of INSTANCES)
    for (const sensor of ['cpu', 'board']) {
      const points: Array<[number, number]> = [];
      const amp = 5 + k * 2;
      for (let i = 0; i < POINTS; i++) points.push([ts(i), 40 + k * 3 + amp * Math.sin((2 * Math.PI * i) / (120 + k * 30)) + rnd() * 0.5]);
      temp.series.push({ name: 'node_temperature_celsius', labels: { instance, sensor }, points });
      k++;
    }
  out.push(temp);

  // Random-walk integer gauges.
  const queue: Family = { name: 'queue_length', type: 'gauge', help: 'Queue.', series: [] };
  for (const job of JOBS)
    for (const instance of INSTANCES) {
      let v = Math.floor(rnd() * 50);
      const points: Array<[number, number]> = [];
      for (let i = 0; i < POINTS; i++) {
        v = Math.max(0, v + Math.floor(rnd() * 7) - 3);
        points.push([ts(i), v]);
      }
      queue.series.push({ name: 'queue_length', labels: { job, instance }, points });
    }
  out.push(queue);

  // Large values.
  const mem: Family = { name: 'memory_usage_bytes', type: 'gauge', help: 'Memory.', series: [] };
  for (const instance of [...INSTANCES, '10.0.0.3:8080']) {
    let v = 1e9 + rnd() * 1e9;
    const points: Array<[number, number]> = [];
    for (let i = 0; i < POINTS; i++) {
      v += (rnd() - 0.48) * 1e7;
      points.push([ts(i), Math.round(v)]);
    }
    mem.series.push({ name: 'memory_usage_bytes', labels: { instance }, points });
  }
  out.push(mem);

  // Values in [-1, 1] for trigonometry.
  const ratio: Family = { name: 'load_ratio', type: 'gauge', help: 'Ratio.', series: [] };
  for (const instance of INSTANCES) {
    const points: Array<[number, number]> = [];
    for (let i = 0; i < POINTS; i++) points.push([ts(i), Math.sin(i / 17 + instance.length) * 0.98]);
    ratio.series.push({ name: 'load_ratio', labels: { instance }, points });
  }
  out.push(ratio);

  // Timestamps as values, spread over several days, months and a leap year, for the date functions.
  const tsv: Family = { name: 'event_timestamp_seconds', type: 'gauge', help: 'Event times.', series: [] };
  for (const [kind, start, stepS] of [
    ['spread', Date.UTC(2024, 0, 30, 22, 0) / 1000, 3.7 * 86400 + 1234],
    ['hourly', Date.UTC(2025, 11, 31, 0, 0) / 1000, 1234.5],
  ] as Array<[string, number, number]>) {
    const points: Array<[number, number]> = [];
    for (let i = 0; i < POINTS; i++) points.push([ts(i), start + i * stepS]);
    tsv.series.push({ name: 'event_timestamp_seconds', labels: { kind }, points });
  }
  out.push(tsv);

  // Classic histograms, one with a reset.
  const hist: Family = { name: 'request_duration_seconds', type: 'histogram', help: 'Latency.', series: [] };
  const les = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
  let h = 0;
  for (const job of JOBS)
    for (const instance of INSTANCES) {
      const counts = new Array<number>(les.length + 1).fill(0);
      let sum = 0;
      const bucketPoints = counts.map(() => [] as Array<[number, number]>);
      const sumPoints: Array<[number, number]> = [];
      const countPoints: Array<[number, number]> = [];
      const scale = job === 'api' ? 0.08 : 0.3;
      for (let i = 0; i < POINTS; i++) {
        if (h === 2 && i === 400) {
          counts.fill(0);
          sum = 0;
        }
        const n = 5 + Math.floor(rnd() * 20);
        for (let o = 0; o < n; o++) {
          // Roughly log-normal: exp of a sum of uniforms.
          const x = scale * Math.exp((rnd() + rnd() + rnd() - 1.5) * 1.6);
          sum += x;
          let b = les.findIndex((le) => x <= le);
          if (b < 0) b = les.length;
          counts[b]++;
        }
        let cum = 0;
        for (let b = 0; b <= les.length; b++) {
          cum += counts[b];
          bucketPoints[b].push([ts(i), cum]);
        }
        sumPoints.push([ts(i), sum]);
        countPoints.push([ts(i), cum]);
      }
      for (let b = 0; b <= les.length; b++) {
        const le = b < les.length ? (Number.isInteger(les[b]) ? les[b].toFixed(1) : String(les[b])) : '+Inf';
        hist.series.push({ name: 'request_duration_seconds_bucket', labels: { job, instance, le }, points: bucketPoints[b] });
      }
      hist.series.push({ name: 'request_duration_seconds_sum', labels: { job, instance }, points: sumPoints });
      hist.series.push({ name: 'request_duration_seconds_count', labels: { job, instance }, points: countPoints });
      h++;
    }
  out.push(hist);

  // A summary.
  const summ: Family = { name: 'rpc_duration_seconds', type: 'summary', help: 'RPC latency.', series: [] };
  for (const service of ['auth', 'billing']) {
    const qp: Record<string, Array<[number, number]>> = { '0.5': [], '0.9': [], '0.99': [] };
    const sumP: Array<[number, number]> = [];
    const cntP: Array<[number, number]> = [];
    let sum = 0;
    let cnt = 0;
    for (let i = 0; i < POINTS; i++) {
      const med = 0.02 + 0.01 * Math.sin(i / 30) + rnd() * 0.005;
      qp['0.5'].push([ts(i), med]);
      qp['0.9'].push([ts(i), med * (2 + rnd())]);
      qp['0.99'].push([ts(i), med * (5 + 3 * rnd())]);
      const n = 10 + Math.floor(rnd() * 10);
      cnt += n;
      sum += n * med * 1.3;
      sumP.push([ts(i), sum]);
      cntP.push([ts(i), cnt]);
    }
    for (const q of ['0.5', '0.9', '0.99']) summ.series.push({ name: 'rpc_duration_seconds', labels: { service, quantile: q }, points: qp[q] });
    summ.series.push({ name: 'rpc_duration_seconds_sum', labels: { service }, points: sumP });
    summ.series.push({ name: 'rpc_duration_seconds_count', labels: { service }, points: cntP });
  }
  out.push(summ);

  // Gaps: 10-minute holes (longer than the 5m lookback) and 3-minute holes (shorter).
  const gappy: Family = { name: 'gappy_metric', type: 'gauge', help: 'Gaps.', series: [] };
  for (const [instance, period, hole] of [
    ['long-gaps', 120, 40],
    ['short-gaps', 60, 12],
  ] as Array<[string, number, number]>) {
    const points: Array<[number, number]> = [];
    for (let i = 0; i < POINTS; i++) if (i % period < period - hole) points.push([ts(i), Math.round(rnd() * 1000) / 10]);
    gappy.series.push({ name: 'gappy_metric', labels: { instance }, points });
  }
  out.push(gappy);

  // Sparse NaN and infinities.
  const special: Family = { name: 'special_values', type: 'gauge', help: 'NaN and Inf.', series: [] };
  for (const kind of ['nan', 'inf', 'neginf', 'mixed']) {
    const points: Array<[number, number]> = [];
    for (let i = 0; i < POINTS; i++) {
      let v = Math.round(rnd() * 100);
      if (kind === 'nan' && i % 20 === 7) v = NaN;
      if (kind === 'inf' && i % 50 === 11) v = Infinity;
      if (kind === 'neginf' && i % 45 === 3) v = -Infinity;
      if (kind === 'mixed' && i % 30 === 5) v = [NaN, Infinity, -Infinity][(i / 30) % 3 | 0];
      points.push([ts(i), v]);
    }
    special.series.push({ name: 'special_values', labels: { kind }, points });
  }
  out.push(special);

  // Series that start late or end early.
  const short: Family = { name: 'short_lived', type: 'gauge', help: 'Churn.', series: [] };
  for (const [instance, from, to] of [
    ['early', 0, 240],
    ['middle', 240, 360],
    ['late', 480, POINTS],
  ] as Array<[string, number, number]>) {
    const points: Array<[number, number]> = [];
    for (let i = from; i < to; i++) points.push([ts(i), i % 17]);
    short.series.push({ name: 'short_lived', labels: { instance, job: 'churn' }, points });
  }
  out.push(short);

  // Info-style metric for joins, and up.
  const info: Family = { name: 'instance_info', type: 'gauge', help: 'Info.', series: [] };
  for (const [n, instance] of INSTANCES.entries()) {
    const points: Array<[number, number]> = [];
    for (let i = 0; i < POINTS; i++) points.push([ts(i), 1]);
    info.series.push({ name: 'instance_info', labels: { instance, region: n === 0 ? 'eu-west' : 'us-east', version: `1.${n + 2}.0` }, points });
  }
  out.push(info);
  const up: Family = { name: 'up', type: 'gauge', help: 'Up.', series: [] };
  for (const job of JOBS)
    for (const instance of INSTANCES) {
      const points: Array<[number, number]> = [];
      for (let i = 0; i < POINTS; i++) points.push([ts(i), rnd() < 0.05 ? 0 : 1]);
      up.series.push({ name: 'up', labels: { job, instance }, points });
    }
  out.push(up);

  // A single series without labels (besides the name).
  const thr: Family = { name: 'threshold', type: 'gauge', help: 'A scalar-like series.', series: [] };
  {
    const points: Array<[number, number]> = [];
    for (let i = 0; i < POINTS; i++) points.push([ts(i), 25 + Math.floor(i / 100)]);
    thr.series.push({ name: 'threshold', labels: {}, points });
  }
  out.push(thr);
  return out;
}

/** The whole OpenMetrics file, ending in `# EOF`. */
export function generateOpenMetrics(): string {
  const lines: string[] = [];
  for (const f of families()) {
    lines.push(`# HELP ${f.name} ${f.help}`);
    lines.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.series) {
      const head = `${s.name}${fmtLabels(s.labels)} `;
      for (const [t, v] of s.points) lines.push(`${head}${fmtValue(v)} ${fmtTs(t)}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}
