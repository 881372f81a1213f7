import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '@pyrometer/client';
import type { Querier, SeriesSet, Storage } from '../storage/interface.js';
import type { ApiV1 } from './api/api.js';
import { WebServer } from './web.js';

/** A storage whose selects end with the given error and warnings, as a failing remote or block would. */
function failingStorage(err: Error | null, warnings: string[]): Storage {
  const set: SeriesSet = { next: () => false, at: () => assert.fail('no series'), err: () => err, warnings: () => warnings };
  const querier: Querier = { select: () => set, labelValues: () => [], labelNames: () => [], close: () => {} };
  return {
    querier: () => querier,
    appender: () => assert.fail('not appended to'),
    startTime: () => 0,
    close: async () => {},
  };
}

async function withServer(storage: Storage, fn: (base: string, web: WebServer) => Promise<void>): Promise<void> {
  const web = new WebServer({
    listenAddress: '127.0.0.1:0',
    routePrefix: '/',
    enableLifecycle: false,
    lookbackDeltaMs: 300_000,
    externalLabels: () => ({}),
    storage,
    api: {} as ApiV1,
    registry: new Registry(),
    isReady: () => true,
    reload: async () => {},
    quit: () => {},
  });
  const port = await web.listen();
  try {
    await fn(`http://127.0.0.1:${port}`, web);
  } finally {
    await web.close();
  }
}

/** Responses are observed when they close, just after the client has read them. */
async function observed(web: WebServer, handler: string, n: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    let total = 0;
    for (const v of web.requestMetrics.handlers.get(handler)?.codes.values() ?? []) total += v;
    if (total >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`${handler}: ${n} requests not observed within 2 s`);
}

test('federation errors answer 500 and are counted; warnings are counted', async () => {
  await withServer(failingStorage(new Error('block unreadable'), ['partial data']), async (base, web) => {
    const res = await fetch(`${base}/federate?match[]=up`);
    assert.equal(res.status, 500);
    assert.equal(await res.text(), 'block unreadable\n');
    await observed(web, '/federate', 1);
    assert.equal(web.requestMetrics.federationErrors, 1);
    assert.equal(web.requestMetrics.federationWarnings, 1);
    assert.equal(web.requestMetrics.handlers.get('/federate')!.codes.get(500), 1);
  });
  await withServer(failingStorage(null, ['w1', 'w2']), async (base, web) => {
    const res = await fetch(`${base}/federate?match[]=up&match[]=down`);
    assert.equal(res.status, 200);
    await res.text();
    assert.equal(web.requestMetrics.federationErrors, 0);
    assert.equal(web.requestMetrics.federationWarnings, 4, 'two warnings from each of two selects');
  });
});

test('request size and latency histograms by handler', async () => {
  await withServer(failingStorage(null, []), async (base, web) => {
    const body = await (await fetch(`${base}/-/healthy`, { headers: { 'Accept-Encoding': 'identity' } })).text();
    await (await fetch(`${base}/-/healthy`)).text();
    await observed(web, '/-/healthy', 2);
    const h = web.requestMetrics.handlers.get('/-/healthy')!;
    assert.equal(h.codes.get(200), 2);
    assert.equal(h.size.sum, 2 * Buffer.byteLength(body));
    assert.equal(h.size.counts[0], 2, 'both in the first bucket (<= 100 bytes)');
    assert.equal(h.duration.count, 2);
    assert.ok(h.duration.sum > 0 && h.duration.sum < 5);
  });
});
