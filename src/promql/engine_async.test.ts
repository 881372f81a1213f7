import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { conformanceDir } from '../testing/paths.js';
import { Head } from '../tsdb/head/head.js';
import { QueryError } from './annotations.js';
import { Engine, type QueryResult } from './engine.js';
import { inspect } from './parser/ast.js';
import { load, testEngineOptions } from './promqltest/runner.js';
import { parseScript } from './promqltest/script.js';
import { toApiData } from './value.js';

/** Everything a caller sees of a query: data, annotations, sample counts, or the error. */
function describe(r: QueryResult, samples: boolean): string {
  return JSON.stringify({ data: toApiData(r.value), warnings: r.warnings, infos: r.infos, samples: samples ? r.stats.samples : null });
}

function describeError(e: unknown): string {
  return JSON.stringify({ error: (e as Error).message, kind: (e as QueryError).kind });
}

function sync(f: () => QueryResult, samples: boolean): string {
  try {
    return describe(f(), samples);
  } catch (e) {
    return describeError(e);
  }
}

async function async_(f: () => Promise<QueryResult>, samples: boolean): Promise<string> {
  try {
    return describe(await f(), samples);
  } catch (e) {
    return describeError(e);
  }
}

/**
 * Under delayed name removal an aggregation drops a group's name when any member drops it
 * anywhere in the evaluated steps, so a slice where only name-keeping members are present keeps
 * it (as a per-step evaluation would); evaluated whole, the name goes for every step.
 */
const DIFFER_BY_DESIGN = new Set(['name_label_dropping.test:119', 'name_label_dropping.test:123']);

/**
 * A subquery whose range is shorter than the query step: evaluated whole, its inner grid covers
 * every inner step from start to end; a slice's grid skips the inner steps between slices that
 * no window reads, so sliced evaluation touches fewer samples (same results).
 */
function sparseSubquery(expr: string, step: number): boolean {
  let found = false;
  try {
    inspect(new Engine(testEngineOptions()).parse(expr), (n) => {
      if (n.type === 'SubqueryExpr' && n.range < step) found = true;
    });
  } catch {
    // Parse errors compare as errors.
  }
  return found;
}

test('sliced async range queries equal whole evaluation over every upstream test script', async () => {
  const engine = new Engine({ ...testEngineOptions(), enablePerStepStats: true });
  let compared = 0;
  let slicedWithData = 0;
  const mismatches: string[] = [];
  const dir = join(conformanceDir, 'promql');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test')).sort()) {
    let storage = new Head({ outOfOrderTimeWindow: Number.MAX_SAFE_INTEGER });
    try {
      for (const cmd of parseScript(readFileSync(join(dir, file), 'utf8'))) {
        if (cmd.kind === 'clear') {
          await storage.close();
          storage = new Head({ outOfOrderTimeWindow: Number.MAX_SAFE_INTEGER });
          continue;
        }
        if (cmd.kind === 'load') {
          await load(storage, cmd, []);
          continue;
        }
        // Instant statements become a range query of 21 steps around their time.
        const [start, end, step] = cmd.range ? [cmd.start, cmd.end, cmd.step] : [cmd.start - 600_000, cmd.start + 600_000, 60_000];
        if (DIFFER_BY_DESIGN.has(`${file}:${cmd.line}`)) continue;
        const samples = !sparseSubquery(cmd.expr, step);
        const whole = sync(() => engine.rangeQuery(storage, cmd.expr, start, end, step, { perStepStats: true }), samples);
        for (const sliceSteps of [2, 3, undefined]) {
          const sliced = await async_(() => engine.rangeQueryAsync(storage, cmd.expr, start, end, step, { perStepStats: true, sliceSteps }), samples);
          compared++;
          if (sliced !== whole) mismatches.push(`${file}:${cmd.line} slices of ${sliceSteps ?? 'adaptive'}: ${cmd.expr}\n  whole:  ${whole.slice(0, 300)}\n  sliced: ${sliced.slice(0, 300)}`);
          else if (sliceSteps === 2 && (end - start) / step >= 3 && whole.includes('"result":[{')) slicedWithData++;
        }
      }
    } finally {
      await storage.close();
    }
  }
  console.log(`${compared} sliced evaluations compared, ${slicedWithData} statements with data over several slices`);
  assert.ok(slicedWithData > 300, `too few statements exercised slicing: ${slicedWithData}`);
  assert.deepEqual(mismatches, []);
});

async function counters(n: number, points: number): Promise<Head> {
  const head = new Head();
  const app = head.appender();
  for (let s = 0; s < n; s++) {
    let ref = 0;
    const labels = Labels.fromStrings('__name__', 'm', 'i', String(s));
    for (let i = 0; i < points; i++) ref = app.append(ref, ref === 0 ? labels : Labels.EMPTY, i * 15_000, i * (s + 1));
  }
  await app.commit();
  return head;
}

