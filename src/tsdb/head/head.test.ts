import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../testing/paths.js';
import { Labels } from '../../model/labels.js';
import { Matcher, MatchType } from '../../model/matcher.js';
import { STALE_NAN, isStaleNaN } from '../../model/value.js';
import { StorageError, ValueType, type SeriesSet } from '../../storage/interface.js';
import { Head, computeChunkEndTime, rangeForTimestamp, type WalSeries } from './head.js';

/** Go's math.NaN() bits, which Prometheus's parsers produce for "NaN". */
const GO_NAN = new Float64Array(new BigUint64Array([0x7ff8000000000001n]).buffer);
const chunkTestdata = join(repoRoot, 'src', 'tsdb', 'chunkenc', 'testdata');

function collect(set: SeriesSet): { labels: string; t: number[]; v: number[] }[] {
  const out: { labels: string; t: number[]; v: number[] }[] = [];
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const t: number[] = [];
    const v: number[] = [];
    while (it.next() === ValueType.Float) {
      t.push(it.atT());
      v.push(it.atV());
    }
    out.push({ labels: s.labels.toString(), t, v });
  }
  assert.equal(set.err(), null);
  return out;
}

const eq = (n: string, v: string): Matcher => Matcher.create(MatchType.Equal, n, v);

function errKind(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StorageError);
    return e.kind;
  }
  return 'none';
}

test('chunk boundaries helpers follow Go integer semantics', () => {
  assert.equal(rangeForTimestamp(0, 7200000), 7200000);
  assert.equal(rangeForTimestamp(7199999, 7200000), 7200000);
  assert.equal(rangeForTimestamp(7200000, 7200000), 14400000);
  assert.equal(rangeForTimestamp(-1, 7200000), 7200000);
  assert.equal(computeChunkEndTime(0, 29000, 7200000, 4), 116129);
  assert.equal(computeChunkEndTime(0, 7000000, 7200000, 4), 7200000);
});

