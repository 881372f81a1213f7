import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { Matcher, MatchType } from '../../model/matcher.js';
import { STALE_NAN } from '../../model/value.js';
import { ValueType } from '../../storage/interface.js';
import { tempDir } from '../../testing/peers.js';
import { Block } from './block.js';
import { BlockWriter } from './writer.js';
import { Tombstones } from './tombstones.js';
import { readMeta } from './meta.js';
import { collect } from './testutil.js';

const m = (name: string, type: MatchType, value: string): Matcher => Matcher.create(type, name, value);
const eq = (name: string, value: string): Matcher => Matcher.equal(name, value);

function sampleBlock(dir: string): string {
  const w = new BlockWriter();
  for (let i = 0; i < 300; i++) {
    w.append(Labels.fromStrings('__name__', 'up', 'job', 'a', 'instance', 'x'), i * 15000, 1);
    w.append(Labels.fromStrings('__name__', 'up', 'job', 'b', 'instance', 'y'), i * 15000, i % 3 === 0 ? 0 : 1);
    w.append(Labels.fromStrings('__name__', 'reqs_total', 'job', 'a'), i * 15000, i * 2.5);
  }
  w.append(Labels.fromStrings('__name__', 'reqs_total', 'job', 'b', 'env', 'prod'), 1000, 7);
  w.append(Labels.fromStrings('__name__', 'reqs_total', 'job', 'b', 'env', 'prod'), 2000, STALE_NAN);
  const meta = w.flush(dir)!;
  return join(dir, meta.ulid);
}

