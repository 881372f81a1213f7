import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../model/labels.js';
import { Matcher, MatchType } from '../../model/matcher.js';
import { StorageError } from '../../storage/interface.js';
import { CircularExemplarStorage, type StoredExemplar } from './circular.js';

const series = (job: string): Labels => Labels.fromStrings('__name__', 'req_total', 'job', job);
const ex = (ts: number, value: number, traceId = 'a'): StoredExemplar => ({ labels: Labels.fromStrings('trace_id', traceId), value, ts });
const all = [[Matcher.create(MatchType.Regexp, 'job', '.*')]];

function timesOf(s: CircularExemplarStorage, job: string, start = -Infinity, end = Infinity): number[] {
  const r = s.select(start, end, [[Matcher.create(MatchType.Equal, 'job', job)]]);
  return r.length === 0 ? [] : r[0]!.exemplars.map((e) => e.ts);
}

test('the ring keeps the newest maxExemplars over all series, oldest first per series', () => {
  const s = new CircularExemplarStorage(5);
  for (let i = 0; i < 4; i++) s.add(series('a'), ex(i * 10, i));
  for (let i = 0; i < 3; i++) s.add(series('b'), ex(i * 10 + 5, i));
  // 7 written into 5 entries: a's two oldest are overwritten.
  assert.deepEqual(timesOf(s, 'a'), [20, 30]);
  assert.deepEqual(timesOf(s, 'b'), [5, 15, 25]);
  assert.equal(s.exemplarsInStorage, 5);
  assert.equal(s.exemplarsAppended, 7);
  assert.equal(s.seriesWithExemplars, 2);
  assert.equal(s.oldestTimestamp(), 20);

  // Five more for b wrap around again: a loses everything and leaves the index.
  for (let i = 3; i < 8; i++) s.add(series('b'), ex(i * 10 + 5, i));
  assert.deepEqual(timesOf(s, 'a'), []);
  assert.deepEqual(timesOf(s, 'b'), [35, 45, 55, 65, 75]);
  assert.equal(s.seriesWithExemplars, 1);
  assert.deepEqual(
    s.select(-Infinity, Infinity, all).map((r) => r.seriesLabels.get('job')),
    ['b'],
  );

  // a comes back, overwriting b's oldest.
  s.add(series('a'), ex(100, 1));
  assert.deepEqual(timesOf(s, 'a'), [100]);
  assert.deepEqual(timesOf(s, 'b'), [45, 55, 65, 75]);
  assert.equal(s.seriesWithExemplars, 2);
});

test('a series losing its only exemplar to its own new one keeps working', () => {
  const s = new CircularExemplarStorage(1);
  for (let i = 0; i < 5; i++) s.add(series('a'), ex(i, i));
  assert.deepEqual(timesOf(s, 'a'), [4]);
  assert.equal(s.seriesWithExemplars, 1);
});

test('duplicates are ignored, older exemplars rejected per series, labels limited to 128 runes', () => {
  const s = new CircularExemplarStorage(10);
  assert.equal(s.add(series('a'), ex(10, 1)), true);
  assert.equal(s.add(series('a'), ex(10, 1)), false, 'same as the newest: duplicate');
  assert.throws(() => s.add(series('a'), ex(9, 5)), (e: unknown) => e instanceof StorageError && e.message === 'out of order exemplar');
  assert.throws(() => s.add(series('a'), ex(10, 0.5)), /out of order exemplar/, 'same time, smaller value');
  assert.equal(s.add(series('a'), ex(10, 2)), true, 'same time, larger value (native histogram buckets)');
  assert.equal(s.add(series('b'), ex(1, 1)), true, 'order is per series');
  assert.equal(s.outOfOrderExemplars, 2);
  assert.throws(() => s.add(series('a'), ex(20, 1, 'x'.repeat(121))), /label length for exemplar exceeds maximum of 128 UTF-8 characters/);
  // Runes, not UTF-16 units or bytes: 120 astral characters + "trace_id" is exactly 128.
  assert.equal(s.add(series('a'), ex(20, 1, '😀'.repeat(120))), true);
  assert.deepEqual(timesOf(s, 'a'), [10, 10, 20]);
});

test('select filters by time and by any of several matcher sets, sorted by series labels', () => {
  const s = new CircularExemplarStorage(100);
  for (const job of ['c', 'a', 'b']) for (let t = 0; t < 10; t++) s.add(series(job), ex(t * 1000, t, `${job}${t}`));
  const r = s.select(2000, 4000, [[Matcher.create(MatchType.Equal, 'job', 'c')], [Matcher.create(MatchType.Equal, 'job', 'a')]]);
  assert.deepEqual(
    r.map((x) => [x.seriesLabels.get('job'), x.exemplars.map((e) => e.ts)]),
    [
      ['a', [2000, 3000, 4000]],
      ['c', [2000, 3000, 4000]],
    ],
  );
  assert.equal(r[0]!.exemplars[0]!.labels.get('trace_id'), 'a2');
  assert.equal(r[0]!.exemplars[0]!.value, 2);
  assert.deepEqual(s.select(20_000, 30_000, all), []);
});

test('resize keeps the newest exemplars that fit, per series in order', () => {
  const s = new CircularExemplarStorage(4);
  for (let i = 0; i < 6; i++) s.add(series(i % 2 ? 'a' : 'b'), ex(i, i));
  // Held: 2 (b), 3 (a), 4 (b), 5 (a).
  s.resize(3);
  assert.deepEqual([timesOf(s, 'a'), timesOf(s, 'b')], [[3, 5], [4]]);
  assert.equal(s.exemplarsInStorage, 3);
  assert.equal(s.exemplarsAppended, 6, 'moving exemplars is not appending them');
  s.resize(10);
  assert.deepEqual([timesOf(s, 'a'), timesOf(s, 'b')], [[3, 5], [4]]);
  for (let i = 6; i < 14; i++) s.add(series('b'), ex(i, i));
  assert.deepEqual(timesOf(s, 'b'), [4, 6, 7, 8, 9, 10, 11, 12, 13]);
  assert.deepEqual(timesOf(s, 'a'), [5], 'the ring of 10 wrapped over a\'s oldest');
  assert.throws(() => s.resize(0), /invalid size/);
});
