import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { platform } from 'node:os';
import {
  parseStat, parseStatusMemory, parseMaxFds, parseBootTime,
  readStat, readMemory, readOpenFds, readMaxFds, readStartTime,
} from './procfs.js';

const linux = platform() === 'linux';

test('parseStat counts fields after the last parenthesis of the command name', () => {
  const fields = ['S', ...Array.from({ length: 49 }, (_, i) => String(i + 4))];
  fields[14 - 3] = '250'; // utime ticks
  fields[15 - 3] = '50';
  fields[22 - 3] = '12345';
  fields[23 - 3] = '1048576';
  fields[24 - 3] = '300';
  const s = parseStat(`42 (we ird) (x)) ${fields.join(' ')}\n`);
  assert.deepEqual(s, { utimeSeconds: 2.5, stimeSeconds: 0.5, startTicks: 12345, virtualBytes: 1048576, rssPages: 300 });
  assert.equal(parseStat('garbage'), undefined);
});

test('parse status, limits and /proc/stat text', () => {
  const status = 'Name:\tnode\nVmPeak:\t  10 kB\nVmSize:\t    2048 kB\nVmData:\t 100 kB\nVmRSS:\t    512 kB\n';
  assert.deepEqual(parseStatusMemory(status), { residentBytes: 512 * 1024, virtualBytes: 2048 * 1024, heapBytes: 100 * 1024 });
  assert.equal(parseStatusMemory('Name:\tx\n'), undefined);
  assert.equal(parseMaxFds('Limit  Soft Limit Hard Limit Units\nMax open files            1024                 4096                 files\n'), 1024);
  assert.equal(parseMaxFds('Max open files            unlimited            unlimited            files\n'), Infinity);
  assert.equal(parseBootTime('cpu  1 2 3\nbtime 1700000000\nprocesses 5\n'), 1700000000);
});

test('memory of a sleeping child matches ps exactly', { skip: !linux && 'Linux only' }, async () => {
  const child = spawn('sleep', ['5'], { stdio: 'ignore' });
  try {
    await new Promise((r) => child.once('spawn', r));
    const [rss, vsz] = execFileSync('ps', ['-o', 'rss=,vsz=', '-p', String(child.pid)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    const mem = readMemory(child.pid!)!;
    assert.equal(mem.residentBytes, rss! * 1024);
    assert.equal(mem.virtualBytes, vsz! * 1024);
    assert.equal(readStat(child.pid!)!.virtualBytes, vsz! * 1024);
    assert.ok(mem.heapBytes > 0 && mem.heapBytes <= mem.virtualBytes);
  } finally {
    child.kill();
  }
});

test('open fds of a child with known descriptors, and of this process across opens', { skip: !linux && 'Linux only' }, async () => {
  // A sleeping child's descriptor table is fixed, so an outside listing must agree exactly.
  const child = spawn('sleep', ['5'], { stdio: ['ignore', 'pipe', 'ignore', 'pipe'] });
  try {
    await new Promise((r) => child.once('spawn', r));
    const listed = execFileSync('ls', [`/proc/${child.pid}/fd`], { encoding: 'utf8' }).trim().split('\n');
    assert.ok(listed.includes('3'), `child fds: ${listed.join(' ')}`);
    assert.equal(readOpenFds(child.pid!), listed.length);
  } finally {
    child.kill();
  }
  const before = readOpenFds()!;
  const fds = [0, 1, 2, 3, 4].map(() => openSync('/proc/self/stat', 'r'));
  try {
    assert.equal(readOpenFds(), before + 5);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  assert.equal(readOpenFds(), before);
});

test('max fds equal the shell soft limit', { skip: !linux && 'Linux only' }, () => {
  const soft = execFileSync('sh', ['-c', 'ulimit -Sn'], { encoding: 'utf8' }).trim();
  assert.equal(readMaxFds(), soft === 'unlimited' ? Infinity : Number(soft));
});

test('start time and cpu agree with Node', { skip: !linux && 'Linux only' }, () => {
  const start = readStartTime()!;
  const nodeStart = Date.now() / 1000 - process.uptime();
  // btime is whole seconds and ticks are 10 ms.
  assert.ok(Math.abs(start - nodeStart) < 1.5, `start ${start} vs ${nodeStart}`);
  const t0 = Date.now();
  while (Date.now() - t0 < 150); // burn some user CPU
  const cpu = process.cpuUsage();
  const stat = readStat()!;
  assert.ok(Math.abs(stat.utimeSeconds - cpu.user / 1e6) < 0.1, `utime ${stat.utimeSeconds} vs ${cpu.user / 1e6}`);
  assert.ok(Math.abs(stat.stimeSeconds - cpu.system / 1e6) < 0.1, `stime ${stat.stimeSeconds} vs ${cpu.system / 1e6}`);
});
