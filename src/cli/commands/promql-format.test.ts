import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../testing/cli.js';
import { formatQuery } from './promql-format.js';

test('promql format: canonical and split output', () => {
  assert.deepEqual(formatQuery('sum(rate(x{b="2",a="1"}[5m])) by (job)'), {
    code: 0,
    out: 'sum by (job) (rate(x{a="1",b="2"}[5m]))\n',
  });
  const long = formatQuery(
    'sum by (job, instance) (rate(http_requests_total{job="api-server",handler=~"/api/v1/.*"}[5m])) / on (job) group_left sum by (job) (rate(x[5m]))',
  );
  assert.equal(long.code, 0);
  assert.equal(
    long.out,
    [
      '  sum by (job, instance) (rate(http_requests_total{handler=~"/api/v1/.*",job="api-server"}[5m]))',
      '/ on (job) group_left ()',
      '  sum by (job) (rate(x[5m]))',
      '',
    ].join('\n'),
  );
  assert.deepEqual(formatQuery('foo{'), { code: 1, out: 'error: 1:5: parse error: unexpected end of input inside braces\n' });
});

test('promql format: command line', async () => {
  const ok = await runCli(['tool', 'promql', 'format', 'a+b']);
  assert.deepEqual(ok, { code: 0, stdout: 'a + b\n', stderr: '' });
  const bad = await runCli(['tool', 'promql', 'format']);
  assert.equal(bad.code, 2);
});
