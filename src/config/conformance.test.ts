import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../testing/paths.js';
import { loadConfigFile } from './config.js';

const dir = join(conformanceDir, 'config');
const expected = new Map<string, string>(
  (JSON.parse(readFileSync(join(dir, 'expected_errors.json'), 'utf8')) as { file: string; error_contains: string }[]).map(
    (e) => [e.file, e.error_contains],
  ),
);

// Upstream reports some errors with its own file prefix ("parsing YAML file testdata/x: ...").
function fragment(file: string): string {
  const f = expected.get(file) ?? '';
  return f.replace(/^parsing YAML file [^:]+: /, '');
}

test('config conformance: every *.good.yml loads, every *.bad.yml is rejected', () => {
  const files = readdirSync(dir).sort();
  const goodFail: string[] = [];
  const badAccepted: string[] = [];
  const wrongReason: string[] = [];
  let good = 0;
  let bad = 0;
  let reasonChecked = 0;
  for (const f of files) {
    const path = join(dir, f);
    if (f.endsWith('.good.yml') || f === 'otlp_empty.yml' || f.startsWith('scrape_config_') && f.endsWith('_validation_mode.yml')) {
      good++;
      try {
        loadConfigFile(path, { agentMode: f.startsWith('agent_mode') });
      } catch (e) {
        goodFail.push(`${f}: ${(e as Error).message}`);
      }
    } else if (f.endsWith('.bad.yml') || f.endsWith('.incompatible.yml') || (f.startsWith('agent_mode.') && f !== 'agent_mode.good.yml')) {
      bad++;
      try {
        loadConfigFile(path, { agentMode: f.startsWith('agent_mode') });
        badAccepted.push(f);
      } catch (e) {
        const want = fragment(f);
        if (want) {
          reasonChecked++;
          if (!(e as Error).message.includes(want)) wrongReason.push(`${f}: got "${(e as Error).message}", upstream says "${want}"`);
        }
      }
    }
  }
  const lines = [
    `config conformance: ${good - goodFail.length}/${good} good files load, ${bad - badAccepted.length}/${bad} bad files rejected, ` +
      `${reasonChecked - wrongReason.length}/${reasonChecked} with upstream's reason`,
    ...goodFail.map((s) => `  good file rejected: ${s}`),
    ...badAccepted.map((s) => `  bad file accepted: ${s}`),
    ...wrongReason.map((s) => `  different reason: ${s}`),
  ];
  console.log(lines.join('\n'));
  assert.deepEqual(goodFail, []);
  assert.deepEqual(badAccepted, []);
  assert.deepEqual(wrongReason, []);
});
