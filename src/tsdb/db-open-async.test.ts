/**
 * DB.openAsync replays the WAL through the same code as DB.open, in slices: same head, same
 * replay status, progress reported per segment, and an abort that leaves the directory as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { Matcher, MatchType } from '../model/matcher.js';
import { ValueType } from '../storage/interface.js';
import { tempDir } from '../testing/peers.js';
import { DB, type WalReplayStatus } from './db.js';
import { PAGE_SIZE, WAL, WalSink } from './wlog/index.js';

const SERIES = 2000;
const COMMITS = 40;

/** Writes a data directory whose WAL spans many small segments, as a crashed server leaves it. */
function writeWal(dataDir: string): void {
  const wal = WAL.open(join(dataDir, 'wal'), { segmentSize: PAGE_SIZE, compress: false });
  const sink = new WalSink(wal);
  const refs = new Float64Array(SERIES).map((_, i) => i + 1);
  const series = [...refs].map((ref) => ({ ref, labels: Labels.fromStrings('__name__', `m${ref % 7}`, 'id', String(ref)) }));
  const ts = new Float64Array(SERIES);
  const vs = new Float64Array(SERIES);
  const t0 = Date.now() - COMMITS * 15_000;
  for (let c = 0; c < COMMITS; c++) {
    ts.fill(t0 + c * 15_000);
    for (let i = 0; i < SERIES; i++) vs[i] = c * 1000 + i;
    sink.commit({ series: c === 0 ? series : undefined, samples: { refs, ts, vs, n: SERIES } });
  }
  wal.close();
}

function dump(db: DB): string[] {
  const q = db.querier(-Infinity, Infinity);
  const set = q.select(true, undefined, [Matcher.create(MatchType.Regexp, '__name__', '.+')]);
  const out: string[] = [];
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const pts: string[] = [];
    while (it.next() === ValueType.Float) pts.push(`${it.atT()}=${it.atV()}`);
    out.push(`${s.labels.toString()} ${pts.join(' ')}`);
  }
  q.close();
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir).sort().map((f) => `${f}:${statSync(join(dir, f)).size}`);
}

test('openAsync restores the same head and replay status as open, reporting each segment as it goes', { timeout: 120_000 }, async () => {
  const tmp = tempDir();
  try {
    const a = join(tmp.path, 'a');
    writeWal(a);
    const b = join(tmp.path, 'b');
    cpSync(a, b, { recursive: true });
    const segments = readdirSync(join(a, 'wal')).length;
    assert.ok(segments > 20, `the WAL spans many segments (${segments})`);

    const syncDb = DB.open(a, { compactIntervalMs: 3_600_000 });
    const progress: WalReplayStatus[] = [];
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    let asyncDb: DB;
    try {
      asyncDb = await DB.openAsync(b, { compactIntervalMs: 3_600_000, onWalReplay: (s) => progress.push({ ...s }) });
    } finally {
      clearInterval(ticker);
    }
    try {
      assert.equal(dump(asyncDb).length, SERIES);
      assert.deepEqual(dump(asyncDb), dump(syncDb));
      assert.deepEqual(asyncDb.walReplayStatus, syncDb.walReplayStatus);
      assert.deepEqual(asyncDb.walReplayStatus, { min: 0, max: segments, current: segments });

      // Started at min with max known, one report per segment in order, then the final state.
      assert.deepEqual(progress[0], { min: 0, max: segments, current: 0 });
      const currents = progress.map((p) => p.current);
      assert.deepEqual(currents.slice(1, -1), Array.from({ length: segments }, (_, i) => i));
      assert.deepEqual(progress.at(-1), asyncDb.walReplayStatus);
      assert.ok(progress.every((p) => p.max === segments && p.min === 0));
      // Not a proof of slicing (a fast machine may finish within one slice), but one turn at least: open yields.
      assert.ok(turns >= 1, 'timers ran while the DB opened');
    } finally {
      await asyncDb.close();
      await syncDb.close();
    }
  } finally {
    tmp.remove();
  }
});

test('an aborted openAsync releases the lock and leaves the WAL untouched; a later open replays it all', { timeout: 120_000 }, async () => {
  const tmp = tempDir();
  try {
    const dir = join(tmp.path, 'data');
    writeWal(dir);
    const before = files(join(dir, 'wal'));
    const ac = new AbortController();
    const reason = new Error('test abort');
    ac.abort(reason);
    await assert.rejects(DB.openAsync(dir, {}, ac.signal), (e) => e === reason);
    assert.equal(existsSync(join(dir, 'lock')), false, 'lock released');
    assert.deepEqual(files(join(dir, 'wal')), before, 'no segment written or cut');

    const db = DB.open(dir, { compactIntervalMs: 3_600_000 });
    try {
      assert.equal(dump(db).length, SERIES);
    } finally {
      await db.close();
    }
  } finally {
    tmp.remove();
  }
});

test('records larger than one hand-over part (70,000 series and samples in one commit) replay whole', { timeout: 120_000 }, async () => {
  const tmp = tempDir();
  try {
    const n = 70_000;
    const wal = WAL.open(join(tmp.path, 'wal'), { compress: true });
    const refs = new Float64Array(n).map((_, i) => i + 1);
    const series = [...refs].map((ref) => ({ ref, labels: Labels.fromStrings('__name__', 'big', 'id', String(ref)) }));
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    const t0 = Date.now() - 60_000;
    for (let c = 0; c < 2; c++) {
      ts.fill(t0 + c * 15_000);
      for (let i = 0; i < n; i++) vs[i] = i * 10 + c;
      new WalSink(wal).commit({ series: c === 0 ? series : undefined, samples: { refs, ts, vs, n } });
    }
    wal.close();

    const db = await DB.openAsync(tmp.path, { compactIntervalMs: 3_600_000 });
    try {
      const all = dump(db);
      assert.equal(all.length, n);
      const expected = new Set(Array.from({ length: n }, (_, i) => `{__name__="big", id="${i + 1}"} ${t0}=${i * 10} ${t0 + 15_000}=${i * 10 + 1}`));
      assert.deepEqual(all.filter((line) => !expected.has(line)), []);
    } finally {
      await db.close();
    }
  } finally {
    tmp.remove();
  }
});
