import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../testing/paths.js';
import { OpenMetricsParser } from './openmetricsparse.js';
import { PromParser } from './promparse.js';
import { Entry, type Parser } from './types.js';

function drain(p: Parser): number {
  let samples = 0;
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    if (e === Entry.Series) {
      samples++;
      p.labels();
      p.exemplar();
    }
  }
  return samples;
}

test('OpenMetrics conformance cases are classified as upstream expects', () => {
  const dir = join(conformanceDir, 'openmetrics');
  const cases = readdirSync(dir).sort();
  const failures: string[] = [];
  for (const name of cases) {
    const spec = JSON.parse(readFileSync(join(dir, name, 'test.json'), 'utf8')) as { shouldParse: boolean };
    const body = readFileSync(join(dir, name, 'metrics'));
    let error: string | undefined;
    try {
      drain(new OpenMetricsParser(body, { strict: true }));
    } catch (e) {
      error = (e as Error).message;
    }
    if (spec.shouldParse && error !== undefined) failures.push(`${name}: rejected (${error})`);
    if (!spec.shouldParse && error === undefined) failures.push(`${name}: accepted`);
  }
  console.log(`openmetrics conformance: ${cases.length - failures.length}/${cases.length} cases as upstream expects`);
  for (const f of failures) console.log(`  FAIL ${f}`);
  assert.ok(cases.length >= 150, 'conformance cases missing');
  assert.deepEqual(failures, []);
});

// These payloads come from real client libraries: the Go client writes negative-bucket
// histograms with a _sum, which the OpenMetrics spec forbids, so they are read the way
// Prometheus scrapes them (strict off).
test('upstream textparse payloads parse in their format', () => {
  const dir = join(conformanceDir, 'textparse');
  for (const name of readdirSync(dir).sort()) {
    const body = readFileSync(join(dir, name));
    const om = name.endsWith('.om.txt');
    const samples = drain(om ? new OpenMetricsParser(body) : new PromParser(body));
    assert.ok(samples > 0, `${name}: no samples`);
  }
});
