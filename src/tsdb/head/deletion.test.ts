import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../model/labels.js';
import { Matcher, MatchType } from '../../model/matcher.js';
import { ValueType, type SeriesSet } from '../../storage/interface.js';
import type { RefTombstone } from '../record/types.js';
import { XORIterator } from '../chunkenc/xor.js';
import { Head } from './head.js';

const eq = (n: string, v: string): Matcher => Matcher.create(MatchType.Equal, n, v);

function collect(set: SeriesSet): Map<string, number[]> {
  const out = new Map<string, number[]>();
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const ts: number[] = [];
    while (it.next() === ValueType.Float) {
      assert.equal(it.atV(), it.atT() / 1000, 'value follows its timestamp');
      ts.push(it.atT());
    }
    out.set(s.labels.get('i'), ts);
  }
  assert.equal(set.err(), null);
  return out;
}

function select(head: Head, mint = -Infinity, maxt = Infinity, ...ms: Matcher[]): Map<string, number[]> {
  const q = head.querier(mint, maxt);
  return collect(q.select(true, undefined, ms.length ? ms : [eq('__name__', 'm')]));
}

/** Series i=0..n-1 of metric m, one sample per second over [0, count) seconds, value t/1000. */
async function fill(head: Head, n: number, count: number, from = 0): Promise<void> {
  const app = head.appender();
  const refs = new Array<number>(n).fill(0);
  for (let k = from; k < from + count; k++) {
    for (let i = 0; i < n; i++) refs[i] = app.append(refs[i], Labels.fromStrings('__name__', 'm', 'i', String(i)), k * 1000, k);
  }
  await app.commit();
}

const range = (a: number, b: number, step = 1000): number[] => {
  const out: number[] = [];
  for (let t = a; t <= b; t += step) out.push(t);
  return out;
};

test('deleting a middle range hides exactly those samples, across chunk boundaries, for next and seek', async () => {
  const head = new Head();
  await fill(head, 2, 1000); // 1000 samples: several 120-sample chunks
  assert.equal(await head.delete(100_500, 399_000, [eq('i', '0')]), 1);
  const got = select(head);
  assert.deepEqual(got.get('0'), [...range(0, 100_000), ...range(400_000, 999_000)]);
  assert.equal(got.get('1')!.length, 1000, 'other series untouched');
  assert.equal(head.tombstones.emptiedSeries, 0, 'a partial deletion keeps the index answering label queries');
  assert.deepEqual(head.querier(-Infinity, Infinity).labelValues('i', undefined, []), ['0', '1']);

  // Seeking into the hole lands on the first sample after it.
  const q = head.querier(0, Infinity);
  const set = q.select(false, undefined, [eq('i', '0')]);
  assert.ok(set.next());
  const it = set.at().iterator();
  assert.equal(it.seek(200_000), ValueType.Float);
  assert.equal(it.atT(), 400_000);
  assert.equal(it.seek(50_000), ValueType.Float, 'seek never moves backwards');
  assert.equal(it.atT(), 400_000);
  assert.equal(it.next(), ValueType.Float);
  assert.equal(it.atT(), 401_000);

  // A second, overlapping deletion merges with the first.
  await head.delete(390_000, 420_000, [eq('i', '0')]);
  assert.deepEqual(select(head).get('0'), [...range(0, 100_000), ...range(421_000, 999_000)]);
  assert.equal(head.tombstones.intervals(), 1);
});

test('a fully deleted series leaves select, label names and values; new samples bring it back', async () => {
  const head = new Head();
  await fill(head, 3, 10);
  const app = head.appender();
  app.append(0, Labels.fromStrings('__name__', 'other', 'only_here', 'x'), 5000, 5);
  await app.commit();
  await head.delete(-Infinity, Infinity, [eq('__name__', 'other')]);
  await head.delete(0, 9000, [eq('i', '2')]);
  const got = select(head);
  assert.deepEqual([...got.keys()].sort(), ['0', '1']);
  const q = head.querier(-Infinity, Infinity);
  assert.deepEqual(q.labelValues('i', undefined, []), ['0', '1']);
  assert.deepEqual(q.labelValues('__name__', undefined, []), ['m']);
  assert.deepEqual(q.labelNames(undefined, []), ['__name__', 'i']);
  assert.deepEqual(q.labelNames(undefined, [eq('__name__', 'other')]), []);
  assert.equal(collect(q.select(false, undefined, [eq('__name__', 'other')])).size, 0);

  // Two deletions leaving no sample between them also empty the series.
  await head.delete(0, 3000, [eq('i', '1')]);
  await head.delete(5000, 9000, [eq('i', '1')]);
  assert.deepEqual(select(head).get('1'), [4000]);
  await head.delete(4000, 4000, [eq('i', '1')]);
  assert.equal(select(head).has('1'), false);
  assert.equal(head.tombstones.emptiedSeries, 3, 'other, i=2 and i=1 lost every sample');

  // Deletion is clamped to the data at the time: later samples are visible.
  await fill(head, 3, 5, 10);
  assert.deepEqual(select(head).get('2'), range(10_000, 14_000));
  assert.deepEqual(head.querier(-Infinity, Infinity).labelValues('i', undefined, []), ['0', '1', '2']);
});

