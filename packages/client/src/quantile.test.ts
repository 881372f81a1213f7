import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QuantileStream } from './quantile.js';

/** Deterministic PRNG so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function feed(stream: QuantileStream, values: number[]): void {
  for (let i = 0; i < values.length; i += 500) {
    const batch = Float64Array.from(values.slice(i, i + 500)).sort();
    stream.insertSorted(batch, batch.length);
  }
}

function rankError(sorted: Float64Array, estimate: number, q: number): number {
  // Fraction of values below the estimate, against the target quantile; ties count either way.
  let lo = 0;
  while (lo < sorted.length && sorted[lo] < estimate) lo++;
  let hi = lo;
  while (hi < sorted.length && sorted[hi] === estimate) hi++;
  const n = sorted.length;
  if (q * n >= lo && q * n <= hi) return 0;
  return Math.min(Math.abs(lo / n - q), Math.abs(hi / n - q));
}

const objectives = [
  { quantile: 0.5, error: 0.05 },
  { quantile: 0.9, error: 0.01 },
  { quantile: 0.99, error: 0.001 },
];

for (const [name, gen] of [
  ['uniform', (r: () => number) => r()],
  ['exponential', (r: () => number) => -Math.log(1 - r())],
  ['ascending', (_r: () => number, i: number) => i],
] as const) {
  test(`targeted quantiles stay within their rank error (${name})`, () => {
    const r = lcg(42);
    const values = Array.from({ length: 100_000 }, (_, i) => gen(r, i));
    const s = new QuantileStream(objectives);
    feed(s, values);
    assert.equal(s.count, 100_000);
    const sorted = Float64Array.from(values).sort();
    for (const o of objectives) {
      const err = rankError(sorted, s.query(o.quantile), o.quantile);
      assert.ok(err <= o.error, `q=${o.quantile}: rank error ${err} > ${o.error}`);
    }
    assert.ok(s.size < 2000, `kept ${s.size} samples`);
  });
}

test('empty stream answers NaN; reset empties it', () => {
  const s = new QuantileStream(objectives);
  assert.ok(Number.isNaN(s.query(0.5)));
  feed(s, [3, 1, 2]);
  assert.equal(s.query(0.5), 2);
  s.reset();
  assert.equal(s.count, 0);
  assert.ok(Number.isNaN(s.query(0.5)));
});

test('small exact cases', () => {
  const s = new QuantileStream([{ quantile: 0.5, error: 0.01 }, { quantile: 0.99, error: 0.001 }]);
  feed(s, [5, 1, 4, 2, 3]);
  assert.equal(s.query(0.5), 3);
  assert.equal(s.query(0.99), 5);
});

test('quantiles 0 and 1 track the extremes', () => {
  const r = lcg(7);
  const values = Array.from({ length: 20_000 }, () => r() * 100);
  const s = new QuantileStream([{ quantile: 0, error: 0.001 }, { quantile: 1, error: 0.001 }]);
  feed(s, values);
  const sorted = Float64Array.from(values).sort();
  assert.ok(rankError(sorted, s.query(0), 0) <= 0.001);
  assert.ok(rankError(sorted, s.query(1), 1) <= 0.001);
});
