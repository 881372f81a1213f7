/**
 * Block benchmark: bytes per sample on disk against promtool's blocks built from the same
 * OpenMetrics input, plus write and read throughput.
 *
 *   npm run build && node dist/tsdb/block/block.bench.js [series=1000]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { Matcher, MatchType } from '../../model/matcher.js';
import { ValueType, type SampleIterator } from '../../storage/interface.js';
import { findBinary, tempDir } from '../../testing/peers.js';
import { Block, diskSize } from './block.js';
import { BlockWriter } from './writer.js';

const INTERVAL = 15_000;

/** CPU milliseconds of this process: wall time is meaningless on a shared, loaded machine. */
function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}
const BLOCK = 2 * 3600_000;
const START = 1_700_000_000_000 - (1_700_000_000_000 % BLOCK);

interface Data {
  labels: Labels[];
  ts: Float64Array[];
  vs: Float64Array[];
  samples: number;
}

/** Half counters rising by varying amounts, half gauges with noise; scrape jitter of a few ms. */
function generate(series: number, hours: number): Data {
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const n = (hours * 3600_000) / INTERVAL;
  const d: Data = { labels: [], ts: [], vs: [], samples: 0 };
  for (let s = 0; s < series; s++) {
    const counter = s % 2 === 0;
    d.labels.push(
      Labels.fromStrings('__name__', counter ? 'http_requests_total' : 'node_memory_free_ratio', 'instance', `host-${s >> 4}:9100`, 'job', 'node', 'series', String(s)),
    );
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    let v = counter ? Math.floor(rnd() * 1e6) : 0.5;
    const rate = 1 + rnd() * 100;
    for (let i = 0; i < n; i++) {
      ts[i] = START + i * INTERVAL + Math.floor(rnd() * 3);
      if (counter) v += Math.floor(rate * (0.5 + rnd()));
      else v = Math.round((0.5 + 0.2 * Math.sin(i / 50) + 0.05 * rnd()) * 1e4) / 1e4;
      vs[i] = v;
    }
    d.ts.push(ts);
    d.vs.push(vs);
    d.samples += n;
  }
  return d;
}

async function writeOpenMetrics(d: Data, path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string): Promise<void> => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r())));
  for (let s = 0; s < d.labels.length; s++) {
    const l = d.labels[s];
    const name = l.metricName();
    const lbls: string[] = [];
    l.forEach((k, v) => k !== '__name__' && lbls.push(`${k}="${v}"`));
    const prefix = `${name}{${lbls.join(',')}} `;
    let chunk = '';
    for (let i = 0; i < d.ts[s].length; i++) {
      chunk += `${prefix}${d.vs[s][i]} ${(d.ts[s][i] / 1000).toFixed(3)}\n`;
      if (chunk.length > 1 << 16) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
  }
  await write('# EOF\n');
  await new Promise<void>((r) => out.end(() => r()));
}

/** Writes the data as 2h-aligned blocks, as promtool's backfill cuts them. */
function writeBlocks(d: Data, dir: string): number {
  const t0 = cpuMs();
  const byWindow = new Map<number, BlockWriter>();
  for (let s = 0; s < d.labels.length; s++) {
    const ts = d.ts[s];
    const vs = d.vs[s];
    for (let i = 0; i < ts.length; i++) {
      const w0 = Math.floor(ts[i] / BLOCK) * BLOCK;
      let w = byWindow.get(w0);
      if (!w) byWindow.set(w0, (w = new BlockWriter()));
      w.append(d.labels[s], ts[i], vs[i]);
    }
  }
  for (const w of byWindow.values()) w.flush(dir);
  return cpuMs() - t0;
}

function readAll(dir: string): { ms: number; samples: number } {
  const t0 = cpuMs();
  let samples = 0;
  let it: SampleIterator | undefined;
  for (const name of readdirSync(dir)) {
    const b = Block.open(join(dir, name));
    const set = b.querier(-Infinity, Infinity).select(false, undefined, [Matcher.create(MatchType.Regexp, '__name__', '.+')]);
    while (set.next()) {
      it = set.at().iterator(it);
      while (it.next() === ValueType.Float) samples++;
    }
    b.close();
  }
  return { ms: cpuMs() - t0, samples };
}

