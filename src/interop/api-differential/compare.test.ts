import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepDiff, diffReplies, dropField, exposition, normalize, type Reply } from './compare.js';
import { knownFor } from './known-differences.js';

const reply = (status: number, body: unknown): Reply => ({ status, contentType: 'application/json', text: typeof body === 'string' ? body : JSON.stringify(body) });

test('deepDiff names the path of each difference, up to the maximum', () => {
  assert.equal(deepDiff({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] }), undefined);
  assert.equal(deepDiff({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] }), '$.a[1].b: Pyrometer "x", Prometheus "y"');
  assert.equal(deepDiff({ a: 1 }, { b: 1 }), '$.a: only in Pyrometer (1); $.b: missing in Pyrometer (Prometheus: 1)');
  assert.match(deepDiff([1, 2], [1]) ?? '', /2 vs 1 items; Pyrometer has extra 2/);
  assert.equal(deepDiff([1, 2, 3], [4, 5, 6], '$', 2), '$[0]: Pyrometer 1, Prometheus 4; $[1]: Pyrometer 2, Prometheus 5');
});

test('replies: status codes, plain text and JSON are compared', () => {
  const ok = { status: 'success', data: ['a'] };
  assert.equal(diffReplies('/api/v1/labels', [], reply(200, ok), reply(200, ok)), undefined);
  assert.match(diffReplies('/api/v1/labels', [], reply(200, ok), reply(400, ok)) ?? '', /^HTTP 200 vs 400/);
  assert.match(diffReplies('/api/v1/nope', [], reply(404, { status: 'error' }), reply(404, '404 page not found\n')) ?? '', /one reply is JSON/);
  assert.equal(diffReplies('/api/v1/nope', [], reply(404, '404 page not found\n'), reply(404, '404 page not found')), undefined);
  assert.match(diffReplies('/api/v1/labels', [], reply(200, ok), { ...reply(200, ok), contentType: 'text/plain' }) ?? '', /^Content-Type/);
});

test('query results: vector order and stats values do not matter, values do', () => {
  const body = (result: unknown[], samples: number) => ({ status: 'success', data: { resultType: 'vector', result, stats: { timings: { evalTotalTime: samples }, samples: { totalQueryableSamples: samples } } } });
  const x = { metric: { a: '1' }, value: [1, '1'] };
  const y = { metric: { a: '2' }, value: [1, '2'] };
  const params: Array<[string, string]> = [['query', 'foo']];
  assert.equal(diffReplies('/api/v1/query', params, reply(200, body([x, y], 1)), reply(200, body([y, x], 7))), undefined);
  assert.ok(diffReplies('/api/v1/query', params, reply(200, body([x], 1)), reply(200, body([y], 1))));
  // A sorting query keeps its order.
  assert.ok(diffReplies('/api/v1/query', [['query', 'sort(foo)']], reply(200, body([x, y], 1)), reply(200, body([y, x], 1))));
});

test('targets: scrape times, durations, errors and global URLs are ignored; labels are not', () => {
  const target = (labels: Record<string, string>, lastScrape: string) => ({ labels, lastScrape, lastScrapeDuration: 0.1, lastError: '', globalUrl: 'http://host:1/metrics', health: 'up' });
  const body = (t: unknown) => ({ status: 'success', data: { activeTargets: [t], droppedTargets: [] } });
  const a = body(target({ job: 'x' }, '2026-01-01T00:00:00Z'));
  const b = body(target({ job: 'x' }, '2026-01-01T00:00:05Z'));
  assert.equal(diffReplies('/api/v1/targets', [], reply(200, a), reply(200, b)), undefined);
  assert.ok(diffReplies('/api/v1/targets', [], reply(200, a), reply(200, body(target({ job: 'y' }, '2026-01-01T00:00:00Z')))));
});

test('status/config: Pyrometer may print more keys, never fewer or different ones', () => {
  const cfg = (yaml: string) => ({ status: 'success', data: { yaml } });
  const theirs = cfg('global:\n  scrape_interval: 1s\n');
  assert.equal(diffReplies('/api/v1/status/config', [], reply(200, cfg('global:\n  scrape_interval: 1s\n  sample_limit: 0\n')), reply(200, theirs)), undefined);
  assert.ok(diffReplies('/api/v1/status/config', [], reply(200, cfg('global:\n  scrape_interval: 2s\n')), reply(200, theirs)));
  assert.ok(diffReplies('/api/v1/status/config', [], reply(200, cfg('global: {}\n')), reply(200, theirs)));
});

test('normalize keeps error replies whole', () => {
  const err = { status: 'error', errorType: 'bad_data', error: 'x' };
  assert.deepEqual(normalize('/api/v1/query', [], err, err, 'ours'), err);
});

test('dropField removes a dot path, through arrays with *', () => {
  const v = { data: { list: [{ a: 1, b: 2 }, { a: 3, b: 4 }], keep: 1 } };
  dropField(v, 'data.list.*.b');
  dropField(v, 'data.absent.x');
  assert.deepEqual(v, { data: { list: [{ a: 1 }, { a: 3 }], keep: 1 } });
});

test('federation output compares series and values, not timestamps or label order', () => {
  const a = '# TYPE up untyped\nup{job="a",instance="x"} 1 1000\nscrape_duration_seconds{job="a"} 0.01 1000\n';
  const b = '# TYPE up untyped\nup{instance="x",job="a"} 1 2000\nscrape_duration_seconds{job="a"} 0.02 2000\n';
  assert.deepEqual(exposition(a), exposition(b));
  assert.notDeepEqual(exposition(a), exposition(b.replace('} 1 2000', '} 0 2000')));
});

test('known differences match by path, query and parameters', () => {
  const c = (method: 'GET' | 'POST' | 'DELETE', path: string, params: Array<[string, string]>) => ({ id: '', endpoint: '', method, path, params });
  assert.equal(knownFor(c('GET', '/api/v1/query', [['query', 'rate(hist_temperature_celsius[5m])']])).length, 1);
  assert.equal(knownFor(c('GET', '/api/v1/query', [['query', 'rate(hist_requests_total[5m])']])).length, 0);
  assert.equal(knownFor(c('POST', '/api/v1/query', [['query', 'up'], ['limit', '2']])).length, 1);
  assert.equal(knownFor(c('GET', '/api/v1/series', [])).length, 0);
  assert.equal(knownFor(c('GET', '/api/v1/status/tsdb', [['limit', 'x']])).length, 1);
  assert.equal(knownFor(c('GET', '/api/v1/status/tsdb', [])).length, 0);
});
