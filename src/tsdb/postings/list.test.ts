import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gallop, intersect, merge, without } from './list.js';

function rnd(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randomList(r: () => number, max: number, density: number): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < max; i++) if (r() < density) out.push(i);
  return Uint32Array.from(out);
}

test('gallop finds the first element >= x', () => {
  const a = Uint32Array.from([1, 3, 5, 7, 9, 11, 13]);
  assert.equal(gallop(a, 0, 0), 0);
  assert.equal(gallop(a, 0, 6), 3);
  assert.equal(gallop(a, 2, 5), 2);
  assert.equal(gallop(a, 0, 13), 6);
  assert.equal(gallop(a, 0, 14), 7);
});

test('intersect, merge and without agree with set arithmetic', () => {
  const r = rnd(42);
  for (let round = 0; round < 50; round++) {
    const k = 1 + Math.floor(r() * 5);
    const lists = Array.from({ length: k }, () => randomList(r, 500, 0.05 + r() * 0.9));
    const sets = lists.map((l) => new Set(l));
    const wantI = [...sets[0]].filter((x) => sets.every((s) => s.has(x)));
    assert.deepEqual([...intersect(lists)], wantI);
    const wantM = [...new Set(lists.flatMap((l) => [...l]))].sort((a, b) => a - b);
    assert.deepEqual([...merge(lists)], wantM);
    const wantW = [...lists[0]].filter((x) => k < 2 || !sets[1].has(x));
    assert.deepEqual([...without(lists[0], k < 2 ? new Uint32Array(0) : lists[1])], wantW);
  }
  assert.deepEqual([...intersect([])], []);
  assert.deepEqual([...merge([])], []);
});
