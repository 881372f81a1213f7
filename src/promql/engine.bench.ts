/**
 * Query latency of the engine over the in-memory head, next to Prometheus answering the same
 * queries over the same samples (loaded with `promtool tsdb create-blocks-from openmetrics`).
 * Pyrometer is timed in process plus JSON encoding, on the sync path and on the API's async
 * path (range queries in slices with event-loop yields); Prometheus over loopback HTTP. The peer
 * installed here is Prometheus 2, so queries avoid the window-edge cases where 2 and 3 differ.
 * Run: npm run build && node dist/promql/engine.bench.js
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { findBinary, freePort, startProcess, tempDir, waitForHttp, type PeerProcess } from '../testing/peers.js';
import { Head } from '../tsdb/head/head.js';
import { Engine } from './engine.js';
import { toApiData } from './value.js';

const JOBS = 5;
const INSTANCES = 40;
const METHODS = 10;
const STEP = 15000;
const POINTS = 240; // one hour
// Block-aligned start in the recent past so Prometheus's retention keeps the data.
const START = Math.floor((Date.now() - 4 * 3600_000) / 7200_000) * 7200_000;
const END = START + (POINTS - 1) * STEP;

const QUERIES: { q: string; range: boolean }[] = [
  { q: 'sum by (job) (rate(http_requests_total[5m]))', range: true },
  { q: 'topk(5, rate(http_requests_total[5m]))', range: true },
  // Ranges that do not end on a sample time read the same samples under Prometheus 2's
  // closed windows as under Prometheus 3's left-open ones.
  { q: 'avg_over_time(temperature[10m5s])', range: true },
  { q: 'http_requests_total / on(job, instance) group_left sum by (job, instance) (http_requests_total)', range: false },
  { q: 'quantile(0.9, temperature)', range: true },
];

function value(series: number, i: number, counter: boolean): number {
  // Distinct slopes, so topk has no ties to break differently.
  return counter ? i * ((series % 7) + 1 + series / 10000) : 20 + 10 * Math.sin(series + i / 10);
}

function buildData(): { head: Head; openMetrics: string; samples: number } {
  const head = new Head();
  const app = head.appender();
  const lines: string[] = ['# TYPE http_requests_total counter', '# TYPE temperature gauge'];
  let n = 0;
  let s = 0;
  for (let j = 0; j < JOBS; j++) {
    for (let inst = 0; inst < INSTANCES; inst++) {
      for (let m = 0; m < METHODS; m++, s++) {
        for (const counter of [true, false]) {
          if (!counter && m > 0) continue;
          const name = counter ? 'http_requests_total' : 'temperature';
          const kv = counter ? ['job', `j${j}`, 'instance', `i${inst}`, 'method', `m${m}`] : ['job', `j${j}`, 'instance', `i${inst}`];
          const labels = Labels.fromStrings('__name__', name, ...kv);
          const text = `${counter ? 'http_requests' : name}{${labels.toString().slice(1, -1).replace(/, /g, ',').replace(/__name__="[^"]*",?/, '')}}`;
          let ref = 0;
          for (let i = 0; i < POINTS; i++) {
            const v = value(s, i, counter);
            ref = app.append(ref, ref === 0 ? labels : Labels.EMPTY, START + i * STEP, v);
            lines.push(`${counter ? 'http_requests_total' : text.split('{')[0]}${text.slice(text.indexOf('{'))} ${v} ${(START + i * STEP) / 1000}`);
            n++;
          }
        }
      }
    }
  }
  void app.commit();
  lines.push('# EOF');
  return { head, openMetrics: lines.join('\n') + '\n', samples: n };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

interface ApiSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

/** Same series and values (relative 1e-9), ignoring series order. */
function sameResult(a: { result: ApiSeries[] }, b: unknown): boolean {
  const key = (s: ApiSeries): string => JSON.stringify(Object.entries(s.metric).sort());
  const other = new Map((b as { result: ApiSeries[] }).result.map((s) => [key(s), s]));
  if (other.size !== a.result.length) return false;
  for (const s of a.result) {
    const o = other.get(key(s));
    if (!o) return false;
    const xs = s.values ?? [s.value!];
    const ys = o.values ?? [o.value!];
    if (xs.length !== ys.length) return false;
    for (let i = 0; i < xs.length; i++) {
      const x = Number(xs[i][1]);
      const y = Number(ys[i][1]);
      if (xs[i][0] !== ys[i][0] || Math.abs(x - y) > 1e-9 * Math.max(Math.abs(x), Math.abs(y))) return false;
    }
  }
  return true;
}

