import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { tempDir } from '../testing/peers.js';
import { Head } from '../tsdb/head/head.js';
import { Engine } from './engine.js';
import { FileQueryLogger } from './query_log.js';

test('every query becomes one JSON line in the query log; reopening follows a rotated file', async () => {
  const head = new Head();
  const app = head.appender();
  app.append(0, Labels.fromStrings('__name__', 'up'), 0, 1);
  await app.commit();
  const dir = tempDir();
  try {
    const path = join(dir.path, 'queries.log');
    const engine = new Engine();
    engine.setQueryLogger(new FileQueryLogger(path));
    const origin = { clientIP: '127.0.0.1', method: 'GET', path: '/api/v1/query_range' };
    await engine.rangeQueryAsync(head, 'up', 0, 60_000, 15_000, { origin });
    assert.throws(() => engine.instantQuery(head, 'sum(up', 0));
    await assert.rejects(engine.instantQueryAsync(head, 'up + on(x) group_left up', 0, { timeout: -1 }));
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 3);
    const [range, parseError, timedOut] = lines;
    assert.deepEqual(Object.keys(range), ['httpRequest', 'params', 'stats', 'ts']);
    assert.deepEqual(range.httpRequest, origin);
    assert.deepEqual(range.params, { end: '1970-01-01T00:01:00.000Z', query: 'up', start: '1970-01-01T00:00:00.000Z', step: 15 });
    assert.deepEqual(Object.keys((range.stats as { timings: object }).timings), ['evalTotalTime', 'resultSortTime', 'queryPreparationTime', 'innerEvalTime', 'execQueueTime', 'execTotalTime']);
    assert.match(range.ts as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(parseError.error as string, /unclosed left parenthesis/);
    assert.equal((timedOut.params as { step: number }).step, 0);
    assert.equal(timedOut.error, 'query timed out in expression evaluation');
    assert.equal(engine.queryLogEnabled, true);
    // A rotated file: the reopened logger writes to the new one.
    rmSync(path);
    engine.setQueryLogger(new FileQueryLogger(path));
    engine.instantQuery(head, 'up', 0);
    assert.equal(readFileSync(path, 'utf8').trimEnd().split('\n').length, 1);
    engine.setQueryLogger(undefined);
    assert.equal(engine.queryLogEnabled, false);
    assert.equal(engine.metrics.queryLogFailures, 0);
  } finally {
    dir.remove();
  }
});
