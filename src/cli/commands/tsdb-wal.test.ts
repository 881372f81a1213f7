import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { tempDir } from '../../testing/peers.js';
import { WAL } from '../../tsdb/wlog/writer.js';
import { WalSink } from '../../tsdb/wlog/sink.js';
import { tsdbWalCommand } from './tsdb-wal.js';

/** Runs the command in-process with stdout/stderr captured. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await tsdbWalCommand.run(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

test('tool tsdb wal summarizes segments and reports damage without repairing it', async () => {
  const tmp = tempDir();
  try {
    const walDir = join(tmp.path, 'wal');
    const wal = WAL.open(walDir);
    const sink = new WalSink(wal);
    sink.commit({ series: [{ ref: 1, labels: Labels.fromStrings('__name__', 'a') }], samples: { refs: [1], ts: [60_000], vs: [1], n: 1 } });
    sink.commit({ samples: { refs: [1, 1], ts: [120_000, 180_000], vs: [2, 3], n: 2 } });
    wal.close();
    let r = await run([tmp.path]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'SEGMENT\tBYTES\tRECORDS\tSERIES\tSAMPLES\tOTHER\tMIN TIME\tMAX TIME');
    const size = statSync(join(walDir, '00000000')).size;
    assert.equal(lines[1], `00000000\t${size}\t3\t1\t3\t0\t1970-01-01T00:01:00.000Z\t1970-01-01T00:03:00.000Z`);

    // Cut 3 bytes into the last record (the closed segment ends in zero padding).
    const seg = join(walDir, '00000000');
    const bytes = readFileSync(seg);
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    writeFileSync(seg, bytes.subarray(0, end - 3));
    r = await run([walDir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /error: WAL corruption in segment 0 at offset \d+/);
    assert.equal(statSync(seg).size, end - 3, 'read-only: nothing repaired');
    assert.equal((await run([join(tmp.path, 'nope')])).code, 1);
  } finally {
    tmp.remove();
  }
});
