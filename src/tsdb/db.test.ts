import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import { Matcher, MatchType } from '../model/matcher.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/peers.js';
import { DB, LockError } from './db.js';
import type { Queryable } from '../storage/interface.js';
import { ValueType } from '../storage/interface.js';

/** Head cut into one-minute blocks on maintain(); no background compaction, no retention. */
const CUT_EVERY_MINUTE = { minBlockDuration: 60_000, compactIntervalMs: 3_600_000, retentionMs: 0 };

/** Samples of the series whose label `name` is `value`, in series order. */
function readMatching(q: Queryable, name: string, value: string): [number, number][] {
  const querier = q.querier(-Infinity, Infinity);
  const set = querier.select(true, undefined, [Matcher.create(MatchType.Equal, name, value)]);
  const out: [number, number][] = [];
  while (set.next()) {
    const it = set.at().iterator();
    while (it.next() !== ValueType.None) out.push([it.atT(), it.atV()]);
  }
  querier.close();
  return out;
}

/** Samples of the series with label i=`i`. */
const readSeries = (q: Queryable, i: string) => readMatching(q, 'i', i);
/** Samples of the series named `name`. */
const readAll = (q: Queryable, name: string) => readMatching(q, '__name__', name);

test('committed samples survive a restart (WAL replay) and the directory is locked', async () => {
  const dir = tempDir();
  try {
    const db = DB.open(dir.path, { compactIntervalMs: 3_600_000 });
    assert.throws(() => DB.open(dir.path), LockError, 'a second open of the same directory fails');
    const ls = Labels.fromStrings('__name__', 'm', 'job', 'a');
    const app = db.appender();
    let ref = 0;
    for (let i = 0; i < 500; i++) ref = app.append(ref, ls, 1000 * i, i);
    await app.commit();
    const rolledBack = db.appender();
    rolledBack.append(ref, ls, 600_000, 1);
    await rolledBack.rollback();
    await db.close();

    const again = DB.open(dir.path, { compactIntervalMs: 3_600_000 });
    const samples = readAll(again, 'm');
    assert.equal(samples.length, 500);
    assert.deepEqual(samples[499], [499_000, 499]);
    assert.ok(again.replaySeconds >= 0);
    await again.close();
  } finally {
    dir.remove();
  }
});

test('the head is cut into blocks; queries see blocks and head; data survives reopen', async () => {
  const dir = tempDir();
  try {
    const range = CUT_EVERY_MINUTE.minBlockDuration;
    const db = DB.open(dir.path, CUT_EVERY_MINUTE);
    const ls = Labels.fromStrings('__name__', 'c', 'i', '1');
    let ref = 0;
    for (let i = 0; i < 200; i++) {
      const app = db.appender();
      ref = app.append(ref, ls, i * 1000, i * 2);
      await app.commit();
    }
    db.maintain();
    assert.ok(db.listBlocks().length >= 1, 'at least one block was cut');
    assert.equal(db.listBlocks()[0].meta.minTime, 0);
    assert.equal(db.listBlocks()[0].meta.maxTime, range);
    const all = readAll(db, 'c');
    assert.equal(all.length, 200);
    assert.deepEqual(all.slice(0, 2), [[0, 0], [1000, 2]]);
    await db.close();
    const again = DB.open(dir.path, CUT_EVERY_MINUTE);
    assert.equal(readAll(again, 'c').length, 200);
    await again.close();
  } finally {
    dir.remove();
  }
});

test('a snapshot holds the blocks and the head and opens as a data directory', async () => {
  const dir = tempDir();
  try {
    const db = DB.open(`${dir.path}/data`, CUT_EVERY_MINUTE);
    const ls = Labels.fromStrings('__name__', 's', 'i', '1');
    let ref = 0;
    const app = db.appender();
    for (let i = 0; i < 200; i++) ref = app.append(ref, ls, i * 1000, i);
    await app.commit();
    db.maintain();
    const blocksBefore = db.listBlocks().length;
    const ulids = db.snapshot(`${dir.path}/snap`);
    assert.equal(ulids.length, blocksBefore + 1, 'every block plus the head');
    await db.close();
    const snap = DB.open(`${dir.path}/snap`, { compactIntervalMs: 3_600_000, retentionMs: 0 });
    assert.equal(readAll(snap, 's').length, 200);
    await snap.close();
  } finally {
    dir.remove();
  }
});

test('deleteSeries covers blocks and head; survives reopen (tombstone files and WAL); cleanTombstones rewrites blocks', async () => {
  const dir = tempDir();
  try {
    const range = CUT_EVERY_MINUTE.minBlockDuration;
    const opts = CUT_EVERY_MINUTE;
    const db = DB.open(dir.path, opts);
    const keep = Labels.fromStrings('__name__', 'd', 'i', 'keep');
    const gone = Labels.fromStrings('__name__', 'd', 'i', 'gone');
    const app = db.appender();
    let r1 = 0;
    let r2 = 0;
    for (let i = 0; i < 200; i++) {
      r1 = app.append(r1, keep, i * 1000, i);
      r2 = app.append(r2, gone, i * 1000, i);
    }
    await app.commit();
    db.maintain();
    assert.ok(db.listBlocks().length >= 1 && db.head.minTime() >= range, 'some data in blocks, the rest in the head');
    const match = [Matcher.create(MatchType.Equal, 'i', 'gone')];
    // Deletes [30s, 150s] of "gone" (crossing the block/head boundary at 60s).
    await db.deleteSeries(30_000, 150_000, match);
    const expectGone = (q: Queryable): void => {
      const ts = readSeries(q, 'gone').map(([t]) => t);
      assert.equal(ts.length, 200 - 121);
      assert.ok(ts.every((t) => t < 30_000 || t > 150_000), 'nothing of the deleted range');
      assert.equal(readSeries(q, 'keep').length, 200);
    };
    expectGone(db);
    await db.close();

    const again = DB.open(dir.path, opts);
    expectGone(again);
    assert.ok(again.listBlocks().some((b) => b.tombstones.count() > 0), 'a block carries the tombstone');
    const before = again.listBlocks().map((b) => b.ulid);
    again.cleanTombstones();
    assert.ok(again.listBlocks().every((b) => b.tombstones.count() === 0), 'rewritten without tombstones');
    assert.notDeepEqual(
      again.listBlocks().map((b) => b.ulid),
      before,
    );
    expectGone(again);
    // Deleting everything of a series in a block removes it there after cleaning.
    await again.deleteSeries(-Infinity, Infinity, match);
    again.cleanTombstones();
    assert.deepEqual(readSeries(again, 'gone'), []);
    for (const b of again.listBlocks()) assert.deepEqual(b.querier(-Infinity, Infinity).labelValues('i', undefined, []), ['keep']);
    await again.close();
  } finally {
    dir.remove();
  }
});