test('deletions go to the WAL sink before they apply, as tombstone records by series ref', async () => {
  const logged: RefTombstone[] = [];
  const head = new Head({ wal: { log: () => {}, logTombstones: (s) => void logged.push(...s) } });
  await fill(head, 2, 10);
  assert.equal(await head.delete(3000, 100_000, [eq('i', '1')]), 1);
  assert.equal(await head.delete(100_000, 200_000, []), 0, 'nothing in range: nothing logged');
  assert.equal(await head.delete(5000, 4000, [eq('i', '0')]), 0, 'an empty range deletes nothing');
  assert.equal(logged.length, 1);
  assert.deepEqual(logged[0], { ref: head.refOf(Labels.fromStrings('__name__', 'm', 'i', '1')), mint: 3000, maxt: 9000 });

  // Replaying the record into a fresh head restores the deletion.
  const replayed = new Head();
  await fill(replayed, 2, 10);
  replayed.replayTombstones(logged);
  replayed.replayDone();
  assert.deepEqual(select(replayed).get('1'), range(0, 2000));
  assert.deepEqual(select(replayed).get('0'), range(0, 9000));
});

test('compaction leaves deleted samples out and drops series with nothing left', async () => {
  const head = new Head({ chunkRange: 600_000 });
  await fill(head, 3, 1000);
  await head.delete(100_000, 250_000, [eq('i', '0')]);
  await head.delete(0, 599_999, [eq('i', '1')]);
  const series = head.chunkSeries(0, 600_000);
  assert.deepEqual(
    series.map((s) => s.labels.get('i')),
    ['0', '2'],
  );
  const ts: number[] = [];
  for (const c of series[0]!.chunks) {
    const it = new XORIterator().reset(c.data, 0, c.data.length);
    const before = ts.length;
    while (it.next() === ValueType.Float) ts.push(it.atT());
    assert.deepEqual([c.minTime, c.maxTime, c.numSamples], [ts[before], ts.at(-1), ts.length - before], 'chunk meta matches its data');
  }
  assert.deepEqual(ts, [...range(0, 99_000), ...range(251_000, 599_000)]);
  assert.equal(series[1]!.chunks.reduce((n, c) => n + c.numSamples, 0), 600);

  // After truncation the intervals that ended before the cut are forgotten.
  head.truncate(600_000);
  assert.equal(head.tombstones.size, 0);
  assert.deepEqual(select(head).get('1'), range(600_000, 999_000));
});

test('out-of-order samples are deleted too', async () => {
  const head = new Head({ outOfOrderTimeWindow: 3_600_000 });
  await fill(head, 1, 100, 50);
  const app = head.appender();
  for (let k = 0; k < 50; k++) app.append(head.refOf(Labels.fromStrings('__name__', 'm', 'i', '0')), Labels.EMPTY, k * 1000, k);
  await app.commit();
  await head.delete(40_000, 60_000, [eq('i', '0')]);
  assert.deepEqual(select(head).get('0'), [...range(0, 39_000), ...range(61_000, 149_000)]);
  const out = head.chunkSeries(0, 200_000);
  assert.equal(out[0]!.chunks.reduce((n, c) => n + c.numSamples, 0), 129);
});

test('random deletions agree with a model of the data (select windows, next and seek)', async () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let round = 0; round < 20; round++) {
    const head = new Head({ samplesPerChunk: 30 });
    const n = 4;
    const count = 300;
    await fill(head, n, count);
    const model = new Map<string, Set<number>>();
    for (let i = 0; i < n; i++) model.set(String(i), new Set(range(0, (count - 1) * 1000)));
    for (let d = 0; d < 5; d++) {
      const i = String(rnd(n));
      const a = rnd(count * 1000);
      const b = a + rnd(100_000);
      await head.delete(a, b, [eq('i', i)]);
      for (const t of model.get(i)!) if (t >= a && t <= b) model.get(i)!.delete(t);
    }
    const lo = rnd(count * 1000);
    const hi = lo + rnd(count * 1000);
    const got = select(head, lo, hi);
    for (const [i, ts] of model) {
      const want = [...ts].filter((t) => t >= lo && t <= hi);
      if (want.length === 0) assert.equal(got.has(i), false, `round ${round}: series ${i} should be gone`);
      else assert.deepEqual(got.get(i), want, `round ${round}: series ${i}`);
      // seek to a random time matches the model's first sample at or after it
      const target = rnd(count * 1000);
      const q = head.querier(-Infinity, Infinity);
      const set = q.select(false, undefined, [eq('i', i)]);
      const first = [...ts].find((t) => t >= target);
      if (!set.next()) {
        assert.equal(ts.size, 0);
        continue;
      }
      const it = set.at().iterator();
      const vt = it.seek(target);
      if (first === undefined) assert.equal(vt, ValueType.None);
      else assert.equal(it.atT(), first, `round ${round}: seek(${target}) in series ${i}`);
    }
  }
});