test('a written block has Prometheus layout and meta, and reads back every sample', () => {
  const tmp = tempDir();
  try {
    const dir = sampleBlock(tmp.path);
    assert.deepEqual(readdirSync(dir).sort(), ['chunks', 'index', 'meta.json', 'tombstones']);
    assert.ok(!readdirSync(tmp.path).some((f) => f.endsWith('.tmp-for-creation')));
    const meta = readMeta(dir);
    assert.equal(meta.minTime, 0);
    assert.equal(meta.maxTime, 299 * 15000 + 1);
    assert.deepEqual(meta.stats, { numSamples: 902, numSeries: 4, numChunks: 3 * 3 + 1 });
    assert.equal(meta.compaction.level, 1);
    assert.deepEqual(meta.compaction.sources, [meta.ulid]);
    assert.match(readFileSync(join(dir, 'meta.json'), 'utf8'), /^\{\n\t"ulid": /);

    const b = Block.open(dir);
    const q = b.querier(meta.minTime, meta.maxTime);
    const all = collect(q, [m('__name__', MatchType.Regexp, '.+')]);
    assert.deepEqual(
      all.map((s) => s.labels),
      [
        '{__name__="reqs_total", env="prod", job="b"}',
        '{__name__="reqs_total", job="a"}',
        '{__name__="up", instance="x", job="a"}',
        '{__name__="up", instance="y", job="b"}',
      ],
    );
    assert.equal(all[1].samples.length, 300);
    assert.deepEqual(all[1].samples[299], [299 * 15000, 299 * 2.5]);
    assert.equal(all[0].samples[0][1], 7);
    assert.equal(all[0].samples[1][1], 'stale');
    assert.equal(all[3].samples[3][1], 0);
  } finally {
    tmp.remove();
  }
});

test('matchers follow Prometheus semantics for empty and negative matching', () => {
  const tmp = tempDir();
  try {
    const b = Block.open(sampleBlock(tmp.path));
    const q = b.querier(-Infinity, Infinity);
    const names = (ms: Matcher[]): string[] => collect(q, ms).map((s) => s.labels);
    assert.deepEqual(names([eq('job', 'a')]), ['{__name__="reqs_total", job="a"}', '{__name__="up", instance="x", job="a"}']);
    // env="" selects series without env.
    assert.equal(names([eq('__name__', 'reqs_total'), eq('env', '')]).length, 1);
    // env!="prod" also selects series lacking env.
    assert.deepEqual(names([eq('__name__', 'reqs_total'), m('env', MatchType.NotEqual, 'prod')]), ['{__name__="reqs_total", job="a"}']);
    // env!="" requires the label.
    assert.deepEqual(names([m('env', MatchType.NotEqual, '')]), ['{__name__="reqs_total", env="prod", job="b"}']);
    assert.equal(names([m('job', MatchType.NotRegexp, 'a|b')]).length, 0);
    assert.equal(names([m('instance', MatchType.Regexp, 'x|')]).length, 3);
    assert.equal(names([m('job', MatchType.Regexp, 'b'), m('instance', MatchType.NotEqual, 'y')]).length, 1);
    assert.equal(names([eq('nope', 'x')]).length, 0);
    assert.equal(names([eq('nope', '')]).length, 4);
    assert.deepEqual(q.labelNames(undefined, []), ['__name__', 'env', 'instance', 'job']);
    assert.deepEqual(q.labelNames(undefined, [eq('job', 'a')]), ['__name__', 'instance', 'job']);
    assert.deepEqual(q.labelValues('job', undefined, []), ['a', 'b']);
    assert.deepEqual(q.labelValues('instance', undefined, [eq('job', 'b')]), ['y']);
    assert.deepEqual(q.labelValues('job', { limit: 1 }, []), ['a']);
  } finally {
    tmp.remove();
  }
});

test('queries are bounded by the querier window and seek skips chunks', () => {
  const tmp = tempDir();
  try {
    const b = Block.open(sampleBlock(tmp.path));
    const q = b.querier(30000, 60000);
    const got = collect(q, [eq('job', 'a'), eq('__name__', 'reqs_total')]);
    assert.deepEqual(got[0].samples.map((s) => s[0]), [30000, 45000, 60000]);
    // The env=prod series has samples only at 1s and 2s: outside the window it is left out.
    assert.equal(collect(q, [eq('env', 'prod')]).length, 0);

    const set = b.querier(0, Infinity).select(false, undefined, [eq('job', 'a'), eq('__name__', 'reqs_total')]);
    assert.ok(set.next());
    const it = set.at().iterator();
    assert.equal(it.seek(200 * 15000 + 1), ValueType.Float);
    assert.equal(it.atT(), 201 * 15000);
    assert.equal(it.seek(0), ValueType.Float);
    assert.equal(it.atT(), 201 * 15000);
    assert.equal(it.next(), ValueType.Float);
    assert.equal(it.atT(), 202 * 15000);
    assert.equal(it.seek(10 ** 9), ValueType.None);
    assert.equal(it.next(), ValueType.None);
  } finally {
    tmp.remove();
  }
});

test('deleting series writes tombstones that hide samples, also after reopening', () => {
  const tmp = tempDir();
  try {
    const dir = sampleBlock(tmp.path);
    const b = Block.open(dir);
    assert.equal(b.delete(0, 150000, [eq('job', 'a')]), 2);
    assert.equal(b.delete(0, Infinity, [eq('env', 'prod')]), 1);
    assert.equal(b.delete(10 ** 12, 10 ** 13, [eq('job', 'b')]), 0);
    for (const blk of [b, Block.open(dir)]) {
      const q = blk.querier(-Infinity, Infinity);
      const got = collect(q, [eq('job', 'a')]);
      assert.equal(got.length, 2);
      assert.equal(got[0].samples[0][0], 165000);
      assert.equal(got[0].samples.length, 300 - 11);
      // A series deleted entirely is left out.
      assert.equal(collect(q, [eq('env', 'prod')]).length, 0);
      assert.equal(blk.meta.stats.numTombstones, 3);
    }
    assert.equal(readMeta(dir).stats.numTombstones, 3);
  } finally {
    tmp.remove();
  }
});

test('tombstones file round-trips and merges intervals', () => {
  const t = new Tombstones();
  t.add(5, 10, 20);
  t.add(5, 21, 30);
  t.add(5, 100, 200);
  t.add(5, 0, 3);
  t.add(9, -5, 5);
  assert.deepEqual(t.get(5), [0, 3, 10, 30, 100, 200]);
  const bytes = t.encode();
  assert.deepEqual([...bytes.subarray(0, 5)], [0x01, 0x30, 0xba, 0x30, 1]);
  const back = Tombstones.decode(bytes);
  assert.deepEqual([...back.bySeries], [...t.bySeries]);
  assert.equal(back.count(), 4);
  // An empty file is exactly what Prometheus writes: header and the CRC of nothing.
  assert.deepEqual([...new Tombstones().encode()], [0x01, 0x30, 0xba, 0x30, 1, 0, 0, 0, 0]);
  const bad = Uint8Array.from(bytes);
  bad[6] ^= 1;
  assert.throws(() => Tombstones.decode(bad), /checksum mismatch/);
});

test('a corrupt block fails to open with a message naming it', () => {
  const tmp = tempDir();
  try {
    const dir = sampleBlock(tmp.path);
    const index = readFileSync(join(dir, 'index'));
    writeFileSync(join(dir, 'index'), Buffer.alloc(100));
    assert.throws(() => Block.open(dir), (e: Error) => e.message.includes(dir) && /invalid magic/.test(e.message));
    writeFileSync(join(dir, 'index'), index);
    Block.open(dir).close();
    writeFileSync(join(dir, 'chunks', '000001'), Buffer.from('not a segment'));
    assert.throws(() => Block.open(dir), /corrupted block .*chunks: invalid magic number/);
    assert.ok(existsSync(dir));
  } finally {
    tmp.remove();
  }
});

test('sorted selects follow JS label order even where UTF-8 order differs', () => {
  const tmp = tempDir();
  try {
    const w = new BlockWriter();
    for (const v of ['～', '😀', 'a']) w.append(Labels.fromStrings('__name__', 'm', 'x', v), 1000, 1);
    const b = Block.open(join(tmp.path, w.flush(tmp.path)!.ulid));
    assert.equal(b.index.jsOrderDiffers, true);
    const order = (sort: boolean): string[] => {
      const set = b.querier(-Infinity, Infinity).select(sort, undefined, [eq('__name__', 'm')]);
      const out: string[] = [];
      while (set.next()) out.push(set.at().labels.get('x'));
      return out;
    };
    // On disk (and in Go) U+FF5E sorts before U+1F600; in JS strings the surrogate comes first.
    assert.deepEqual(order(false), ['a', '～', '😀']);
    assert.deepEqual(order(true), ['a', '😀', '～']);
    assert.equal(Block.open(sampleBlock(tmp.path)).index.jsOrderDiffers, false);
  } finally {
    tmp.remove();
  }
});
