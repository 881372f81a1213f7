/** Node.js runtime metrics: V8 heap and heap spaces, active handles/requests/resources, version. */
import { getHeapSpaceStatistics } from 'node:v8';
import type { Collector } from '../registry.js';
import type { MetricPoint } from '../family.js';
import { LabelCache, family, descs, type AggregatableFamily, type DefaultMetricsConfig } from './common.js';

/** Undocumented but long-standing Node APIs that list libuv handles and requests by object. */
interface ProcessInternals {
  _getActiveHandles?: () => object[];
  _getActiveRequests?: () => object[];
}

function countBy(items: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

function* typeNames(objects: object[]): Iterable<string> {
  for (const o of objects) yield o?.constructor?.name ?? 'unknown';
}

/** `new_space` → `new`, as prom-client labels heap spaces. */
function spaceLabel(spaceName: string): string {
  return spaceName.endsWith('_space') ? spaceName.slice(0, -6) : spaceName;
}

export function nodejsCollector(config: DefaultMetricsConfig = {}): Collector {
  const p = config.prefix ?? '';
  const base = new LabelCache(config.labels).base;
  const bySpace = new LabelCache(config.labels, 'space');
  const byType = new LabelCache(config.labels, 'type');
  const internals = process as unknown as ProcessInternals;
  const [major, minor, patch] = process.versions.node.split('.');
  const versionLabels = Object.freeze({ ...base, version: process.version, major: major!, minor: minor!, patch: patch! });

  const shape: { name: string; type: 'gauge'; help: string }[] = [
    { name: `${p}nodejs_heap_size_total_bytes`, type: 'gauge', help: 'Process heap size from Node.js in bytes.' },
    { name: `${p}nodejs_heap_size_used_bytes`, type: 'gauge', help: 'Process heap size used from Node.js in bytes.' },
    { name: `${p}nodejs_external_memory_bytes`, type: 'gauge', help: 'Node.js external memory size in bytes.' },
    { name: `${p}nodejs_heap_space_size_total_bytes`, type: 'gauge', help: 'Process heap space size total from Node.js in bytes.' },
    { name: `${p}nodejs_heap_space_size_used_bytes`, type: 'gauge', help: 'Process heap space size used from Node.js in bytes.' },
    { name: `${p}nodejs_heap_space_size_available_bytes`, type: 'gauge', help: 'Process heap space size available from Node.js in bytes.' },
    { name: `${p}nodejs_active_resources`, type: 'gauge', help: 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.' },
    { name: `${p}nodejs_version_info`, type: 'gauge', help: 'Node.js version info.' },
  ];
  const hasHandles = typeof internals._getActiveHandles === 'function';
  const hasRequests = typeof internals._getActiveRequests === 'function';
  if (hasHandles) {
    shape.push({ name: `${p}nodejs_active_handles`, type: 'gauge', help: 'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.' });
  }
  if (hasRequests) {
    shape.push({ name: `${p}nodejs_active_requests`, type: 'gauge', help: 'Number of active libuv requests grouped by request type. Every request type is C++ class name.' });
  }
  const help = new Map(shape.map((s) => [s.name, s.help]));
  /** `name` without the prefix. */
  const f = (name: string, metrics: MetricPoint[], aggregator?: 'first'): AggregatableFamily =>
    family(p + name, 'gauge', help.get(p + name)!, metrics, aggregator);
  /**
   * Per-type counts as `name{type}`. prom-client also exports `name_total` gauges; they are left
   * out because Prometheus reserves `_total` for counters (promtool check metrics rejects them)
   * and `sum(name)` gives the same number.
   */
  const grouped = (name: string, counts: Map<string, number>): AggregatableFamily => {
    const points: MetricPoint[] = [];
    for (const [type, n] of counts) points.push({ labels: byType.with(type), value: n });
    return f(name, points);
  };

  return {
    describe: () => descs(shape),
    collect() {
      const mem = process.memoryUsage();
      const total: MetricPoint[] = [];
      const used: MetricPoint[] = [];
      const available: MetricPoint[] = [];
      for (const s of getHeapSpaceStatistics()) {
        const labels = bySpace.with(spaceLabel(s.space_name));
        total.push({ labels, value: s.space_size });
        used.push({ labels, value: s.space_used_size });
        available.push({ labels, value: s.space_available_size });
      }
      const out: AggregatableFamily[] = [
        f('nodejs_heap_size_total_bytes', [{ labels: base, value: mem.heapTotal }]),
        f('nodejs_heap_size_used_bytes', [{ labels: base, value: mem.heapUsed }]),
        f('nodejs_external_memory_bytes', [{ labels: base, value: mem.external }]),
        f('nodejs_heap_space_size_total_bytes', total),
        f('nodejs_heap_space_size_used_bytes', used),
        f('nodejs_heap_space_size_available_bytes', available),
        grouped('nodejs_active_resources', countBy(process.getActiveResourcesInfo())),
        // Every worker runs the same binary; summing a constant 1 would be meaningless.
        f('nodejs_version_info', [{ labels: versionLabels, value: 1 }], 'first'),
      ];
      if (hasHandles) out.push(grouped('nodejs_active_handles', countBy(typeNames(internals._getActiveHandles!()))));
      if (hasRequests) out.push(grouped('nodejs_active_requests', countBy(typeNames(internals._getActiveRequests!()))));
      return out;
    },
  };
}
