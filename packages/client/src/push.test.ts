import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { Pushgateway, groupingPath, encodeGroupingPair } from './push.js';
import { Registry } from './registry.js';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let server: Server;
let base: string;
const requests: Recorded[] = [];
/** How the fake gateway answers the next request; reset before each test. */
let reply: (res: ServerResponse) => void;

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      reply(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  requests.length = 0;
  reply = (res) => {
    res.statusCode = 200;
    res.end();
  };
});

function registry(): Registry {
  const reg = new Registry();
  reg.registerCollector({
    collect: () => [
      { name: 'batch_last_success_seconds', help: 'Last success.', type: 'gauge', metrics: [{ labels: {}, value: 1700000000 }] },
      { name: 'batch_records_total', help: 'Records.', type: 'counter', metrics: [{ labels: { kind: 'a' }, value: 42 }] },
    ],
  });
  return reg;
}

test('grouping key paths follow the Pushgateway URL rules', () => {
  assert.equal(groupingPath({ jobName: 'batch' }), '/metrics/job/batch');
  assert.equal(
    groupingPath({ jobName: 'batch', groupings: { instance: 'host:9 x', path: '/var/tmp', empty: '' } }),
    '/metrics/job/batch/instance/host%3A9%20x/path@base64/L3Zhci90bXA/empty@base64/=',
  );
  assert.equal(groupingPath({ jobName: 'a/b' }), '/metrics/job@base64/YS9i');
  assert.equal(encodeGroupingPair('l', 'ü/?'), 'l@base64/w7wvPw');
  assert.equal(encodeGroupingPair('l', '..'), 'l@base64/Li4');
  assert.throws(() => groupingPath({ jobName: '' }), /jobName/);
  assert.throws(() => groupingPath({ jobName: 'x', groupings: { 'bad-name': 'v' } }), /invalid grouping label/);
  assert.throws(() => groupingPath({ jobName: 'x', groupings: { job: 'v' } }), /job/);
});

test('push sends PUT with the text exposition', async () => {
  const reg = registry();
  const res = await new Pushgateway(base, {}, reg).push({ jobName: 'batch', groupings: { instance: 'a' } });
  assert.equal(res.status, 200);
  assert.equal(requests.length, 1);
  const r = requests[0]!;
  assert.equal(r.method, 'PUT');
  assert.equal(r.url, '/metrics/job/batch/instance/a');
  assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(r.body.toString(), await reg.metrics(Registry.PROMETHEUS_CONTENT_TYPE));
  assert.match(r.body.toString(), /^batch_records_total\{kind="a"\} 42$/m);
});

test('pushAdd sends POST, delete sends DELETE without a body', async () => {
  const gw = new Pushgateway(`${base}/`, {}, registry());
  await gw.pushAdd({ jobName: 'batch', groupings: { path: '/tmp' } });
  reply = (res) => {
    res.statusCode = 202;
    res.end();
  };
  const del = await gw.delete({ jobName: 'batch', groupings: { path: '/tmp' } });
  assert.equal(del.status, 202);
  assert.deepEqual(requests.map((r) => [r.method, r.url]), [
    ['POST', '/metrics/job/batch/path@base64/L3RtcA'],
    ['DELETE', '/metrics/job/batch/path@base64/L3RtcA'],
  ]);
  assert.ok(requests[0]!.body.length > 0);
  assert.equal(requests[1]!.body.length, 0);
  assert.equal(requests[1]!.headers['content-type'], undefined);
});

test('a base path, extra headers and gzip are honoured', async () => {
  const reg = registry();
  await new Pushgateway(`${base}/gw/prefix/`, { gzip: true, headers: { Authorization: 'Bearer t' } }, reg).push({ jobName: 'j' });
  const r = requests[0]!;
  assert.equal(r.url, '/gw/prefix/metrics/job/j');
  assert.equal(r.headers['authorization'], 'Bearer t');
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(r.body).toString(), await reg.metrics(Registry.PROMETHEUS_CONTENT_TYPE));
});

test('a non-2xx answer rejects with the status and the gateway message', async () => {
  reply = (res) => {
    res.statusCode = 400;
    res.end('pushed metrics are invalid or inconsistent with existing metrics\n');
  };
  await assert.rejects(new Pushgateway(base, {}, registry()).push({ jobName: 'j' }), /HTTP 400: pushed metrics are invalid/);
});

test('a gateway that never answers times out', async () => {
  reply = () => {};
  await assert.rejects(new Pushgateway(base, { timeout: 200 }, registry()).push({ jobName: 'slow' }), /timed out/);
});
