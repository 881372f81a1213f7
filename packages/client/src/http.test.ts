import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { metricsHandler } from './http.js';
import { Registry } from './registry.js';
import type { MetricFamily } from './family.js';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const families: MetricFamily[] = [
  { name: 'app_requests_total', help: 'Requests.', type: 'counter', metrics: [{ labels: { code: '200' }, value: 7 }] },
  { name: 'app_temperature_celsius', help: 'Temperature.', type: 'gauge', metrics: [{ labels: {}, value: 21.5 }] },
];

/** What the fake collector does on the next scrape. */
let behaviour: 'ok' | 'throw' | 'reject' | 'slow' = 'ok';

const registry = new Registry();
registry.registerCollector({
  collect(): MetricFamily[] | Promise<MetricFamily[]> {
    switch (behaviour) {
      case 'throw':
        throw new Error('database unreachable');
      case 'reject':
        return Promise.reject(new Error('async collector failed'));
      case 'slow':
        return new Promise((r) => setTimeout(() => r(families), 400));
      default:
        return families;
    }
  },
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const servers: Server[] = [];

async function serve(listener: RequestListener): Promise<number> {
  const s = createServer(listener);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

function get(port: number, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let port: number;
const errors: Error[] = [];

before(async () => {
  port = await serve(metricsHandler(registry, { onError: (e) => errors.push(e) }));
});

after(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
});

test('without Accept the text format is served', async () => {
  behaviour = 'ok';
  const r = await get(port);
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type']!, /^text\/plain; version=0\.0\.4; charset=utf-8/);
  assert.equal(r.headers['content-encoding'], undefined);
  assert.equal(r.body.toString(), await registry.metrics(r.headers['content-type']!));
  assert.match(r.body.toString(), /^app_requests_total\{code="200"\} 7$/m);
  assert.equal(Number(r.headers['content-length']), r.body.length);
});

test("Prometheus's Accept header gets OpenMetrics", async () => {
  behaviour = 'ok';
  const r = await get(port, { Accept: PROMETHEUS_ACCEPT });
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type']!, /^application\/openmetrics-text; version=1\.0\.0; charset=utf-8/);
  assert.ok(r.body.toString().endsWith('# EOF\n'));
  assert.equal(r.body.toString(), await registry.metrics(r.headers['content-type']!));
});

test('gzip when accepted, not when refused', async () => {
  behaviour = 'ok';
  const plain = (await get(port)).body.toString();
  const z = await get(port, { 'Accept-Encoding': 'gzip, deflate' });
  assert.equal(z.headers['content-encoding'], 'gzip');
  assert.equal(Number(z.headers['content-length']), z.body.length);
  assert.equal(gunzipSync(z.body).toString(), plain);
  const refused = await get(port, { 'Accept-Encoding': 'gzip;q=0, identity' });
  assert.equal(refused.headers['content-encoding'], undefined);
  assert.equal(refused.body.toString(), plain);
});

test('HEAD answers the GET headers without a body', async () => {
  behaviour = 'ok';
  const g = await get(port);
  const h = await get(port, {}, 'HEAD');
  assert.equal(h.status, 200);
  assert.equal(h.body.length, 0);
  assert.equal(h.headers['content-type'], g.headers['content-type']);
  assert.equal(h.headers['content-length'], g.headers['content-length']);
});

test('a throwing or rejecting collector gives a 500 with its message and no metrics', async () => {
  for (const [b, msg] of [['throw', 'database unreachable'], ['reject', 'async collector failed']] as const) {
    behaviour = b;
    errors.length = 0;
    const r = await get(port, { Accept: PROMETHEUS_ACCEPT, 'Accept-Encoding': 'gzip' });
    assert.equal(r.status, 500);
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(r.headers['content-encoding'], undefined);
    assert.match(r.body.toString(), new RegExp(msg));
    assert.doesNotMatch(r.body.toString(), /app_requests_total/);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, msg);
  }
});

test('collection slower than the scrape timeout gives a 503; without the header it completes', async () => {
  behaviour = 'slow';
  const t0 = Date.now();
  const r = await get(port, { 'X-Prometheus-Scrape-Timeout-Seconds': '0.1' });
  assert.equal(r.status, 503);
  assert.match(r.body.toString(), /scrape timeout of 0\.1s/);
  assert.ok(Date.now() - t0 < 350);
  const ok = await get(port);
  assert.equal(ok.status, 200);
  behaviour = 'ok';
});

test('other methods get 405', async () => {
  const r = await get(port, {}, 'POST');
  assert.equal(r.status, 405);
  assert.equal(r.headers['allow'], 'GET, HEAD');
});

test('works as Express-style middleware and as a Fastify-style handler', async () => {
  behaviour = 'ok';
  const handler = metricsHandler(registry);
  const nexts: unknown[] = [];
  const expressPort = await serve((req, res) => handler(req, res, (e) => nexts.push(e)));
  const e = await get(expressPort);
  assert.equal(e.status, 200);
  assert.match(e.body.toString(), /app_temperature_celsius 21\.5/);
  assert.deepEqual(nexts, []);

  let hijacked = 0;
  const fastifyPort = await serve((req, res) => handler({ raw: req }, { raw: res, hijack: () => hijacked++ }));
  const f = await get(fastifyPort, { Accept: PROMETHEUS_ACCEPT });
  assert.equal(f.status, 200);
  assert.ok(f.body.toString().endsWith('# EOF\n'));
  assert.equal(hijacked, 1);
});

test('openMetrics: false always serves the text format', async () => {
  behaviour = 'ok';
  const p = await serve(metricsHandler(registry, { openMetrics: false }));
  const r = await get(p, { Accept: PROMETHEUS_ACCEPT });
  assert.match(r.headers['content-type']!, /^text\/plain; version=0\.0\.4/);
});
