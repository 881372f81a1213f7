/**
 * Parse throughput: `node dist/textparse/parse.bench.js`. Measures the scrape hot path
 * (next + series + value + timestamp, as with a warm scrape cache) and the cache-miss path
 * (plus labels()) on a generated node-exporter-like payload in both formats and on the
 * upstream 237-family text payload.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../testing/paths.js';
import { OpenMetricsParser } from './openmetricsparse.js';
import { PromParser } from './promparse.js';
import { Entry, type Parser } from './types.js';

/** About `target` samples of counters, gauges and histograms with node-exporter-like labels. */
function generate(target: number, om: boolean): Buffer {
  const lines: string[] = [];
  let samples = 0;
  let fam = 0;
  const buckets = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
  while (samples < target) {
    const kind = fam % 3;
    const name = `node_subsystem${fam}_${kind === 0 ? 'events' : kind === 1 ? 'temperature_celsius' : 'latency_seconds'}`;
    const type = kind === 0 ? 'counter' : kind === 1 ? 'gauge' : 'histogram';
    lines.push(`# HELP ${name} Synthetic ${type} number ${fam} for the benchmark.`, `# TYPE ${name} ${type}`);
    for (let d = 0; d < 40 && samples < target; d++) {
      const labels = `device="sd${String.fromCharCode(97 + (d % 26))}${d}",instance="host-${fam % 7}.example.org:9100",job="node"`;
      if (kind === 0) {
        lines.push(`${name}${om ? '_total' : ''}{${labels}} ${fam * 1000 + d * 17.25}`);
        samples++;
        if (om) {
          lines.push(`${name}_created{${labels}} 1700000000.${d}`);
          samples++;
        }
      } else if (kind === 1) {
        lines.push(`${name}{${labels}} ${(d * 0.731 + fam).toFixed(3)}`);
        samples++;
      } else {
        let acc = 0;
        for (const le of buckets) {
          acc += d + 1;
          lines.push(`${name}_bucket{${labels},le="${le}"} ${acc}`);
        }
        lines.push(`${name}_sum{${labels}} ${acc * 0.0173}`, `${name}_count{${labels}} ${acc}`);
        samples += buckets.length + 2;
      }
    }
    fam++;
  }
  if (om) lines.push('# EOF');
  return Buffer.from(lines.join('\n') + '\n');
}

function hotPath(p: Parser): number {
  let n = 0;
  let acc = 0;
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    if (e !== Entry.Series) continue;
    acc += p.series().length + p.value() + (p.timestamp() ?? 0);
    n++;
  }
  if (acc === -1) throw new Error('unreachable');
  return n;
}

function createdPath(p: Parser): number {
  let n = 0;
  let acc = 0;
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    if (e !== Entry.Series) continue;
    acc += p.series().length + p.value() + (p.createdTimestamp() ?? 0);
    n++;
  }
  if (acc === -1) throw new Error('unreachable');
  return n;
}

function missPath(p: Parser): number {
  let n = 0;
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    if (e !== Entry.Series) continue;
    p.series();
    p.labels();
    n++;
  }
  return n;
}

function measure(what: string, body: Buffer, once: () => number): void {
  for (let i = 0; i < 5; i++) once();
  const times: number[] = [];
  let samples = 0;
  for (let i = 0; i < 15; i++) {
    const t0 = process.hrtime.bigint();
    samples = once();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const ms = times[times.length >> 1];
  const sps = (samples / ms) * 1000;
  const mbs = body.length / 1e6 / (ms / 1000);
  console.log(
    `${what.padEnd(48)} ${String(samples).padStart(7)} lines ${(body.length / 1e6).toFixed(2).padStart(6)} MB  ${ms.toFixed(2).padStart(8)} ms  ${(sps / 1e6).toFixed(2).padStart(6)} M/s  ${mbs.toFixed(0).padStart(5)} MB/s`,
  );
}

const text = generate(100_000, false);
const om = generate(100_000, true);
const alltypes = readFileSync(join(conformanceDir, 'textparse', 'alltypes.237mfs.prom.txt'));
/** Context for noisy machines: the cost of merely touching every byte once. */
function newlineScan(b: Buffer): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) n++;
  return n;
}

console.log(`node ${process.version}, median of 15 runs (M/s: samples, or lines for the baseline)`);
measure('baseline: count newlines, no parsing', text, () => newlineScan(text));
measure('text 0.0.4, hot path (series+value)', text, () => hotPath(new PromParser(text)));
measure('OpenMetrics, hot path (series+value)', om, () => hotPath(new OpenMetricsParser(om)));
measure('alltypes.237mfs.prom.txt, hot path', alltypes, () => hotPath(new PromParser(alltypes)));
measure('text 0.0.4, cache miss (+labels)', text, () => missPath(new PromParser(text)));
measure('OpenMetrics, cache miss (+labels)', om, () => missPath(new OpenMetricsParser(om)));
measure('OpenMetrics, _created skipped + createdTimestamp', om, () => createdPath(new OpenMetricsParser(om, { skipCreatedSeries: true })));
measure('OpenMetrics strict validation, hot path', om, () => hotPath(new OpenMetricsParser(om, { strict: true })));