test('cuts the same chunks as Prometheus, byte for byte', () => {
  // Chunks promtool 2.42 wrote for samples.om (series in label order, chunks in time order).
  const file = readFileSync(join(chunkTestdata, 'prom-2.42-chunks-000001'));
  const want: Buffer[] = [];
  for (let p = 8; p < file.length; ) {
    let len = 0;
    let shift = 0;
    for (;;) {
      const b = file[p++];
      len |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    want.push(file.subarray(p + 1, p + 1 + len));
    p += 1 + len + 4;
  }
  // promtool's backfill writes through a head whose chunk range is twice the block duration
  // (2 × 2h), and Prometheus 2.42 had no 1 KiB chunk size limit yet.
  const head = new Head({ chunkRange: 4 * 3600_000, maxBytesPerChunk: Infinity });
  const app = head.appender();
  for (const line of readFileSync(join(chunkTestdata, 'samples.om'), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [series, value, ts] = line.split(' ');
    const name = series.slice(0, series.indexOf('{'));
    const inst = series.slice(series.indexOf('"') + 1, series.lastIndexOf('"'));
    const v = value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : value === 'NaN' ? GO_NAN[0] : Number(value);
    app.append(0, Labels.fromStrings('__name__', name, 'i', inst), Math.round(Number(ts) * 1000), v);
  }
  return app.commit().then(() => {
    const got = head.chunkSeries(-Infinity, Infinity).flatMap((s) => s.chunks.map((c) => Buffer.from(c.data)));
    assert.equal(got.length, want.length);
    for (let i = 0; i < want.length; i++) assert.deepEqual(got[i], want[i], `chunk ${i}`);
  });
});

test('chunks stay within 1 KiB and are cut at twice the sample target', async () => {
  const head = new Head();
  const app = head.appender();
  // Values with random mantissas cost ~8 bytes each; after a slow start (which makes the
  // end-time estimate generous) 1 KiB fills up before 240 samples.
  let ref = 0;
  let seed = 1;
  for (let i = 0; i < 200; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const v = (1 + seed / 2 ** 32) * (i % 2 ? -1 : 1) * 2 ** (i % 30);
    ref = app.append(ref, Labels.fromStrings('__name__', 'noisy'), i < 30 ? i * 1000 : 29_000 + i, v);
  }
  // The end time is estimated from the first 30 samples (1 s apart); then the rate jumps to
  // one sample per ms and the 240-sample cap cuts first.
  const dense = Labels.fromStrings('__name__', 'dense');
  for (let i = 0; i < 30; i++) app.append(0, dense, i * 1000, 1);
  for (let i = 1; i <= 400; i++) app.append(0, dense, 29_000 + i, 1);
  await app.commit();
  const [denseChunks, noisy] = head.chunkSeries(-Infinity, Infinity);
  assert.deepEqual(denseChunks.chunks.map((c) => c.numSamples), [240, 120, 70]);
  for (const c of noisy.chunks.slice(0, -1)) assert.ok(c.data.length > 1024 - 19 && c.data.length <= 1024, String(c.data.length));
  assert.equal(noisy.chunks.reduce((n, c) => n + c.numSamples, 0), 200);
});

test('appender: invisible before commit, rollback discards, refs are stable', async () => {
  const head = new Head();
  const l = Labels.fromStrings('__name__', 'up', 'job', 'a');
  const app = head.appender();
  const ref = app.append(0, l, 1000, 1);
  assert.equal(app.append(ref, Labels.EMPTY, 2000, 2), ref);
  assert.deepEqual(collect(head.querier(0, 10000).select(true, undefined, [eq('job', 'a')])), []);
  await app.commit();
  assert.deepEqual(collect(head.querier(0, 10000).select(true, undefined, [eq('job', 'a')])), [
    { labels: '{__name__="up", job="a"}', t: [1000, 2000], v: [1, 2] },
  ]);
  const app2 = head.appender();
  assert.equal(app2.append(0, l, 3000, 3), ref);
  await app2.rollback();
  assert.equal(collect(head.querier(0, 10000).select(true, undefined, [eq('job', 'a')]))[0].t.length, 2);
  assert.equal(head.maxTime(), 2000);
  assert.equal(head.minTime(), 1000);
});

test('appender: out-of-order, duplicate and out-of-bounds samples are rejected and counted', async () => {
  const head = new Head();
  const l = Labels.fromStrings('__name__', 'x');
  const app = head.appender();
  const ref = app.append(0, l, 10_000_000, 1);
  assert.equal(errKind(() => app.append(ref, l, 9_999_999, 1)), 'out_of_order');
  assert.equal(errKind(() => app.append(ref, l, 10_000_000, 2)), 'duplicate');
  // Same timestamp and value: accepted silently, stored once.
  assert.equal(app.append(ref, l, 10_000_000, 1), ref);
  await app.commit();
  const app2 = head.appender();
  assert.equal(errKind(() => app2.append(ref, l, 10_000_000, 1)), 'none');
  assert.equal(errKind(() => app2.append(ref, l, 10_000_000, 5)), 'duplicate');
  assert.equal(errKind(() => app2.append(ref, l, 9_000_000, 5)), 'out_of_order');
  // More than half a chunk range (1h) behind the head's max time.
  assert.equal(errKind(() => app2.append(0, Labels.fromStrings('__name__', 'y'), 10_000_000 - 3_600_001, 5)), 'out_of_bounds');
  await app2.commit();
  assert.deepEqual(
    { ...head.counters, seriesCreated: 0, chunksCreated: 0 },
    {
      samplesAppended: 1,
      outOfOrderSamplesAppended: 0,
      outOfOrder: 2,
      duplicate: 2,
      outOfBounds: 1,
      tooOld: 0,
      seriesCreated: 0,
      seriesRemoved: 0,
      chunksCreated: 0,
      chunksRemoved: 0,
    },
  );
  const res = collect(head.querier(0, Infinity).select(true, undefined, [eq('__name__', 'x')]));
  assert.deepEqual(res[0].t, [10_000_000]);
});

test('stale markers keep their exact NaN bits', async () => {
  const head = new Head();
  const app = head.appender();
  const ref = app.append(0, Labels.fromStrings('__name__', 's'), 1000, 1);
  app.append(ref, Labels.EMPTY, 2000, STALE_NAN);
  app.append(ref, Labels.EMPTY, 3000, NaN);
  await app.commit();
  const it = head.querier(0, 5000).select(false, undefined, [eq('__name__', 's')]);
  assert.ok(it.next());
  const si = it.at().iterator();
  si.next();
  si.next();
  assert.ok(isStaleNaN(si.atV()));
  si.next();
  assert.ok(Number.isNaN(si.atV()) && !isStaleNaN(si.atV()));
});

test('out-of-order window: accepted samples merge into reads; older ones are too old', async () => {
  const head = new Head({ outOfOrderTimeWindow: 600_000, outOfOrderCapMax: 4 });
  const l = Labels.fromStrings('__name__', 'o');
  let app = head.appender();
  const ref = app.append(0, l, 1_000_000, 10);
  app.append(ref, l, 1_060_000, 16);
  await app.commit();
  app = head.appender();
  for (const t of [1_030_000, 1_010_000, 1_020_000, 1_040_000, 1_050_000, 1_005_000]) app.append(ref, l, t, t / 1000 - 990);
  assert.equal(errKind(() => app.append(ref, l, 400_000, 1)), 'too_old');
  await app.commit();
  assert.equal(head.counters.outOfOrderSamplesAppended, 6);
  assert.equal(head.counters.tooOld, 1);
  const [s] = collect(head.querier(0, Infinity).select(true, undefined, [eq('__name__', 'o')]));
  assert.deepEqual(s.t, [1_000_000, 1_005_000, 1_010_000, 1_020_000, 1_030_000, 1_040_000, 1_050_000, 1_060_000]);
  assert.deepEqual(s.v, [10, 15, 20, 30, 40, 50, 60, 16]);
  // The merged series re-encodes cleanly for compaction.
  const cs = head.chunkSeries(0, 2_000_000);
  assert.equal(cs[0].chunks.reduce((n, c) => n + c.numSamples, 0), 8);
});

test('querier: matchers, sorting, window clipping, seek and label lookups', async () => {
  const head = new Head();
  const app = head.appender();
  const jobs = ['b', 'a', 'c'];
  for (let i = 0; i < 6; i++) {
    const l = Labels.fromStrings('__name__', i % 2 ? 'up' : 'down', 'job', jobs[i % 3], 'i', String(i));
    let ref = 0;
    for (let t = 0; t <= 100_000; t += 10_000) ref = app.append(ref, l, t, i * 1000 + t);
  }
  await app.commit();
  const q = head.querier(20_000, 50_000);
  const res = collect(q.select(true, undefined, [eq('__name__', 'up'), Matcher.create(MatchType.NotEqual, 'job', 'a')]));
  assert.deepEqual(
    res.map((r) => r.labels),
    ['{__name__="up", i="1", job="a"}', '{__name__="up", i="3", job="b"}', '{__name__="up", i="5", job="c"}'].filter(
      (x) => !x.includes('job="a"'),
    ),
  );
  assert.deepEqual(res[0].t, [20_000, 30_000, 40_000, 50_000]);
  const hinted = collect(q.select(true, { start: 30_000, end: 40_000 }, [eq('i', '3')]));
  assert.deepEqual(hinted[0].t, [30_000, 40_000]);
  assert.deepEqual(q.labelValues('job', undefined, []), ['a', 'b', 'c']);
  assert.deepEqual(q.labelValues('i', undefined, [eq('__name__', 'down')]), ['0', '2', '4']);
  assert.deepEqual(q.labelValues('job', { limit: 2 }, []), ['a', 'b']);
  assert.deepEqual(q.labelNames(undefined, []), ['__name__', 'i', 'job']);
  assert.deepEqual(q.labelNames(undefined, [eq('nope', 'x')]), []);
  assert.deepEqual(collect(head.querier(200_000, 300_000).select(true, undefined, [eq('i', '1')])), []);
  const set = head.querier(0, 100_000).select(false, undefined, [eq('i', '4')]);
  assert.ok(set.next());
  const it = set.at().iterator();
  assert.equal(it.seek(35_000), ValueType.Float);
  assert.equal(it.atT(), 40_000);
  assert.equal(it.atV(), 4040_000 - 4000_000 + 4000);
  assert.equal(it.seek(10_000), ValueType.Float);
  assert.equal(it.atT(), 40_000);
  assert.equal(it.next(), ValueType.Float);
  assert.equal(it.atT(), 50_000);
  assert.equal(it.seek(100_001), ValueType.None);
});

test('iteration is unaffected by appends and chunk cuts after the iterator was made', async () => {
  const head = new Head();
  const l = Labels.fromStrings('__name__', 'm');
  let app = head.appender();
  let ref = 0;
  for (let t = 0; t < 100; t++) ref = app.append(ref, l, t * 1000, t);
  await app.commit();
  const set = head.querier(0, Infinity).select(false, undefined, []);
  set.next();
  const it = set.at().iterator();
  app = head.appender();
  for (let t = 100; t < 1000; t++) app.append(ref, l, t * 1000, t);
  await app.commit();
  let n = 0;
  while (it.next() === ValueType.Float) assert.equal(it.atV(), n++);
  assert.equal(n, 100);
  const all = collect(head.querier(0, Infinity).select(false, undefined, []));
  assert.deepEqual(all[0].v, Array.from({ length: 1000 }, (_, i) => i));
});

test('truncate drops old chunks and empty series; refs of reused slots stay unique', async () => {
  const head = new Head({ chunkRange: 100_000 });
  const a = Labels.fromStrings('__name__', 'a');
  const b = Labels.fromStrings('__name__', 'b');
  let app = head.appender();
  let ra = 0;
  for (let t = 0; t < 300_000; t += 1000) ra = app.append(ra, a, t, t);
  const rb = app.append(0, b, 10_000, 1);
  await app.commit();
  head.truncate(200_000);
  assert.equal(head.numSeries(), 1);
  assert.equal(head.refOf(b), 0);
  const [sa] = collect(head.querier(0, Infinity).select(true, undefined, []));
  assert.equal(sa.t[0], 200_000);
  assert.equal(sa.t.length, 100);
  app = head.appender();
  assert.equal(errKind(() => app.append(0, b, 150_000, 1)), 'out_of_bounds');
  const rb2 = app.append(0, b, 299_000, 2);
  await app.commit();
  assert.notEqual(rb2, rb);
  assert.equal(head.refOf(b), rb2);
  // The old ref no longer resolves: appending with it and no labels fails.
  assert.equal(errKind(() => head.appender().append(rb, Labels.EMPTY, 300_000, 1)), 'other');
  assert.deepEqual(head.querier(0, Infinity).labelValues('__name__', undefined, []), ['a', 'b']);
});

test('WAL sink receives new series and samples at commit; replay restores the head', async () => {
  const logged: { series: WalSeries[]; refs: number[]; ts: number[]; vs: number[] }[] = [];
  const head = new Head({
    wal: {
      log(series, refs, ts, vs, n) {
        logged.push({ series: [...series], refs: [...refs.subarray(0, n)], ts: [...ts.subarray(0, n)], vs: [...vs.subarray(0, n)] });
      },
    },
  });
  const l1 = Labels.fromStrings('__name__', 'w', 'k', '1');
  const l2 = Labels.fromStrings('__name__', 'w', 'k', '2');
  const app = head.appender();
  const r1 = app.append(0, l1, 1000, 1);
  const r2 = app.append(0, l2, 1000, 2);
  app.append(r1, l1, 2000, 3);
  assert.equal(logged.length, 0);
  await app.commit();
  assert.equal(logged.length, 1);
  assert.deepEqual(logged[0].series.map((s) => [s.ref, s.labels.toString()]), [
    [r1, l1.toString()],
    [r2, l2.toString()],
  ]);
  assert.deepEqual(logged[0].refs, [r1, r2, r1]);
  assert.deepEqual(logged[0].ts, [1000, 1000, 2000]);

  // Series created by a rolled-back appender stay in the head, so they are logged too.
  const rb = head.appender();
  const r4 = rb.append(0, Labels.fromStrings('__name__', 'w', 'k', '4'), 5000, 1);
  await rb.rollback();
  assert.deepEqual(logged[1].series.map((s) => s.ref), [r4]);
  assert.deepEqual(logged[1].refs, []);
  logged.pop();

  const replayed = new Head();
  for (const rec of logged) {
    for (const s of rec.series) replayed.replaySeries(s.ref, s.labels);
    replayed.replaySamples(rec.refs, rec.ts, Float64Array.from(rec.vs), rec.refs.length);
  }
  // A duplicate series record under another ref is remapped to the existing series.
  replayed.replaySeries(999, l1);
  assert.equal(replayed.replaySample(999, 3000, 4), true);
  assert.equal(replayed.replaySample(12345, 3000, 4), false);
  replayed.replayDone();
  assert.equal(replayed.refOf(l1), r1);
  assert.equal(replayed.refOf(l2), r2);
  const res = collect(replayed.querier(0, Infinity).select(true, undefined, []));
  assert.deepEqual(res.map((r) => [r.t, r.v]), [
    [[1000, 2000, 3000], [1, 3, 4]],
    [[1000], [2]],
  ]);
  // New series after replay do not collide with replayed refs.
  const r3 = replayed.appender().append(0, Labels.fromStrings('__name__', 'w', 'k', '3'), 5000, 1);
  assert.ok(r3 !== r1 && r3 !== r2);
});

test('chunkSeries cuts chunks at the compaction range', async () => {
  const head = new Head({ chunkRange: 1_000_000 });
  const app = head.appender();
  let ref = 0;
  for (let t = 0; t < 3_000_000; t += 10_000) ref = app.append(ref, Labels.fromStrings('__name__', 'c'), t, t);
  await app.commit();
  const [cs] = head.chunkSeries(1_000_000, 2_000_000);
  assert.equal(cs.chunks[0].minTime, 1_000_000);
  assert.equal(cs.chunks[cs.chunks.length - 1].maxTime, 1_990_000);
  assert.equal(cs.chunks.reduce((n, c) => n + c.numSamples, 0), 100);
  for (const c of cs.chunks) assert.ok(c.numSamples <= 120);
});

test('truncation releases chunk memory, so a sliding head stays bounded', async () => {
  const head = new Head({ chunkRange: 60_000 });
  const refs = new Float64Array(100);
  let peak = 0;
  for (let step = 0; step < 40; step++) {
    const app = head.appender();
    for (let t = step * 60_000; t < (step + 1) * 60_000; t += 1000) {
      for (let i = 0; i < refs.length; i++) refs[i] = app.append(refs[i], Labels.fromStrings('__name__', 'g', 'i', String(i)), t, Math.sin(t + i));
    }
    await app.commit();
    head.truncate((step - 2) * 60_000);
    if (step === 10) peak = head.bytesAllocated();
  }
  assert.equal(head.numSeries(), 100);
  assert.ok(head.bytesAllocated() <= peak, `${head.bytesAllocated()} > ${peak}`);
  const [s] = collect(head.querier(0, Infinity).select(true, undefined, [eq('i', '0')]));
  // Full-precision values (~8 bytes each): 40 minutes fill several arena pages, 3 minutes do not.
  assert.equal(s.t[0], 37 * 60_000);
  assert.equal(s.t.length, 180);
  assert.ok(head.counters.chunksRemoved > 0);
});
