import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { conformanceDir } from '../../testing/paths.js';
import { runCli } from '../../testing/cli.js';

test('tool check config: valid file exits 0, invalid exits 1 with file:line and reason', async () => {
  const good = join(conformanceDir, 'config', 'conf.good.yml');
  const bad = join(conformanceDir, 'config', 'jobname_dup.bad.yml');
  const ok = await runCli(['tool', 'check', 'config', good]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /SUCCESS: .*conf\.good\.yml is valid prometheus config file syntax/);
  const failed = await runCli(['tool', 'check', 'config', good, bad]);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /FAILED: .*jobname_dup\.bad\.yml:5:3: found multiple scrape configs with job name "prometheus"/);
});