function blocksSize(dir: string): { total: number; chunks: number } {
  let total = 0;
  let chunks = 0;
  for (const name of readdirSync(dir)) {
    total += diskSize(join(dir, name));
    chunks += diskSize(join(dir, name, 'chunks'));
  }
  return { total, chunks };
}

/** Runs a command to completion and returns its CPU time in ms (bash's `times` reports its children's). */
function childCpuMs(cmd: string, args: string[]): number {
  const r = spawnSync('bash', ['-c', '"$@" >/dev/null && times', 'bash', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const child = r.stdout.trim().split('\n').pop()!.split(/\s+/);
  const secs = (x: string): number => {
    const m = /^(\d+)m([\d.]+)s$/.exec(x);
    if (!m) throw new Error(`cannot read CPU time from "${r.stdout}"`);
    return Number(m[1]) * 60 + Number(m[2]);
  };
  return (secs(child[0]!) + secs(child[1]!)) * 1000;
}

async function run(series: number, hours: number, promtool: string | undefined): Promise<void> {
  const tmp = tempDir('pyrometer-block-bench-');
  try {
    const d = generate(series, hours);
    const ours = join(tmp.path, 'ours');
    const writeMs = writeBlocks(d, ours);
    const cold = readAll(ours);
    if (cold.samples !== d.samples) throw new Error(`read ${cold.samples} samples, wrote ${d.samples}`);
    // A second pass shows the steady state, once the decoder is compiled.
    const read = readAll(ours);
    const size = blocksSize(ours);
    const perSample = (n: number): string => (n / d.samples).toFixed(3);
    console.log(`\n== ${series} series x ${hours}h at 15s: ${d.samples} samples`);
    console.log(`pyrometer: ${perSample(size.total)} bytes/sample on disk (chunks ${perSample(size.chunks)}), ${readdirSync(ours).length} blocks`);
    console.log(`  CPU time: write ${((d.samples / writeMs) * 1000 / 1e6).toFixed(2)} M samples/s (${writeMs.toFixed(0)} ms), read ${((cold.samples / cold.ms) * 1000 / 1e6).toFixed(2)} M samples/s first pass, ${((read.samples / read.ms) * 1000 / 1e6).toFixed(2)} M samples/s second (${read.ms.toFixed(0)} ms)`);
    if (!promtool) {
      console.log('promtool: not installed, no comparison');
      return;
    }
    const om = join(tmp.path, 'in.om');
    await writeOpenMetrics(d, om);
    const theirs = join(tmp.path, 'promtool');
    const promMs = childCpuMs(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', om, theirs]);
    const ps = blocksSize(theirs);
    console.log(`promtool:  ${perSample(ps.total)} bytes/sample on disk (chunks ${perSample(ps.chunks)}), ${readdirSync(theirs).length} blocks`);
    console.log(`  CPU time: create-blocks-from openmetrics (parse + write) ${((d.samples / promMs) * 1000 / 1e6).toFixed(2)} M samples/s (${promMs.toFixed(0)} ms)`);
    const readTheirs = readAll(theirs);
    const entry = join(import.meta.dirname, '..', '..', 'cli', 'entry.js');
    const oursCli = join(tmp.path, 'ours-cli');
    const ourMs = childCpuMs(process.execPath, [entry, 'tool', 'tsdb', 'create-blocks-from', 'openmetrics', '-q', om, oursCli]);
    const oc = blocksSize(oursCli);
    console.log(`pyrometer tool tsdb create-blocks-from openmetrics: ${perSample(oc.total)} bytes/sample, CPU time ${((d.samples / ourMs) * 1000 / 1e6).toFixed(2)} M samples/s (${ourMs.toFixed(0)} ms)`);
    console.log(`  pyrometer reading promtool's blocks: ${readTheirs.samples} samples, ${((readTheirs.samples / readTheirs.ms) * 1000 / 1e6).toFixed(2)} M samples/s`);
  } finally {
    tmp.remove();
  }
}

const series = Number(process.argv[2] ?? 1000);
const promtool = findBinary('promtool');
await run(series, 2, promtool);
await run(Math.max(1, series >> 1), 24, promtool);
