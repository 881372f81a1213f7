/**
 * Head benchmark: memory per active series, append throughput, select latency.
 *
 *   npm run build && node --expose-gc dist/tsdb/head/head.bench.js [series...]
 *
 * Series look like a scrape: 1000 series per target, 100 metric names, six labels each.
 * Memory is the growth of V8 heap + ArrayBuffers (and RSS) after a full GC, divided by the
 * number of series; it includes the postings index, interned strings and chunk pages.
 * Throughput and latency are given in wall time and in CPU time (user + system; it includes
 * garbage collection on other threads, so it can exceed wall time).
 */
import { Labels } from '../../model/labels.js';
import { Matcher, MatchType } from '../../model/matcher.js';
import { ValueType } from '../../storage/interface.js';
import { Head } from './head.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc');
  process.exit(2);
}

function mem(): { heap: number; rss: number } {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
}

function labelsFor(i: number): Labels {
  const target = Math.floor(i / 1000);
  const j = i % 1000;
  return Labels.fromStrings(
    '__name__', `metric_${j % 100}`,
    'instance', `host-${target}:9100`,
    'job', 'node',
    'idx', String(Math.floor(j / 100)),
    'env', 'prod',
    'shard', String(target % 7),
  );
}

/** CPU time (user + system) in ms: on a shared machine wall time also counts waiting for a core. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const INTERVAL = 15_000;
const BATCH = 1000;

async function run(n: number): Promise<void> {
  const refs = new Float64Array(n);
  const before = mem();
  const head = new Head();
  let t0 = performance.now();
  for (let i = 0; i < n; i += BATCH) {
    const app = head.appender();
    const end = Math.min(n, i + BATCH);
    for (let k = i; k < end; k++) refs[k] = app.append(0, labelsFor(k), 0, k);
    await app.commit();
  }
  const createMs = performance.now() - t0;
  const one = mem();

  // 119 more samples per series, appended by ref in scrape-sized transactions.
  let samples = 0;
  t0 = performance.now();
  const c0 = cpuMs();
  for (let s = 1; s < 120; s++) {
    const t = s * INTERVAL;
    for (let i = 0; i < n; i += BATCH) {
      const app = head.appender();
      const end = Math.min(n, i + BATCH);
      for (let k = i; k < end; k++) app.append(refs[k], Labels.EMPTY, t, k + s * 0.25);
      await app.commit();
      samples += end - i;
    }
  }
  const appendMs = performance.now() - t0;
  const appendCpuMs = cpuMs() - c0;
  const full = mem();

  const per = (a: number, b: number): string => ((a - b) / n).toFixed(0);
  console.log(`\n== ${n} series ==`);
  console.log(`create (1 sample, labels): ${(n / (createMs / 1000)).toFixed(0)} series/s`);
  console.log(`memory/series, 1 sample:    heap+buffers ${per(one.heap, before.heap)} B, rss ${per(one.rss, before.rss)} B`);
  console.log(`memory/series, 120 samples: heap+buffers ${per(full.heap, before.heap)} B, rss ${per(full.rss, before.rss)} B`);
  console.log(
    `append by ref, ${BATCH}/commit: ${(samples / (appendMs / 1000) / 1e6).toFixed(2)} M samples/s wall, ` +
      `${(samples / (appendCpuMs / 1000) / 1e6).toFixed(2)} M samples/s of CPU time`,
  );

  const q = head.querier(0, 2 * 3600_000);
  const selects: [string, Matcher[]][] = [
    ['1 series', [Matcher.create(MatchType.Equal, 'instance', 'host-3:9100'), Matcher.create(MatchType.Equal, '__name__', 'metric_7'), Matcher.create(MatchType.Equal, 'idx', '4')]],
    ['100 series', [Matcher.create(MatchType.Equal, '__name__', 'metric_7'), Matcher.create(MatchType.Regexp, 'instance', 'host-[0-9]:9100')]],
    // 10k series at 1M series (n/100 in general).
    ['n/100 series', [Matcher.create(MatchType.Equal, '__name__', 'metric_7'), Matcher.create(MatchType.Regexp, 'idx', '.*')]],
  ];
  for (const [name, ms] of selects) {
    let series = 0;
    let points = 0;
    const reps = name === 'n/100 series' ? 10 : 500;
    // The first repetitions warm up the JIT and are not timed.
    const warm = Math.ceil(reps / 5);
    let c1 = 0;
    for (let r = 0; r < warm + reps; r++) {
      if (r === warm) {
        t0 = performance.now();
        c1 = cpuMs();
      }
      const set = q.select(true, undefined, ms);
      series = 0;
      points = 0;
      let it;
      while (set.next()) {
        series++;
        it = set.at().iterator(it);
        while (it.next() === ValueType.Float) {
          it.atV();
          points++;
        }
      }
    }
    const ms1 = (performance.now() - t0) / reps;
    const cpu1 = (cpuMs() - c1) / reps;
    console.log(
      `select ${name} (${series} series, ${points} samples, sorted, all samples iterated): ` +
        `${ms1.toFixed(3)} ms wall, ${cpu1.toFixed(3)} ms CPU`,
    );
  }
  // Keep the head alive until here so the measurements above see it.
  if (head.numSeries() !== n) throw new Error('series count mismatch');
}

const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
for (const n of sizes.length ? sizes : [100_000, 1_000_000]) await run(n);