test('head deletions are applied when the head is compacted into a block', async () => {
  const dir = tempDir();
  try {
    const db = DB.open(dir.path, CUT_EVERY_MINUTE);
    const ls = Labels.fromStrings('__name__', 'd', 'i', 'x');
    const app = db.appender();
    let ref = 0;
    for (let i = 0; i < 200; i++) ref = app.append(ref, ls, i * 1000, i);
    await app.commit();
    await db.deleteSeries(10_000, 19_000, [Matcher.create(MatchType.Equal, 'i', 'x')]);
    db.maintain();
    const block = db.listBlocks()[0]!;
    assert.equal(block.meta.minTime, 0);
    assert.equal(block.tombstones.count(), 0, 'the block holds no tombstone: the data itself is gone');
    assert.equal(block.meta.stats.numSamples, 50);
    assert.equal(readSeries(db, 'x').length, 190);
    await db.close();
  } finally {
    dir.remove();
  }
});

test('exemplars are stored when enabled, written to the WAL and replayed; walreplay status is reported', async () => {
  const dir = tempDir();
  try {
    const opts = { compactIntervalMs: 3_600_000, maxExemplars: 3 };
    const db = DB.open(dir.path, opts);
    const ls = Labels.fromStrings('__name__', 'h_bucket', 'le', '1');
    for (let i = 0; i < 5; i++) {
      const app = db.appender();
      const ref = app.append(0, ls, i * 1000, i);
      app.appendExemplar(ref, ls, { labels: ['trace_id', `t${i}`], value: i / 10 });
      await app.commit();
    }
    const rolled = db.appender();
    rolled.appendExemplar(0, ls, { labels: ['trace_id', 'never'], value: 1, timestamp: 99_000 });
    await rolled.rollback();
    const all = [[Matcher.create(MatchType.Equal, '__name__', 'h_bucket')]];
    const seen = (d: DB): [number, string, number][] =>
      d.selectExemplars(-Infinity, Infinity, all).flatMap((r) => r.exemplars.map((e): [number, string, number] => [e.ts, e.labels.get('trace_id'), e.value]));
    const want: [number, string, number][] = [
      [2000, 't2', 0.2],
      [3000, 't3', 0.3],
      [4000, 't4', 0.4],
    ];
    assert.deepEqual(seen(db), want, 'the ring of 3 keeps the newest three, timestamped with their samples');
    assert.equal(db.head.exemplars!.exemplarsAppended, 5);
    await db.close();

    const again = DB.open(dir.path, opts);
    assert.deepEqual(seen(again), want);
    const st = again.walReplayStatus;
    assert.equal(st.current, st.max);
    assert.ok(st.max >= 1, 'the new segment opened after replay counts, as in Prometheus');
    await again.close();

    const off = DB.open(dir.path, { compactIntervalMs: 3_600_000 });
    assert.equal(off.head.exemplars, undefined);
    assert.deepEqual(off.selectExemplars(-Infinity, Infinity, all), []);
    await off.close();
  } finally {
    dir.remove();
  }
});

test('head tombstones and exemplars are kept by WAL checkpoints and restored from them', async () => {
  const dir = tempDir();
  try {
    const opts = { ...CUT_EVERY_MINUTE, maxExemplars: 10 };
    const db = DB.open(dir.path, opts);
    const ls = Labels.fromStrings('__name__', 'd', 'i', 'x');
    const app = db.appender();
    let ref = 0;
    for (let i = 0; i < 600; i++) ref = app.append(ref, ls, i * 1000, i);
    app.appendExemplar(ref, ls, { labels: ['trace_id', 'late'], value: 7 });
    await app.commit();
    await db.deleteSeries(560_000, 580_000, [Matcher.create(MatchType.Equal, 'i', 'x')]);
    // Each head compaction starts a WAL segment; from the fourth on, old segments go into a checkpoint.
    db.maintain();
    assert.ok(readdirSync(join(dir.path, 'wal')).some((f) => f.startsWith('checkpoint.')), 'a checkpoint was written');
    await db.close();

    const again = DB.open(dir.path, opts);
    const ts = readSeries(again, 'x').map(([t]) => t);
    assert.equal(ts.length, 600 - 21);
    assert.ok(ts.every((t) => t < 560_000 || t > 580_000));
    const ex = again.selectExemplars(-Infinity, Infinity, [[Matcher.create(MatchType.Equal, 'i', 'x')]]);
    assert.deepEqual(
      ex.flatMap((r) => r.exemplars.map((e) => [e.ts, e.value])),
      [[599_000, 7]],
    );
    await again.close();
  } finally {
    dir.remove();
  }
});
