import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Matcher, MatchType } from '../model/matcher.js';
import { ValueType } from '../storage/interface.js';
import { tempDir } from '../testing/peers.js';
import { DB } from './db.js';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const writer = fileURLToPath(new URL(`./testing/crash-writer${ext}`, import.meta.url));
const SERIES = 20;

/** Runs the writer from batch `start` until `killAfterMs`, then SIGKILL; returns the acknowledged batch ids. */
function runAndKill(dir: string, start: number, killAfterMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, writer, dir, String(start), String(SERIES)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    // 'close', not 'exit': only then has all of the child's output been read.
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer (start ${start}) exited on its own:\n${err}\nstdout tail: ${out.slice(-300)}`));
      // The last line may be cut by the kill; only whole lines were acknowledged.
      const lines = out.split('\n');
      lines.pop();
      resolve(lines.filter((l) => /^\d+$/.test(l)).map(Number));
    });
  });
}

test('kill -9 at random points loses no acknowledged sample and invents none', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  try {
    const acked = new Set<number>();
    let next = 0;
    for (let round = 0; round < 5; round++) {
      const ids = await runAndKill(dir.path, next, 1500 + Math.floor(Math.random() * 1500));
      for (const id of ids) acked.add(id);
      // The writer itself resumes after everything that reached the WAL, acknowledged or not.
      next = (ids.length ? ids[ids.length - 1] : next) + 1;
    }
    assert.ok(acked.size > 0, 'the writer acknowledged batches');

    const db = DB.open(dir.path, { compactIntervalMs: 3_600_000 });
    try {
      const q = db.querier(-Infinity, Infinity);
      const set = q.select(true, undefined, [Matcher.create(MatchType.Equal, '__name__', 'crash_test')]);
      const found = new Map<number, number>();
      let seriesSeen = 0;
      while (set.next()) {
        seriesSeen++;
        const s = Number(set.at().labels.get('series'));
        const it = set.at().iterator();
        while (it.next() !== ValueType.None) {
          const i = it.atT() / 1000;
          assert.equal(it.atV(), i * 100 + s, `value of series ${s} at batch ${i} is what was written`);
          found.set(i, (found.get(i) ?? 0) + 1);
        }
      }
      q.close();
      assert.equal(seriesSeen, SERIES);
      const missing = [...acked].filter((i) => found.get(i) !== SERIES);
      assert.deepEqual(missing, [], 'every acknowledged batch is complete');
      for (const [i, n] of found) assert.equal(n, SERIES, `batch ${i} is all-or-nothing`);
      console.log(`crash test: ${acked.size} acknowledged batches over 5 kills, all present; ${found.size - acked.size} unacknowledged batches also reached the WAL`);
    } finally {
      await db.close();
    }
  } finally {
    dir.remove();
  }
});