async function main(): Promise<void> {
  const { head, openMetrics, samples } = buildData();
  console.log(`${samples} samples, ${JOBS * INSTANCES * (METHODS + 1)} series, 1h at 15s`);
  const engine = new Engine();
  const runs = 7;
  const ours: number[] = [];
  const oursAsync: number[] = [];
  const ourJson: string[] = [];
  for (const { q, range } of QUERIES) {
    const times: number[] = [];
    const asyncTimes: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const res = range ? engine.rangeQuery(head, q, START + 600_000, END, STEP) : engine.instantQuery(head, q, END);
      ourJson[ours.length] = JSON.stringify(toApiData(res.value));
      times.push(performance.now() - t0);
      // The API's path: sliced range evaluation with event-loop yields between slices.
      const t1 = performance.now();
      const resAsync = range ? await engine.rangeQueryAsync(head, q, START + 600_000, END, STEP) : await engine.instantQueryAsync(head, q, END);
      JSON.stringify(toApiData(resAsync.value));
      asyncTimes.push(performance.now() - t1);
    }
    ours.push(median(times));
    oursAsync.push(median(asyncTimes));
  }

  const promBin = findBinary('prometheus');
  const promtool = findBinary('promtool');
  const theirs: (number | undefined)[] = QUERIES.map(() => undefined);
  const agree: (boolean | undefined)[] = QUERIES.map(() => undefined);
  if (promBin && promtool) {
    const dir = tempDir('pyrometer-bench-');
    let proc: PeerProcess | undefined;
    try {
      const input = join(dir.path, 'data.om');
      writeFileSync(input, openMetrics);
      execFileSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', input, join(dir.path, 'tsdb')], { stdio: 'ignore' });
      writeFileSync(join(dir.path, 'prometheus.yml'), 'global: {}\n');
      const port = await freePort();
      proc = startProcess(promBin, [
        `--config.file=${join(dir.path, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir.path, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=10y',
      ]);
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/-/ready`, 30000, proc);
      for (let k = 0; k < QUERIES.length; k++) {
        const { q, range } = QUERIES[k];
        const params = range
          ? `query_range?query=${encodeURIComponent(q)}&start=${(START + 600_000) / 1000}&end=${END / 1000}&step=15`
          : `query?query=${encodeURIComponent(q)}&time=${END / 1000}`;
        const times: number[] = [];
        for (let r = 0; r < runs; r++) {
          const t0 = performance.now();
          const res = await fetch(`${base}/api/v1/${params}`);
          const body = (await res.json()) as { status: string; data: unknown };
          if (body.status !== 'success') throw new Error(`prometheus: ${JSON.stringify(body)}`);
          times.push(performance.now() - t0);
          agree[k] = sameResult(JSON.parse(ourJson[k]), body.data);
        }
        theirs[k] = median(times);
      }
    } finally {
      await proc?.stop();
      dir.remove();
    }
  }
  for (let k = 0; k < QUERIES.length; k++) {
    const p = theirs[k];
    const same = agree[k] === undefined ? '' : agree[k] ? '  (same result)' : '  (RESULTS DIFFER)';
    console.log(`${QUERIES[k].range ? 'range  ' : 'instant'} ${QUERIES[k].q.padEnd(100)} pyrometer ${ours[k].toFixed(1).padStart(7)} ms (async ${oursAsync[k].toFixed(1).padStart(7)} ms)   prometheus ${p === undefined ? '   n/a' : p.toFixed(1).padStart(7) + ' ms'}${same}`);
  }
}

await main();
