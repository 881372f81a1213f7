import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import { Matcher, MatchType } from '../model/matcher.js';
import { ValueType, type Querier, type SampleIterator, type SeriesSet } from './interface.js';
import { ChainSampleIterator, ErrorSeriesSet, MergeQuerier } from './merge.js';

class ArrayIt implements SampleIterator {
  private i = -1;
  constructor(private readonly s: [number, number][]) {}
  next(): ValueType {
    this.i++;
    return this.i < this.s.length ? ValueType.Float : ValueType.None;
  }
  seek(t: number): ValueType {
    if (this.i < 0) this.i = 0;
    while (this.i < this.s.length && this.s[this.i][0] < t) this.i++;
    return this.i < this.s.length ? ValueType.Float : ValueType.None;
  }
  atT(): number {
    return this.s[this.i][0];
  }
  atV(): number {
    return this.s[this.i][1];
  }
  err(): Error | null {
    return null;
  }
}

/** A querier over fixed series, for driving the merge. */
function fixed(data: Record<string, [number, number][]>, fail = false): Querier {
  const series = Object.entries(data).map(([k, s]) => ({ labels: Labels.fromRecord(JSON.parse(k)), s }));
  return {
    select(sortSeries, _h, matchers): SeriesSet {
      if (fail) return new ErrorSeriesSet(new Error('source down'));
      const sel = series.filter((x) => matchers.every((m) => m.matches(x.labels.get(m.name))));
      if (sortSeries) sel.sort((a, b) => Labels.compare(a.labels, b.labels));
      let i = -1;
      return {
        next: () => ++i < sel.length,
        at: () => {
          // Series stay iterable after next(), as the interface promises.
          const x = sel[i];
          return { labels: x.labels, iterator: () => new ArrayIt(x.s) };
        },
        err: () => null,
        warnings: () => [],
      };
    },
    labelValues(name) {
      if (fail) throw new Error('source down');
      return [...new Set(series.map((x) => x.labels.get(name)).filter((v) => v !== ''))].sort();
    },
    labelNames() {
      if (fail) throw new Error('source down');
      return [...new Set(series.flatMap((x) => x.labels.toFlat().filter((_, i) => i % 2 === 0)))].sort();
    },
    close() {},
  };
}

function drain(it: SampleIterator): [number, number][] {
  const out: [number, number][] = [];
  while (it.next() === ValueType.Float) out.push([it.atT(), it.atV()]);
  return out;
}

test('ChainSampleIterator merges in time order and the first source wins ties', () => {
  const it = new ChainSampleIterator([
    new ArrayIt([[1, 10], [3, 30], [5, 50]]),
    new ArrayIt([[2, 200], [3, 300], [6, 600]]),
    new ArrayIt([]),
  ]);
  assert.deepEqual(drain(it), [[1, 10], [2, 200], [3, 30], [5, 50], [6, 600]]);
  const s = new ChainSampleIterator([new ArrayIt([[1, 1], [10, 10]]), new ArrayIt([[5, 5], [7, 7]])]);
  assert.equal(s.seek(6), ValueType.Float);
  assert.equal(s.atT(), 7);
  assert.equal(s.seek(2), ValueType.Float);
  assert.equal(s.atT(), 7);
  assert.equal(s.next(), ValueType.Float);
  assert.equal(s.atT(), 10);
  assert.equal(s.next(), ValueType.None);
});

test('MergeQuerier merges sorted series, samples, label names and values', () => {
  const a = fixed({ '{"__name__":"m","i":"1"}': [[1, 1], [2, 2]], '{"__name__":"m","i":"3"}': [[1, 3]] });
  const b = fixed({ '{"__name__":"m","i":"2"}': [[1, 20]], '{"__name__":"m","i":"1"}': [[2, 99], [3, 3]], '{"x":"y"}': [[1, 1]] });
  const q = new MergeQuerier([a, b]);
  const set = q.select(false, undefined, [Matcher.create(MatchType.Equal, '__name__', 'm')]);
  const got: [string, [number, number][]][] = [];
  while (set.next()) got.push([set.at().labels.toString(), drain(set.at().iterator())]);
  assert.equal(set.err(), null);
  assert.deepEqual(got, [
    ['{__name__="m", i="1"}', [[1, 1], [2, 2], [3, 3]]],
    ['{__name__="m", i="2"}', [[1, 20]]],
    ['{__name__="m", i="3"}', [[1, 3]]],
  ]);
  assert.deepEqual(q.labelValues('i', undefined, []), ['1', '2', '3']);
  assert.deepEqual(q.labelValues('i', { limit: 2 }, []), ['1', '2']);
  assert.deepEqual(q.labelNames(undefined, []), ['__name__', 'i', 'x']);
});

test('secondary failures become warnings; primary failures are errors', () => {
  const ok = fixed({ '{"a":"1"}': [[1, 1]] });
  const down = fixed({}, true);
  const q = new MergeQuerier([ok], [down]);
  const set = q.select(true, undefined, []);
  let n = 0;
  while (set.next()) n++;
  assert.equal(n, 1);
  assert.equal(set.err(), null);
  assert.deepEqual(set.warnings(), ['source down']);
  assert.deepEqual(q.labelValues('a', undefined, []), ['1']);
  assert.deepEqual(q.labelWarnings, ['source down']);
  const bad = new MergeQuerier([ok, down]).select(true, undefined, []);
  while (bad.next());
  assert.match(String(bad.err()), /source down/);
  assert.throws(() => new MergeQuerier([ok, down]).labelNames(undefined, []), /source down/);
});

test('a merged series reuses the previous chain iterator and still yields its own samples', () => {
  const a = fixed({ '{"i":"1"}': [[1, 1], [3, 3]], '{"i":"2"}': [[5, 5]], '{"i":"3"}': [[7, 7]] });
  const b = fixed({ '{"i":"1"}': [[2, 2]], '{"i":"2"}': [[4, 4], [6, 6]], '{"i":"3"}': [[8, 8]] });
  const set = new MergeQuerier([a, b]).select(true, undefined, [Matcher.create(MatchType.NotEqual, 'i', '')]);
  let it: SampleIterator | undefined;
  const chains = new Set<SampleIterator>();
  const got: [number, number][][] = [];
  while (set.next()) {
    it = set.at().iterator(it);
    chains.add(it);
    got.push(drain(it));
  }
  assert.deepEqual(got, [[[1, 1], [2, 2], [3, 3]], [[4, 4], [5, 5], [6, 6]], [[7, 7], [8, 8]]]);
  assert.equal(chains.size, 1, 'one chain iterator for all three series');
});
