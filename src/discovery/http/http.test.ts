import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpDiscoverer } from './http.js';
import type { HttpSdConfig } from '../../config/sd.js';

test('http discovery reads target groups and sends removed sources empty', async () => {
  let body = '[{"targets":["a:1"],"labels":{"x":"1"}},{"targets":["b:2"]}]';
  let seenInterval = '';
  const server = createServer((req, res) => {
    seenInterval = String(req.headers['x-prometheus-refresh-interval-seconds']);
    res.setHeader('Content-Type', 'application/json');
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sd`;
    const d = new HttpDiscoverer({ url, refresh_interval: 30_000, follow_redirects: true } as HttpSdConfig);
    const first = await d.poll();
    assert.equal(seenInterval, '30');
    assert.deepEqual(first.map((g) => [g.source, g.labels, g.targets]), [
      [`${url}:0`, { __meta_url: url, x: '1' }, [{ __address__: 'a:1' }]],
      [`${url}:1`, { __meta_url: url }, [{ __address__: 'b:2' }]],
    ]);
    body = '[{"targets":["a:1"]}]';
    const second = await d.poll();
    assert.deepEqual(second.map((g) => g.targets.length), [1, 0]);
    body = 'not json';
    await assert.rejects(d.poll());
  } finally {
    server.close();
  }
});
