import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../testing/peers.js';
import { runCli } from '../../testing/cli.js';

const SCRIPT = `load 5m
  http_requests{job="api", instance="0"} 0+10x10
  http_requests{job="api", instance="1"} 0+20x10

eval instant at 50m sum by (job) (http_requests)
  {job="api"} 300

eval range from 0 to 10m step 5m rate(http_requests_total[5m])

eval instant at 50m http_requests{instance="0"}
  http_requests{job="api", instance="0"} 99
`;

test('tool test promql: counts passed and failed eval statements, exit 1 on failure', async () => {
  const dir = tempDir();
  try {
    const file = join(dir.path, 'x.test');
    writeFileSync(file, SCRIPT);
    const r = await runCli(['tool', 'test', 'promql', file]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[lines.length - 1], '2 passed, 1 failed');
    assert.match(r.stdout, /x\.test:10: http_requests\{instance="0"\}\n  expected 99 for .* but got 100/);
    const good = join(dir.path, 'ok.test');
    writeFileSync(good, SCRIPT.split('\neval instant at 50m http_requests{')[0]);
    const ok = await runCli(['tool', 'test', 'promql', good]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal(ok.stdout, '2 passed, 0 failed\n');
  } finally {
    dir.remove();
  }
});
