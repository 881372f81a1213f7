/**
 * `pyrometer tool check metrics` against the real `promtool check metrics` on the same
 * text-format inputs: the exit codes and the lint problems must agree. (promtool reads only
 * the text format, so OpenMetrics inputs are not compared.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cardinalityTable, checkMetrics } from '../cli/commands/check-metrics.js';
import { conformanceDir } from '../testing/paths.js';
import { requirePeer } from '../testing/peers.js';

const INPUTS: Array<[string, string]> = [
  ['metrics-test.prom (upstream fixture)', readFileSync(join(conformanceDir, 'promtool', 'metrics-test.prom'), 'utf8')],
  [
    'naming problems',
    [
      '# HELP http_requestsTotal Requests.',
      '# TYPE http_requestsTotal counter',
      'http_requestsTotal{statusCode="200"} 3',
      '# HELP job:latency_ms:avg Recorded.',
      '# TYPE job:latency_ms:avg gauge',
      'job:latency_ms:avg 1',
      '# HELP queue_gauge A gauge named gauge.',
      '# TYPE queue_gauge gauge',
      'queue_gauge{le="1",quantile="0.5"} 1',
      '# HELP size_kilobytes Size.',
      '# TYPE size_kilobytes gauge',
      'size_kilobytes 3',
      '# HELP reqs_count A count gauge.',
      '# TYPE reqs_count gauge',
      'reqs_count 1',
      '# HELP reqs_bucket A bucket counter.',
      '# TYPE reqs_bucket counter',
      'reqs_bucket 1',
      '# HELP lat_seconds Latency.',
      '# TYPE lat_seconds histogram',
      'lat_seconds_bucket{le="0.1"} 1',
      'lat_seconds_bucket{le="+Inf"} 2',
      'lat_seconds_sum 0.3',
      'lat_seconds_count 2',
      '# HELP rpc_duration_hours RPC.',
      '# TYPE rpc_duration_hours summary',
      'rpc_duration_hours{quantile="0.5"} 1',
      'rpc_duration_hours_sum 2',
      'rpc_duration_hours_count 3',
      'untyped_sum 1',
      'weight_pounds_total{unitName="lb"} 1',
      'disk_io_time_ms_total 5',
      '# TYPE a counter',
      'a_total 1',
      '',
    ].join('\n'),
  ],
  ['clean with comments and blank lines', '# a comment\n\n# HELP up_total Up.\n# TYPE up_total counter\nup_total{job="x"} 1 1700000000000\n'],
  ['label set syntax error', 'a{b="1" c="2"} 1\n'],
  ['second TYPE line', '# TYPE a gauge\n# TYPE a gauge\na 1\n'],
  ['TYPE after samples', 'a 1\n# TYPE a gauge\n'],
  ['invalid metric type', '# TYPE a gaugee\na 1\n'],
  ['bad value', 'a one\n'],
  ['unknown escape', 'a{b="x\\qy"} 1\n'],
];

/** Rules promlint gained after Prometheus 2.x; an older peer cannot report them. */
const NEWER_RULES = ['metric not unique', 'non-gauge metrics should not have "_timestamp_seconds" suffix'];

test('check metrics agrees with promtool check metrics', (t) => {
  const promtool = requirePeer('promtool', t);
  if (!promtool) return;
  const version = spawnSync(promtool, ['--version'], { encoding: 'utf8', timeout: 20_000 }).stdout;
  const major = Number(/version (\d+)\./.exec(version)?.[1] ?? '0');
  for (const [name, input] of INPUTS) {
    const peer: SpawnSyncReturns<string> = spawnSync(promtool, ['check', 'metrics'], { input, encoding: 'utf8', timeout: 20_000 });
    assert.equal(peer.error, undefined, `${name}: promtool did not run`);
    const ours = checkMetrics(Buffer.from(input));
    assert.equal(ours.code, peer.status, `${name}: exit code ${ours.code}, promtool ${peer.status}\nours: ${ours.lines.join('\n')}\npromtool: ${peer.stderr}`);
    if (peer.status === 1) continue;
    if (peer.status === 0) {
      const extended: SpawnSyncReturns<string> = spawnSync(promtool, ['check', 'metrics', '--extended'], { input, encoding: 'utf8', timeout: 20_000 });
      assert.equal(cardinalityTable(ours.families), extended.stdout, `${name}: --extended table`);
    }
    const peerProblems = peer.stderr.split('\n').filter((l) => l !== '');
    const ourProblems = ours.lines.filter((l) => major >= 3 || !NEWER_RULES.some((r) => l.endsWith(` ${r}`)));
    assert.deepEqual(ourProblems, peerProblems, name);
  }
});
