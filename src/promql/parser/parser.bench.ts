/**
 * Parser throughput: parses every conformance eval expression repeatedly, and a few long
 * dashboard-style queries, then prints per-query times. Run `node dist/promql/parser/parser.bench.js`.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBinary, tempDir } from '../../testing/peers.js';
import { conformanceExpressions } from './testutil.js';
import { ALL_FEATURES, parseExpr } from './parser.js';
import { exprToString } from './printer.js';
import { prettify } from './prettier.js';

const LONG = [
  'sum by (job, instance) (rate(http_requests_total{job="api-server",handler=~"/api/v1/.*",code!~"5.."}[5m])) / on (job) group_left (instance) sum by (job) (rate(http_requests_total[5m]))',
  'histogram_quantile(0.99, sum without (instance, pod) (rate(apiserver_request_duration_seconds_bucket{verb!~"WATCH|CONNECT"}[5m:30s] offset 1h)))',
  '(1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))) * 100 > bool 80 and on (instance) up == 1',
];

function bench(name: string, exprs: readonly string[], fn: (q: string) => unknown): void {
  // Warm up the JIT, then run for about a second of CPU time.
  for (let i = 0; i < 3; i++) for (const q of exprs) fn(q);
  let n = 0;
  let bytes = 0;
  const start = process.cpuUsage();
  let cpuMicros = 0;
  while (cpuMicros < 1_000_000) {
    for (const q of exprs) {
      fn(q);
      bytes += q.length;
    }
    n += exprs.length;
    const used = process.cpuUsage(start);
    cpuMicros = used.user + used.system;
  }
  const secs = cpuMicros / 1e6;
  console.log(
    `${name.padEnd(34)} ${(n / secs).toFixed(0).padStart(8)} queries/s  ${((secs / n) * 1e6).toFixed(2).padStart(7)} µs/query  ${(bytes / secs / 1e6).toFixed(1)} MB/s`,
  );
}

const conformance = conformanceExpressions().map((c) => c.expr);
const parsed = conformance.map((q) => parseExpr(q, ALL_FEATURES));
bench('parse (1880 conformance queries)', conformance, (q) => parseExpr(q, ALL_FEATURES));
bench('parse (long dashboard queries)', LONG, (q) => parseExpr(q, ALL_FEATURES));
let i = 0;
bench('exprToString (conformance)', conformance, () => exprToString(parsed[i++ % parsed.length]!));
bench('prettify (long)', LONG, (q) => prettify(parseExpr(q, ALL_FEATURES)));

function promtoolCpuSeconds(promtool: string, file: string): number | undefined {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', promtool, 'check', 'rules', file], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return user! + sys!;
}

const RULES = 15_000;
const promtool = findBinary('promtool');
if (promtool !== undefined && findBinary('time') !== undefined) {
  const dir = tempDir('pyrometer-parser-bench-');
  try {
    const write = (name: string, exprs: readonly string[]): string => {
      let yaml = 'groups:\n  - name: bench\n    rules:\n';
      for (let k = 0; k < RULES; k++) yaml += `      - record: r:${k}\n        expr: ${JSON.stringify(exprs[k % exprs.length])}\n`;
      const file = join(dir.path, name);
      writeFileSync(file, yaml);
      return file;
    };
    const long = promtoolCpuSeconds(promtool, write('long.yml', LONG));
    const trivial = promtoolCpuSeconds(promtool, write('trivial.yml', ['vector(1)']));
    if (long !== undefined && trivial !== undefined) {
      console.log(`promtool check rules: ${(((long - trivial) / RULES) * 1e6).toFixed(1)} µs CPU per long rule beyond a trivial one`);
    }
  } finally {
    dir.remove();
  }
}
