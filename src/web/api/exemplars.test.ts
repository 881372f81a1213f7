import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Labels } from '../../model/labels.js';
import { Engine } from '../../promql/engine.js';
import type { ScrapeManager } from '../../scrape/manager.js';
import { tempDir } from '../../testing/peers.js';
import { DB } from '../../tsdb/db.js';
import { ApiV1, type ApiResponse } from './api.js';

function api(db: DB): ApiV1 {
  return new ApiV1({
    storage: db,
    engine: new Engine(),
    scrape: {} as ScrapeManager,
    db,
    configYaml: () => '',
    flags: {},
    startTime: new Date(),
    reload: () => ({ success: true, time: new Date() }),
    version: 'test',
    retention: '15d',
    adminApi: false,
  });
}

function get(a: ApiV1, path: string): Promise<ApiResponse> {
  const url = new URL(`http://localhost/api/v1/${path}`);
  return a.handle({ method: 'GET', headers: {} } as IncomingMessage, path.replace(/\?.*/, ''), url);
}

test('query_exemplars returns the exemplars of every selector of the query, by series, in the window', async () => {
  const dir = tempDir();
  const db = DB.open(dir.path, { compactIntervalMs: 3_600_000, maxExemplars: 100 });
  try {
    const a = Labels.fromStrings('__name__', 'req_bucket', 'le', '0.5');
    const b = Labels.fromStrings('__name__', 'req_count');
    const c = Labels.fromStrings('__name__', 'unrelated');
    for (let i = 1; i <= 4; i++) {
      const app = db.appender();
      for (const ls of [a, b, c]) {
        const ref = app.append(0, ls, i * 1000, i);
        app.appendExemplar(ref, ls, { labels: ['span_id', `s${i}`, 'trace_id', `t${i}`], value: i + 0.25, timestamp: i * 1000 + 5 });
      }
      await app.commit();
    }
    const r = await get(api(db), `query_exemplars?query=${encodeURIComponent('sum(rate(req_bucket[5m])) / on() req_count')}&start=2&end=3.005`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      status: 'success',
      data: [
        {
          seriesLabels: { __name__: 'req_bucket', le: '0.5' },
          exemplars: [
            { labels: { span_id: 's2', trace_id: 't2' }, value: '2.25', timestamp: 2.005 },
            { labels: { span_id: 's3', trace_id: 't3' }, value: '3.25', timestamp: 3.005 },
          ],
        },
        {
          seriesLabels: { __name__: 'req_count' },
          exemplars: [
            { labels: { span_id: 's2', trace_id: 't2' }, value: '2.25', timestamp: 2.005 },
            { labels: { span_id: 's3', trace_id: 't3' }, value: '3.25', timestamp: 3.005 },
          ],
        },
      ],
    });
    const none = await get(api(db), 'query_exemplars?query=nothing_here');
    assert.deepEqual(none.body, { status: 'success', data: [] });
    const bad = await get(api(db), 'query_exemplars?query=req_count&start=4&end=3');
    assert.deepEqual([bad.status, bad.body], [400, { status: 'error', errorType: 'bad_data', error: 'end timestamp must not be before start timestamp' }]);
  } finally {
    await db.close();
    dir.remove();
  }
});
