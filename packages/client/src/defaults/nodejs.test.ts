import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSpaceStatistics } from 'node:v8';
import { createServer } from 'node:net';
import { nodejsCollector } from './nodejs.js';
import type { MetricFamily } from '../family.js';

async function collect(): Promise<Map<string, MetricFamily>> {
  const fams = await nodejsCollector({ labels: { app: 'x' } }).collect();
  return new Map(fams.map((f) => [f.name, f]));
}

test('heap figures are the V8 figures', async () => {
  const fams = await collect();
  const total = fams.get('nodejs_heap_size_total_bytes')!.metrics[0]!.value!;
  const used = fams.get('nodejs_heap_size_used_bytes')!.metrics[0]!.value!;
  assert.ok(used > 0 && used <= total);
  const spaces = new Set(getHeapSpaceStatistics().map((s) => s.space_name.replace(/_space$/, '')));
  const f = fams.get('nodejs_heap_space_size_used_bytes')!;
  assert.deepEqual(new Set(f.metrics.map((m) => m.labels['space'])), spaces);
  assert.ok(spaces.has('new') && spaces.has('old'));
  for (const m of f.metrics) assert.equal(m.labels['app'], 'x');
  assert.ok(fams.get('nodejs_external_memory_bytes')!.metrics[0]!.value! > 0);
});

test('active resources and handles count a listening server', async () => {
  const before = await collect();
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const after = await collect();
    const get = (fams: Map<string, MetricFamily>, name: string, type?: string): number =>
      fams.get(name)!.metrics.find((m) => type === undefined || m.labels['type'] === type)?.value ?? 0;
    assert.equal(get(after, 'nodejs_active_resources', 'TCPServerWrap'), get(before, 'nodejs_active_resources', 'TCPServerWrap') + 1);
    assert.equal(get(after, 'nodejs_active_handles', 'Server'), get(before, 'nodejs_active_handles', 'Server') + 1);
    assert.equal(after.get('nodejs_active_resources_total'), undefined);
  } finally {
    server.close();
  }
});

test('version info carries the running version', async () => {
  const m = (await collect()).get('nodejs_version_info')!.metrics[0]!;
  const [major, minor, patch] = process.versions.node.split('.');
  assert.deepEqual(m.labels, { app: 'x', version: process.version, major, minor, patch });
  assert.equal(m.value, 1);
});
