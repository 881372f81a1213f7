/**
 * Randomized checks against a plain model: blocks read back what was written minus deletions,
 * matchers select what evaluating each matcher on each series selects, and compacting
 * overlapping blocks yields the per-series merge (first block wins on equal timestamps).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { Matcher, MatchType } from '../../model/matcher.js';
import { STALE_NAN } from '../../model/value.js';
import { tempDir } from '../../testing/peers.js';
import { Block } from './block.js';
import { BlockWriter } from './writer.js';
import { compactBlocks } from './compactor.js';
import { collect, type SeriesDump } from './testutil.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

type Model = Map<string, { labels: Labels; samples: Map<number, number | 'stale'> }>;

const VALUES = ['a', 'b', 'c', 'ä', '😀', '～'];

function randomLabels(r: () => number): Labels {
  const kv = ['__name__', ['up', 'req_total', 'mem'][Math.floor(r() * 3)]!];
  for (const name of ['env', 'job', 'zone']) if (r() < 0.6) kv.push(name, VALUES[Math.floor(r() * VALUES.length)]!);
  return Labels.fromStrings(...kv);
}

function randomValue(r: () => number): number {
  const x = r();
  if (x < 0.02) return STALE_NAN;
  if (x < 0.04) return Infinity;
  if (x < 0.3) return Math.floor(r() * 100);
  return (r() - 0.5) * 1e6;
}

function toDump(model: Model): SeriesDump[] {
  return [...model.values()]
    .filter((s) => s.samples.size > 0)
    .map((s) => ({ labels: s.labels.toString(), samples: [...s.samples].sort((a, b) => a[0] - b[0]) }))
    .sort((a, b) => (a.labels < b.labels ? -1 : 1));
}

const sortByLabels = (d: SeriesDump[]): SeriesDump[] => [...d].sort((a, b) => (a.labels < b.labels ? -1 : 1));

test('random blocks, deletions, matchers and compaction agree with a model', () => {
  const r = rng(20260522);
  const tmp = tempDir();
  try {
    const blocks: Block[] = [];
    const models: Model[] = [];
    for (let b = 0; b < 4; b++) {
      const w = new BlockWriter();
      const model: Model = new Map();
      const start = Math.floor(r() * 4) * 1_800_000;
      for (let k = 0; k < 25; k++) {
        const labels = randomLabels(r);
        const key = labels.toString();
        if (!model.has(key)) model.set(key, { labels, samples: new Map() });
        const m = model.get(key)!;
        let t = start + Math.floor(r() * 60_000);
        const n = Math.floor(r() * 300);
        for (let i = 0; i < n; i++) {
          t += 1 + Math.floor(r() * 30_000);
          if (m.samples.has(t)) continue;
          const v = randomValue(r);
          w.append(labels, t, v);
          m.samples.set(t, Number.isNaN(v) ? 'stale' : v);
        }
      }
      const meta = w.flush(tmp.path);
      if (!meta) continue;
      const block = Block.open(join(tmp.path, meta.ulid));
      // Delete a random range from a random label value.
      const from = start + Math.floor(r() * 3_600_000);
      const to = from + Math.floor(r() * 3_600_000);
      const victim = Matcher.equal('env', VALUES[Math.floor(r() * VALUES.length)]!);
      block.delete(from, to, [victim]);
      for (const s of model.values()) {
        if (!victim.matches(s.labels.get('env'))) continue;
        for (const t of [...s.samples.keys()]) if (t >= from && t <= to) s.samples.delete(t);
      }
      blocks.push(block);
      models.push(model);
    }
    assert.ok(blocks.length >= 3);

    const all = [Matcher.create(MatchType.Regexp, '__name__', '.+')];
    blocks.forEach((b, i) => assert.deepEqual(sortByLabels(collect(b.querier(-Infinity, Infinity), all)), toDump(models[i]!)));

    // Matchers: the index must select exactly what evaluating each matcher per series selects.
    const types = [MatchType.Equal, MatchType.NotEqual, MatchType.Regexp, MatchType.NotRegexp];
    for (let q = 0; q < 60; q++) {
      const ms: Matcher[] = [];
      const count = 1 + Math.floor(r() * 3);
      for (let j = 0; j < count; j++) {
        const name = ['__name__', 'env', 'job', 'zone', 'none'][Math.floor(r() * 5)]!;
        const value = r() < 0.2 ? '' : r() < 0.5 ? 'a|b' : VALUES[Math.floor(r() * VALUES.length)]!;
        ms.push(Matcher.create(types[Math.floor(r() * 4)]!, name, value));
      }
      const i = Math.floor(r() * blocks.length);
      const got = collect(blocks[i]!.querier(-Infinity, Infinity), ms).map((s) => s.labels);
      const want = toDump(models[i]!)
        .filter((s) => {
          const labels = models[i]!.get(s.labels)!.labels;
          return ms.every((m) => m.matches(labels.get(m.name)));
        })
        .map((s) => s.labels);
      assert.deepEqual(got.sort(), want.sort(), ms.map(String).join(','));
    }

    // Compaction merges everything, first block first on equal timestamps.
    const merged: Model = new Map();
    for (const model of models) {
      for (const [key, s] of model) {
        if (!merged.has(key)) merged.set(key, { labels: s.labels, samples: new Map() });
        const m = merged.get(key)!;
        for (const [t, v] of s.samples) if (!m.samples.has(t)) m.samples.set(t, v);
      }
    }
    const meta = compactBlocks(tmp.path, blocks)!;
    const c = Block.open(join(tmp.path, meta.ulid));
    assert.deepEqual(sortByLabels(collect(c.querier(-Infinity, Infinity), all)), toDump(merged));
    assert.equal(meta.stats.numSamples, [...merged.values()].reduce((n, s) => n + s.samples.size, 0));
  } finally {
    tmp.remove();
  }
});
