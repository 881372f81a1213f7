import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../testing/paths.js';
import { checkMetrics } from './check-metrics.js';

test('check metrics: clean fixture exits 0', () => {
  const res = checkMetrics(readFileSync(join(conformanceDir, 'promtool', 'metrics-test.prom')));
  assert.deepEqual(res, { code: 0, lines: [] });
});

test('check metrics: lint problems exit 3 with "metric reason" lines', () => {
  const res = checkMetrics(Buffer.from('# TYPE a counter\na 1\n'));
  assert.deepEqual(res, { code: 3, lines: ['a counter metrics should have "_total" suffix', 'a no help text'] });
});

test('check metrics: unparsable input exits 1 with line:column', () => {
  assert.deepEqual(checkMetrics(Buffer.from('ok 1\nbad{ 1\n')), { code: 1, lines: ['error while linting: 2:6: expected a label name'] });
});

test('check metrics: OpenMetrics is sniffed or forced and validated strictly', () => {
  const om = Buffer.from('# TYPE a counter\n# HELP a x\na_total 1\n# EOF\n');
  assert.deepEqual(checkMetrics(om), { code: 0, lines: [] });
  const bad = Buffer.from('# TYPE h histogram\n# HELP h x\nh_bucket{le="+Inf"} 1\nh_count 2\nh_sum 1\n# EOF\n');
  assert.deepEqual(checkMetrics(bad), { code: 1, lines: ['error while linting: 4:1: count must equal the +Inf bucket'] });
  // Without "# EOF" the text format is assumed; forcing OpenMetrics then reports the missing end.
  const noEof = Buffer.from('# HELP a x\n# TYPE a gauge\na 1\n');
  assert.equal(checkMetrics(noEof).code, 0);
  assert.deepEqual(checkMetrics(noEof, 'openmetrics'), { code: 1, lines: ['error while linting: 4:1: data does not end with "# EOF"'] });
});
