import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { Matcher, MatchType } from '../../model/matcher.js';
import { tempDir } from '../../testing/peers.js';
import { Block } from './block.js';
import { BlockWriter } from './writer.js';
import { compactBlocks } from './compactor.js';
import { applyRetention, cleanTombstones, compactDir, openBlocks } from './dbdir.js';
import { collect } from './testutil.js';

const H = 3600_000;
const all = [Matcher.create(MatchType.Regexp, '__name__', '.+')];

/** One block over [from, to) (as the head writes them) holding `series` series sampled every 15 s. */
function writeBlock(dir: string, from: number, to: number, series = 3, value = (i: number, t: number): number => i * 1000 + t / 1000): Block {
  const w = new BlockWriter();
  for (let i = 0; i < series; i++) {
    const l = Labels.fromStrings('__name__', 'm', 'i', String(i));
    for (let t = from; t < to; t += 15000) w.append(l, t, value(i, t));
  }
  const meta = w.flush(dir, { minTime: from, maxTime: to })!;
  return Block.open(join(dir, meta.ulid));
}

test('compacting adjacent blocks copies chunks and records lineage', () => {
  const tmp = tempDir();
  try {
    const a = writeBlock(tmp.path, 0, 2 * H);
    const b = writeBlock(tmp.path, 2 * H, 4 * H, 4);
    const meta = compactBlocks(tmp.path, [a, b])!;
    assert.equal(meta.minTime, 0);
    assert.equal(meta.maxTime, 4 * H);
    assert.equal(meta.compaction.level, 2);
    assert.deepEqual(meta.compaction.sources, [a.ulid, b.ulid].sort());
    assert.deepEqual(meta.compaction.parents?.map((p) => p.ulid), [a.ulid, b.ulid]);
    assert.equal(meta.stats.numSeries, 4);
    assert.equal(meta.stats.numSamples, a.meta.stats.numSamples + b.meta.stats.numSamples);
    assert.equal(meta.stats.numChunks, a.meta.stats.numChunks + b.meta.stats.numChunks);
    const c = Block.open(join(tmp.path, meta.ulid));
    const got = collect(c.querier(-Infinity, Infinity), all);
    const want = [...collect(a.querier(-Infinity, Infinity), all), ...collect(b.querier(-Infinity, Infinity), all)];
    for (const s of got) {
      const parts = want.filter((w) => w.labels === s.labels).flatMap((w) => w.samples);
      assert.deepEqual(s.samples, parts);
    }
  } finally {
    tmp.remove();
  }
});

test('overlapping blocks merge per series by timestamp; tombstones are dropped for good', () => {
  const tmp = tempDir();
  try {
    const a = writeBlock(tmp.path, 0, 2 * H, 2, () => 1);
    const b = writeBlock(tmp.path, H, 3 * H, 2, () => 2);
    a.delete(0, 30 * 60_000 - 1, [Matcher.equal('i', '0')]);
    const meta = compactBlocks(tmp.path, [a, b])!;
    const c = Block.open(join(tmp.path, meta.ulid));
    assert.equal(c.tombstones.count(), 0);
    const got = collect(c.querier(-Infinity, Infinity), all);
    assert.equal(got.length, 2);
    const s0 = got[0].samples;
    assert.equal(s0[0][0], 30 * 60_000);
    // Timestamps are strictly increasing and the shared hour keeps the first block's values.
    for (let i = 1; i < s0.length; i++) assert.ok(s0[i][0] > s0[i - 1][0]);
    assert.equal(s0.find((x) => x[0] === H)![1], 1);
    assert.equal(s0.find((x) => x[0] === 2 * H)![1], 2);
    assert.equal(got[1].samples.length, (3 * H) / 15000);
    assert.equal(meta.stats.numSamples, s0.length + got[1].samples.length);
  } finally {
    tmp.remove();
  }
});

test('compactDir follows the planner; retention and clean-tombstones rewrite the directory', () => {
  const tmp = tempDir();
  try {
    for (let i = 0; i < 4; i++) writeBlock(tmp.path, i * 2 * H, (i + 1) * 2 * H, 2).close();
    const created = compactDir(tmp.path, [2 * H, 6 * H, 18 * H]);
    assert.equal(created.length, 1);
    let { blocks } = openBlocks(tmp.path);
    assert.deepEqual(blocks.map((b) => [b.meta.minTime, b.meta.compaction.level]), [[0, 2], [6 * H, 1]]);

    const big = blocks[0];
    big.delete(0, H, [Matcher.equal('i', '1')]);
    const cleaned = cleanTombstones(big)!;
    ({ blocks } = openBlocks(tmp.path));
    const nb = blocks.find((b) => b.ulid === cleaned)!;
    assert.equal(nb.meta.compaction.level, 2);
    assert.equal(nb.tombstones.count(), 0);
    assert.equal(nb.meta.stats.numSamples, big.meta.stats.numSamples - (H / 15000 + 1));

    const removed = applyRetention(tmp.path, { retentionMs: 2 * H });
    assert.deepEqual(removed, [cleaned]);
    assert.equal(readdirSync(tmp.path).length, 1);
  } finally {
    tmp.remove();
  }
});

test('a corrupt block is reported and skipped while the others open', () => {
  const tmp = tempDir();
  try {
    writeBlock(tmp.path, 0, 2 * H).close();
    const bad = join(tmp.path, '01ARYZ6S410000000000000000');
    mkdirSync(join(bad, 'chunks'), { recursive: true });
    mkdirSync(join(tmp.path, '01ARYZ6S410000000000000001.tmp-for-creation'));
    const { blocks, corrupted } = openBlocks(tmp.path, { cleanup: true });
    assert.equal(blocks.length, 1);
    assert.equal(corrupted.length, 1);
    assert.match(corrupted[0].error.message, /corrupted block .*01ARYZ6S410000000000000000: .*meta\.json/);
    assert.ok(!readdirSync(tmp.path).some((f) => f.includes('tmp-for-creation')));
  } finally {
    tmp.remove();
  }
});
