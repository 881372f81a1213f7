import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { processCollector } from './process.js';
import { readMemory } from './procfs.js';
import type { MetricFamily } from '../family.js';

async function collect(prefix = ''): Promise<Map<string, MetricFamily>> {
  const fams = await processCollector({ prefix, labels: { app: 'x' } }).collect();
  return new Map(fams.map((f) => [f.name, f]));
}

function value(fams: Map<string, MetricFamily>, name: string): number {
  const f = fams.get(name);
  assert.ok(f, `${name} missing`);
  assert.equal(f.metrics.length, 1, `${name} has ${f.metrics.length} points`);
  assert.deepEqual(f.metrics[0]!.labels, { app: 'x' });
  return f.metrics[0]!.value!;
}

test('cpu counters bracket process.cpuUsage()', async () => {
  const t0 = Date.now();
  while (Date.now() - t0 < 50); // some CPU to measure
  const before = process.cpuUsage();
  const fams = await collect();
  const after = process.cpuUsage();
  const user = value(fams, 'process_cpu_user_seconds_total');
  const system = value(fams, 'process_cpu_system_seconds_total');
  assert.ok(user >= before.user / 1e6 && user <= after.user / 1e6, `user ${user}`);
  assert.ok(system >= before.system / 1e6 && system <= after.system / 1e6, `system ${system}`);
  assert.equal(value(fams, 'process_cpu_seconds_total'), user + system);
  assert.equal(fams.get('process_cpu_seconds_total')!.type, 'counter');
});

test('memory, fds and start time agree with the kernel', { skip: process.platform !== 'linux' && 'Linux only' }, async () => {
  const fams = await collect('my_');
  // Memory moves between two reads; the exact /proc parsing is checked against ps in procfs.test.ts.
  const mem = readMemory()!;
  assert.ok(Math.abs(value(fams, 'my_process_resident_memory_bytes') - mem.residentBytes) < 16 << 20);
  assert.ok(Math.abs(value(fams, 'my_process_virtual_memory_bytes') - mem.virtualBytes) < 64 << 20);
  assert.ok(Math.abs(value(fams, 'my_process_heap_bytes') - mem.heapBytes) < 64 << 20);
  const limit = execFileSync('sh', ['-c', 'ulimit -Sn'], { encoding: 'utf8' }).trim();
  assert.equal(value(fams, 'my_process_max_fds'), limit === 'unlimited' ? Infinity : Number(limit));
  const open = value(fams, 'my_process_open_fds');
  const fds = [0, 1, 2].map(() => openSync('/proc/self/stat', 'r'));
  try {
    assert.equal(value(await collect('my_'), 'my_process_open_fds'), open + 3);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  const start = value(fams, 'my_process_start_time_seconds');
  assert.ok(Math.abs(start - (Date.now() / 1000 - process.uptime())) < 1.5, `start ${start}`);
});

test('describe matches what collect produces', async () => {
  const c = processCollector();
  const described = c.describe!().map((d) => `${d.name}:${d.type}`).sort();
  const collected = (await c.collect()).map((f) => `${f.name}:${f.type}`).sort();
  assert.deepEqual(collected, described);
});
