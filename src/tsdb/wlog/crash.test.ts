/**
 * Crash test: a child process logs records and acknowledges each one on stdout after `log()`
 * returned; it is killed with SIGKILL at a random point. On reopen every acknowledged record
 * must be there, intact and in order; beyond them only a prefix of the batch whose write was in
 * flight may appear, and a torn tail must be repaired.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../testing/peers.js';
import { crashRecord } from './crash-child.js';
import { WalCorruptionError, WalReader } from './reader.js';
import { repairWal } from './repair.js';
import { listSegments } from './segment.js';

const here = fileURLToPath(import.meta.url);
const fromSource = here.endsWith('.ts');
const childPath = here.replace(/crash\.test\.(ts|js)$/, `crash-child.${fromSource ? 'ts' : 'js'}`);

/** Runs the child until it has acknowledged `killAfter` records, SIGKILLs it, returns acked ids. */
function runChild(dir: string, firstId: number, compress: boolean, killAfter: number): Promise<number[]> {
  const args = [...(fromSource ? ['--import', 'tsx'] : []), childPath, dir, String(firstId), compress ? '1' : '0'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let killed = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!killed && out.split('\n').length - 1 >= killAfter) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`child exited ${code}/${signal}: ${err}`));
      // Only complete lines count: a partial last line was never fully acknowledged.
      const lines = out.split('\n');
      lines.pop();
      resolve(lines.map(Number));
    });
  });
}

test('SIGKILLed writer: every acknowledged record survives, none invented, torn tails repaired', { timeout: 60_000 }, async () => {
  const tmp = tempDir();
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const allAcked: number[] = [];
  let repairs = 0;
  let inFlightFound = 0;
  try {
    let nextId = 0;
    for (let iter = 0; iter < 5; iter++) {
      const acked = await runChild(tmp.path, nextId, iter % 2 === 1, 50 + rnd(2000));
      assert.ok(acked.length > 0, `iteration ${iter}: the child acknowledged records`);
      allAcked.push(...acked);
      const maxAcked = acked.at(-1)!;

      let r = new WalReader(listSegments(tmp.path), tmp.path);
      let found: number[] = [];
      const check = (): void => {
        found = [];
        while (r.next()) {
          const rec = r.record();
          const id = new DataView(rec.buffer, rec.byteOffset).getUint32(0);
          assert.deepEqual(rec, crashRecord(id), `record ${id} is intact`);
          found.push(id);
        }
        r.close();
      };
      check();
      if (r.err) {
        assert.ok(r.err instanceof WalCorruptionError, String(r.err));
        repairWal(tmp.path, r.err);
        repairs++;
        r = new WalReader(listSegments(tmp.path), tmp.path);
        check();
        assert.equal(r.err, undefined);
      }
      // All acknowledged ids, in order; beyond them only the start of the in-flight batch (at most 64).
      assert.deepEqual(found.slice(0, allAcked.length), allAcked, `iteration ${iter}: acknowledged records present in order`);
      const extra = found.slice(allAcked.length);
      assert.ok(extra.length <= 64 && extra.every((id, k) => id === maxAcked + 1 + k), `unexpected extra records ${extra}`);
      inFlightFound += extra.length;
      allAcked.push(...extra);
      nextId = allAcked.at(-1)! + 1;
    }
    process.stdout.write(`# crash test: ${allAcked.length} records, ${repairs} torn tail(s) repaired, ${inFlightFound} unacknowledged in-flight record(s) found complete\n`);
  } finally {
    tmp.remove();
  }
});
