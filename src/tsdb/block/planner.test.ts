import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBlockRanges, exponentialBlockRanges, planCompaction, splitByRange } from './planner.js';
import { blocksBeyondRetention } from './retention.js';
import type { BlockMeta } from './meta.js';

const H = 3600_000;

function meta(ulid: string, minTime: number, maxTime: number, extra: Partial<BlockMeta['stats']> = {}): BlockMeta {
  return {
    ulid,
    minTime,
    maxTime,
    stats: { numSamples: 1, numSeries: 10, numChunks: 1, ...extra },
    compaction: { level: 1, sources: [ulid] },
    version: 1,
  };
}

test('default ranges are 2h * 3^i capped at 10% of retention or 31 days', () => {
  assert.deepEqual(exponentialBlockRanges(2 * H, 4, 3), [2 * H, 6 * H, 18 * H, 54 * H]);
  assert.deepEqual(defaultBlockRanges(15 * 24 * H), [2 * H, 6 * H, 18 * H]);
  assert.deepEqual(defaultBlockRanges(0).at(-1), 486 * H);
  assert.deepEqual(defaultBlockRanges(365 * 24 * H).at(-1), 486 * H);
  assert.deepEqual(defaultBlockRanges(10 * H), [2 * H]);
});

test('splitByRange groups blocks by aligned windows and skips blocks that do not fit', () => {
  const ms = [meta('a', 0, 2 * H), meta('b', 2 * H, 4 * H), meta('c', 4 * H, 6 * H), meta('d', 6 * H, 8 * H), meta('e', 5 * H, 7 * H)];
  const sorted = [ms[0], ms[1], ms[2], ms[4], ms[3]];
  assert.deepEqual(
    splitByRange(sorted, 6 * H).map((g) => g.map((m) => m.ulid)),
    [['a', 'b', 'c'], ['d']],
  );
});

test('planner: adjacent level-1 blocks filling 6h compact; the newest block waits', () => {
  const ranges = [2 * H, 6 * H, 18 * H];
  const three = [meta('a', 0, 2 * H), meta('b', 2 * H, 4 * H), meta('c', 4 * H, 6 * H)];
  // The newest block (c) is held back, and a+b span only 4h of the 6h window with nothing after it.
  assert.deepEqual(planCompaction(three, ranges), []);
  const four = [...three, meta('d', 6 * H, 8 * H)];
  assert.deepEqual(planCompaction(four, ranges), ['a', 'b', 'c']);
  // Gaps are fine once newer data exists past the window.
  assert.deepEqual(planCompaction([meta('a', 0, 2 * H), meta('c', 4 * H, 6 * H), meta('d', 6 * H, 8 * H), meta('e', 8 * H, 10 * H)], ranges), ['a', 'c']);
  assert.deepEqual(planCompaction([meta('x', 0, 6 * H), meta('y', 6 * H, 12 * H), meta('z', 12 * H, 18 * H), meta('n', 18 * H, 20 * H)], ranges), ['x', 'y', 'z']);
});

test('planner: overlapping blocks come first, then big blocks with many tombstones', () => {
  const ranges = [2 * H, 6 * H, 18 * H];
  assert.deepEqual(planCompaction([meta('a', 0, 2 * H), meta('b', H, 3 * H), meta('c', 10 * H, 12 * H)], ranges), ['a', 'b']);
  const big = meta('big', 0, 18 * H, { numTombstones: 5, numSeries: 10 });
  assert.deepEqual(planCompaction([big, meta('n', 18 * H, 20 * H)], ranges), ['big']);
  const fewStones = meta('big', 0, 18 * H, { numTombstones: 0 });
  assert.deepEqual(planCompaction([fewStones, meta('n', 18 * H, 20 * H)], ranges), []);
  // A small block is rewritten only when every series carries a tombstone.
  const small = (stones: number): BlockMeta => meta('small', 0, 2 * H, { numTombstones: stones, numSeries: 10 });
  assert.deepEqual(planCompaction([small(10), meta('n', 18 * H, 20 * H)], ranges), ['small']);
  assert.deepEqual(planCompaction([small(9), meta('n', 18 * H, 20 * H)], ranges), []);
});

test('retention removes whole oldest blocks by time and by size', () => {
  const blocks = [0, 1, 2, 3, 4].map((i) => ({ meta: meta(`b${i}`, i * 2 * H, (i + 1) * 2 * H), size: 100 }));
  assert.deepEqual(blocksBeyondRetention(blocks, { retentionMs: 4 * H }).sort(), ['b0', 'b1', 'b2']);
  assert.deepEqual(blocksBeyondRetention(blocks, { retentionMs: 4 * H + 1 }).sort(), ['b0', 'b1']);
  assert.deepEqual(blocksBeyondRetention(blocks, { maxBytes: 250 }).sort(), ['b0', 'b1', 'b2']);
  assert.deepEqual(blocksBeyondRetention(blocks, { maxBytes: 250, extraBytes: 60 }).sort(), ['b0', 'b1', 'b2', 'b3']);
  assert.deepEqual(blocksBeyondRetention(blocks, {}), []);
});
