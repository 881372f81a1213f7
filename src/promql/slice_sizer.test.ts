import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SliceSizer } from './slice_sizer.js';

/** Feeds the sizer slices costing `fixed + perStep * steps` (+ noise) ms; returns the sizes it chose. */
function sizes(fixed: number, perStep: number, count: number, noise: (i: number) => number = () => 0): number[] {
  const s = new SliceSizer(8, 2, 30);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const n = s.next;
    out.push(n);
    s.took(n, fixed + perStep * n + noise(i));
  }
  return out;
}

test('cheap steps: slices grow to take about the target time or more', () => {
  const got = sizes(1, 0.1, 6);
  assert.deepEqual(got.slice(0, 2), [8, 32]);
  const last = got[got.length - 1];
  assert.ok(last >= 200 && last <= 400, `${got}`);
});

test('expensive series: slices grow until the fixed cost is about a third', () => {
  const got = sizes(100, 0.5, 10);
  const last = got[got.length - 1];
  assert.ok(100 / (100 + 0.5 * last) <= 0.35, `${got}`);
});

test('expensive steps: slices stay short', () => {
  const got = sizes(0, 20, 6);
  assert.deepEqual(got.slice(0, 2), [8, 4]);
  assert.ok(got.slice(2).every((n) => n <= 12), `${got}`);
});

test('noise spikes slow the growth but do not stop it', () => {
  const got = sizes(100, 0.5, 14, (i) => (i % 3 === 2 ? 300 : 0));
  const last = got[got.length - 1];
  assert.ok(100 / (100 + 0.5 * last) <= 0.35, `${got}`);
});
