import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import { Matcher, MatchType } from '../model/matcher.js';
import { tempDir } from '../testing/peers.js';
import { DB, LockError } from './db.js';
import type { Queryable } from '../storage/interface.js';
import { ValueType } from '../storage/interface.js';

function readAll(q: Queryable, name: string): [number, number][] {
  const querier = q.querier(-Infinity, Infinity);
  const set = querier.select(true, undefined, [Matcher.create(MatchType.Equal, '__name__', name)]);
  const out: [number, number][] = [];
  while (set.next()) {
    const it = set.at().iterator();
    while (it.next() !== ValueType.None) out.push([it.atT(), it.atV()]);
  }
  querier.close();
  return out;
}

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
    const range = 60_000;
    const db = DB.open(dir.path, { minBlockDuration: range, compactIntervalMs: 3_600_000, retentionMs: 0 });
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
    const again = DB.open(dir.path, { minBlockDuration: range, compactIntervalMs: 3_600_000, retentionMs: 0 });
    assert.equal(readAll(again, 'c').length, 200);
    await again.close();
  } finally {
    dir.remove();
  }
});

test('a snapshot holds the blocks and the head and opens as a data directory', async () => {
  const dir = tempDir();
  try {
    const range = 60_000;
    const db = DB.open(`${dir.path}/data`, { minBlockDuration: range, compactIntervalMs: 3_600_000, retentionMs: 0 });
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
