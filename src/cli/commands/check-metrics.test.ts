import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { conformanceDir } from '../../testing/paths.js';
import { cardinalityTable, checkMetrics, type CheckMetricsResult } from './check-metrics.js';

const brief = (r: CheckMetricsResult) => ({ code: r.code, lines: r.lines });

test('check metrics: clean fixture exits 0', () => {
  const res = checkMetrics(readFileSync(join(conformanceDir, 'promtool', 'metrics-test.prom')));
  assert.deepEqual(brief(res), { code: 0, lines: [] });
  assert.equal(
    cardinalityTable(res.families),
    [
      'Metric                                         Cardinality    Percentage    ',
      'prometheus_tsdb_compaction_chunk_size_bytes    15             55.56%        ',
      'go_gc_duration_seconds                         7              25.93%        ',
      'net_conntrack_dialer_conn_attempted_total      4              14.81%        ',
      'go_info                                        1              3.70%         ',
      'Total                                          27             100%          ',
      '',
    ].join('\n'),
  );
});

test('check metrics: lint problems exit 3 with "metric reason" lines', () => {
  const res = checkMetrics(Buffer.from('# TYPE a counter\na 1\n'));
  assert.deepEqual(brief(res), { code: 3, lines: ['a counter metrics should have "_total" suffix', 'a no help text'] });
});

test('check metrics: unparsable input exits 1 with line:column', () => {
  assert.deepEqual(brief(checkMetrics(Buffer.from('ok 1\nbad{ 1\n'))), { code: 1, lines: ['error while linting: 2:6: expected a label name'] });
});

test('check metrics: OpenMetrics is sniffed or forced and validated strictly', () => {
  const om = Buffer.from('# TYPE a counter\n# HELP a x\na_total 1\n# EOF\n');
  assert.deepEqual(brief(checkMetrics(om)), { code: 0, lines: [] });
  const bad = Buffer.from('# TYPE h histogram\n# HELP h x\nh_bucket{le="+Inf"} 1\nh_count 2\nh_sum 1\n# EOF\n');
  assert.deepEqual(brief(checkMetrics(bad)), { code: 1, lines: ['error while linting: 4:1: count must equal the +Inf bucket'] });
  // Without "# EOF" the text format is assumed; forcing OpenMetrics then reports the missing end.
  const noEof = Buffer.from('# HELP a x\n# TYPE a gauge\na 1\n');
  assert.equal(checkMetrics(noEof).code, 0);
  assert.deepEqual(brief(checkMetrics(noEof, 'openmetrics')), { code: 1, lines: ['error while linting: 4:1: data does not end with "# EOF"'] });
});

test('check metrics: the CLI reads stdin and exits with the result code', () => {
  // Runs the real entry point (src under tsx, or dist), inheriting the loader flags.
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const entry = fileURLToPath(new URL(`../entry.${ext}`, import.meta.url));
  const run = (args: string[], input: string) =>
    spawnSync(process.execPath, [...process.execArgv, entry, 'tool', 'check', 'metrics', ...args], { input, encoding: 'utf8', timeout: 60_000 });
  const lint = run([], '# HELP a_total x\n# TYPE a_total counter\na_total 1\nfooBar 2\n');
  assert.equal(lint.status, 3, lint.stderr);
  assert.equal(lint.stderr, "fooBar metric names should be written in 'snake_case' not 'camelCase'\nfooBar no help text\n");
  const bad = run(['--format', 'json'], '');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown format "json"/);
});
