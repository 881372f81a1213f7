import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir, repoRoot } from '../../testing/paths.js';
import { Head } from '../../tsdb/head/head.js';
import { runConformance, summarize } from './conformance.js';

// Float statements known to fail, as `file:line`; any other failure fails this test.
const KNOWN_FAILING = join(repoRoot, 'src', 'promql', 'promqltest', 'known_failing.txt');

test('upstream PromQL test scripts over the head storage', async () => {
  const known = new Set(
    readFileSync(KNOWN_FAILING, 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l !== ''),
  );
  // Scripts load samples out of order across `load` commands, so the head accepts any age.
  const outcomes = await runConformance(join(conformanceDir, 'promql'), {
    newStorage: () => new Head({ outOfOrderTimeWindow: Number.MAX_SAFE_INTEGER }),
  });
  for (const line of summarize(outcomes)) console.log(line);
  const unexpected: string[] = [];
  const nowPassing: string[] = [];
  for (const o of outcomes) {
    for (const r of o.results) {
      const id = `${o.file}:${r.line}`;
      if (r.status === 'failed' && !known.has(id)) unexpected.push(`${id} ${r.expr}\n    ${r.message}`);
      if (r.status === 'passed' && known.has(id)) nowPassing.push(id);
    }
  }
  if (nowPassing.length > 0) console.log(`now passing, remove from known_failing.txt:\n  ${nowPassing.join('\n  ')}`);
  assert.deepEqual(unexpected, [], `statements failing that are not in known_failing.txt:\n${unexpected.join('\n')}`);
});
