import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from './log.js';

test('logfmt and json records with context and level filtering', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', write: (l) => lines.push(l) }).with({ component: 'scrape' });
  log.debug('hidden');
  log.info('Scrape failed', { target: 'http://a:1/metrics', err: new Error('connection refused') });
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^time=\S+ level=INFO component=scrape msg="Scrape failed" target=http:\/\/a:1\/metrics err="connection refused"$/);
  const json: string[] = [];
  createLogger({ format: 'json', write: (l) => json.push(l) }).warn('x', { n: 1 });
  const rec = JSON.parse(json[0]);
  assert.equal(rec.level, 'WARN');
  assert.equal(rec.msg, 'x');
  assert.equal(rec.n, 1);
});