test('max samples counts the whole query, not one slice', async () => {
  const head = await counters(2, 400);
  const e = new Engine({ maxSamples: 100 });
  // Each slice of 2 steps holds 4 samples; the whole query holds 800.
  await assert.rejects(
    e.rangeQueryAsync(head, 'm', 0, 399 * 15_000, 15_000, { sliceSteps: 2 }),
    (err: unknown) => err instanceof QueryError && /too many samples/.test(err.message),
  );
  const ok = await new Engine({ maxSamples: 800 }).rangeQueryAsync(head, 'm', 0, 399 * 15_000, 15_000, { sliceSteps: 2 });
  assert.equal(ok.stats.samples.peakSamples, 800);
  assert.equal(ok.stats.samples.totalQueryableSamples, 800);
});

test('an aborted signal stops a sliced query between slices and is counted', async () => {
  const head = await counters(50, 2000);
  const e = new Engine();
  const ac = new AbortController();
  let slices = 0;
  // Abort from the event loop, which only runs between slices.
  const tick = (): void => {
    slices++;
    if (slices === 3) ac.abort();
    else setImmediate(tick);
  };
  setImmediate(tick);
  await assert.rejects(
    e.rangeQueryAsync(head, 'sum(rate(m[5m]))', 0, 1999 * 15_000, 15_000, { signal: ac.signal, sliceSteps: 40 }),
    (err: unknown) => err instanceof QueryError && err.kind === 'canceled' && err.message === 'query was canceled',
  );
  assert.equal(e.metrics.canceled, 1);
  assert.equal(e.metrics.queries, 0);
});

test('the timeout ends a sliced query at the next slice', async () => {
  const head = await counters(50, 2000);
  const e = new Engine();
  await assert.rejects(
    e.rangeQueryAsync(head, 'sum(rate(m[5m]))', 0, 1999 * 15_000, 15_000, { timeout: 1, sliceSteps: 20 }),
    (err: unknown) => err instanceof QueryError && err.kind === 'timeout' && err.message === 'query timed out in expression evaluation',
  );
});

test('max concurrency queues queries and reports the wait as execQueueTime', async () => {
  const head = await counters(50, 2000);
  const e = new Engine({ maxConcurrency: 1 });
  const q = (): Promise<QueryResult> => e.rangeQueryAsync(head, 'sum(rate(m[5m]))', 0, 1999 * 15_000, 15_000, { sliceSteps: 50 });
  const first = q();
  const second = q();
  // Both are counted while one runs and one waits.
  assert.equal(e.metrics.queries, 2);
  const [a, b] = await Promise.all([first, second]);
  assert.ok(a.stats.timings.execQueueTime < 0.005, `first waited ${a.stats.timings.execQueueTime}s`);
  // The second waited for the whole first query.
  assert.ok(b.stats.timings.execQueueTime >= a.stats.timings.execTotalTime * 0.9, `second waited ${b.stats.timings.execQueueTime}s, first took ${a.stats.timings.execTotalTime}s`);
  assert.ok(b.stats.timings.execTotalTime >= b.stats.timings.execQueueTime + b.stats.timings.evalTotalTime - 1e-9);
  assert.equal(e.metrics.queries, 0);
});

test('a waiting query leaves the queue when its signal aborts', async () => {
  const head = await counters(50, 2000);
  const e = new Engine({ maxConcurrency: 1 });
  const running = e.rangeQueryAsync(head, 'sum(rate(m[5m]))', 0, 1999 * 15_000, 15_000, { sliceSteps: 50 });
  const ac = new AbortController();
  const waiting = e.instantQueryAsync(head, 'm', 0, { signal: ac.signal });
  ac.abort();
  await assert.rejects(waiting, (err: unknown) => err instanceof QueryError && err.kind === 'canceled');
  await running;
  // The slot is free again.
  const r = await e.instantQueryAsync(head, 'count(m)', 15_000);
  assert.deepEqual(toApiData(r.value).result, [{ metric: {}, value: [15, '50'] }]);
  assert.equal(e.metrics.queries, 0);
});

test('per-step sample counts for stats=all', async () => {
  const head = await counters(2, 10);
  const e = new Engine({ enablePerStepStats: true });
  const r = await e.rangeQueryAsync(head, 'm', 0, 60_000, 30_000, { perStepStats: true });
  assert.deepEqual(r.stats.samples.totalQueryableSamplesPerStep, [[0, 2], [30, 2], [60, 2]]);
  assert.equal(r.stats.samples.totalQueryableSamples, 6);
  // A subquery's samples go to the last step.
  const s = await e.rangeQueryAsync(head, 'max_over_time(m[30s:15s])', 0, 60_000, 30_000, { perStepStats: true });
  const steps = s.stats.samples.totalQueryableSamplesPerStep!;
  assert.deepEqual(steps.map(([t]) => t), [0, 30, 60]);
  assert.equal(steps[2][1], s.stats.samples.totalQueryableSamples - steps[0][1] - steps[1][1]);
  assert.ok(steps[2][1] > 0);
  // Only with the feature enabled, as upstream's promql-per-step-stats.
  const off = await new Engine().rangeQueryAsync(head, 'm', 0, 60_000, 30_000, { perStepStats: true });
  assert.equal(off.stats.samples.totalQueryableSamplesPerStep, undefined);
});
