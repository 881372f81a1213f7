/**
 * Process metrics with the names the Prometheus Go client and node exporter dashboards expect.
 * CPU comes from process.cpuUsage() (microsecond resolution, every platform); memory, file
 * descriptors and the kernel's start time from /proc on Linux, falling back to what Node
 * offers elsewhere.
 */
import type { Collector } from '../registry.js';
import type { MetricType } from '../family.js';
import { readMemory, readOpenFds, readMaxFds, readStartTime } from './procfs.js';
import { LabelCache, family, descs, type AggregatableFamily, type DefaultMetricsConfig } from './common.js';

export function processCollector(config: DefaultMetricsConfig = {}): Collector {
  const p = config.prefix ?? '';
  const labels = new LabelCache(config.labels).base;
  const linux = process.platform === 'linux';
  // The start time does not change; read it once.
  const startTime = (linux ? readStartTime() : undefined) ?? Math.round(Date.now() / 1000 - process.uptime());

  const n = {
    user: `${p}process_cpu_user_seconds_total`,
    system: `${p}process_cpu_system_seconds_total`,
    cpu: `${p}process_cpu_seconds_total`,
    start: `${p}process_start_time_seconds`,
    rss: `${p}process_resident_memory_bytes`,
    vsz: `${p}process_virtual_memory_bytes`,
    heap: `${p}process_heap_bytes`,
    fds: `${p}process_open_fds`,
    maxFds: `${p}process_max_fds`,
  };
  const shape: { name: string; type: MetricType; help: string }[] = [
    { name: n.user, type: 'counter', help: 'Total user CPU time spent in seconds.' },
    { name: n.system, type: 'counter', help: 'Total system CPU time spent in seconds.' },
    { name: n.cpu, type: 'counter', help: 'Total user and system CPU time spent in seconds.' },
    { name: n.start, type: 'gauge', help: 'Start time of the process since unix epoch in seconds.' },
    { name: n.rss, type: 'gauge', help: 'Resident memory size in bytes.' },
  ];
  if (linux) {
    shape.push(
      { name: n.vsz, type: 'gauge', help: 'Virtual memory size in bytes.' },
      { name: n.heap, type: 'gauge', help: 'Process heap size in bytes.' },
      { name: n.fds, type: 'gauge', help: 'Number of open file descriptors.' },
      { name: n.maxFds, type: 'gauge', help: 'Maximum number of open file descriptors.' },
    );
  }
  const help = new Map(shape.map((s) => [s.name, s.help]));
  const gauge = (name: string, value: number, aggregator?: 'min'): AggregatableFamily =>
    family(name, 'gauge', help.get(name)!, [{ labels, value }], aggregator);

  return {
    describe: () => descs(shape),
    collect() {
      const cpu = process.cpuUsage();
      const user = cpu.user / 1e6;
      const system = cpu.system / 1e6;
      const out: AggregatableFamily[] = [
        family(n.user, 'counter', help.get(n.user)!, [{ labels, value: user }]),
        family(n.system, 'counter', help.get(n.system)!, [{ labels, value: system }]),
        family(n.cpu, 'counter', help.get(n.cpu)!, [{ labels, value: user + system }]),
        // Across cluster workers the earliest start is the meaningful one.
        gauge(n.start, startTime, 'min'),
      ];
      const mem = linux ? readMemory() : undefined;
      out.push(gauge(n.rss, mem ? mem.residentBytes : process.memoryUsage.rss()));
      if (linux) {
        // A failed read leaves the family empty rather than exposing a made-up value.
        const fds = readOpenFds();
        const maxFds = readMaxFds();
        out.push(
          family(n.vsz, 'gauge', help.get(n.vsz)!, mem ? [{ labels, value: mem.virtualBytes }] : []),
          family(n.heap, 'gauge', help.get(n.heap)!, mem ? [{ labels, value: mem.heapBytes }] : []),
          family(n.fds, 'gauge', help.get(n.fds)!, fds === undefined ? [] : [{ labels, value: fds }]),
          family(n.maxFds, 'gauge', help.get(n.maxFds)!, maxFds === undefined ? [] : [{ labels, value: maxFds }]),
        );
      }
      return out;
    },
  };
}
