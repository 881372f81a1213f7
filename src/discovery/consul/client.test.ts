import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../testing/paths.js';
import { BlockingIndex, ConsulClient, consulBaseUrl } from './client.js';
import { consulConfig, FakeConsul } from './fake-consul.js';
import type { ServiceEntry } from './labels.js';

const testdata = join(repoRoot, 'src', 'discovery', 'consul', 'testdata');
const fixture = <T>(name: string) => JSON.parse(readFileSync(join(testdata, name), 'utf8')) as T;

test('blocking index: first answer and new indexes are news; backwards resets to 0; 0 becomes 1', () => {
  const idx = new BlockingIndex();
  assert.equal(idx.value, 0);
  assert.equal(idx.observe(10), true);
  assert.equal(idx.value, 10);
  assert.equal(idx.observe(10), false, 'same index: the wait timed out');
  assert.equal(idx.observe(12), true);
  assert.equal(idx.observe(3), true, 'backwards: the data may differ');
  assert.equal(idx.value, 0, 'backwards: ask again without blocking');
  assert.equal(idx.observe(3), false);
  assert.equal(idx.value, 3);
  const zero = new BlockingIndex();
  assert.equal(zero.observe(0), true, 'the first answer is always news');
  assert.equal(zero.value, 1, 'never block on index 0');
  assert.equal(zero.observe(0), false);
  assert.equal(zero.value, 1);
});

test('base URL from server, scheme and path_prefix, as Consul\'s client builds it', () => {
  assert.equal(consulBaseUrl({ server: 'localhost:8500', scheme: 'http', path_prefix: '' }), 'http://localhost:8500');
  assert.equal(consulBaseUrl({ server: 'consul:8501', scheme: 'https', path_prefix: '/consul' }), 'https://consul:8501/consul');
  assert.equal(consulBaseUrl({ server: 'https://consul:8501', scheme: 'http', path_prefix: '' }), 'https://consul:8501');
  assert.throws(() => consulBaseUrl({ server: 'ftp://consul', scheme: 'http', path_prefix: '' }), /Unknown protocol scheme: ftp/);
});

test('the fake derives /v1/catalog/services exactly as the recorded answer', () => {
  const fake = new FakeConsul();
  for (const name of ['web', 'db', 'consul']) fake.services.set(name, fixture<ServiceEntry[]>(`health-service-${name}.json`));
  assert.deepEqual(fake.catalog(), fixture('catalog-services.json'));
});

test('query parameters and headers match Consul\'s Go client', async () => {
  const fake = new FakeConsul(200);
  fake.pathPrefix = '/consul';
  fake.services.set('web', fixture<ServiceEntry[]>('health-service-web.json'));
  const server = await fake.start();
  const cfg = consulConfig({
    server,
    path_prefix: '/consul',
    token: 's3cr3t',
    datacenter: 'dc2',
    namespace: 'team-a',
    partition: 'part-1',
    node_meta: { 'rack-name': '2304' },
    filter: 'ServiceName != "consul"',
    health_filter: 'Service.Meta.version != ""',
    username: 'prom',
    password: 'pw',
  });
  const client = new ConsulClient(cfg, 1500);
  const signal = AbortSignal.timeout(10_000);
  try {
    const catalog = await client.catalogServices(0, signal);
    assert.deepEqual(catalog.value, { web: ['prod', 'v1'] });
    assert.equal(catalog.index, fake.index);
    const health = await client.healthService('web', ['prod'], catalog.index + 100, signal);
    assert.deepEqual(health.value.map((e) => e.Service.ID), ['web-1']);

    const [c, h] = [fake.requestsTo('/v1/catalog/services')[0], fake.requestsTo('/v1/health/service/web')[0]];
    assert.deepEqual([...c.query], [
      ['dc', 'dc2'],
      ['filter', 'ServiceName != "consul"'],
      ['node-meta', 'rack-name:2304'],
      ['ns', 'team-a'],
      ['partition', 'part-1'],
      ['stale', ''],
      ['wait', '1500ms'],
    ]);
    assert.deepEqual([...h.query], [
      ['dc', 'dc2'],
      ['filter', 'Service.Meta.version != ""'],
      ['index', String(catalog.index + 100)],
      ['node-meta', 'rack-name:2304'],
      ['ns', 'team-a'],
      ['partition', 'part-1'],
      ['stale', ''],
      ['tag', 'prod'],
      ['wait', '1500ms'],
    ]);
    for (const r of [c, h]) {
      assert.equal(r.headers['x-consul-token'], 's3cr3t');
      assert.equal(r.headers.authorization, `Basic ${Buffer.from('prom:pw').toString('base64')}`);
    }
  } finally {
    client.close();
    await fake.stop();
  }
});

test('HTTP errors read like Consul\'s client; answers without X-Consul-Index are refused', async () => {
  const fake = new FakeConsul(200);
  const server = await fake.start();
  const client = new ConsulClient(consulConfig({ server, allow_stale: false }), 1000);
  const signal = AbortSignal.timeout(10_000);
  try {
    fake.failNext = 1;
    await assert.rejects(client.catalogServices(0, signal), /^Error: Unexpected response code: 500 \(rpc error making call: No cluster leader\)$/);
    await client.catalogServices(0, signal);
    assert.equal(fake.requestsTo('/v1/catalog/services')[1].query.has('stale'), false, 'allow_stale: false sends no stale');
    fake.datacenter = 'east';
    assert.equal(await client.agentDatacenter(signal), 'east');
  } finally {
    client.close();
    await fake.stop();
  }
  const { createServer } = await import('node:http');
  const bare = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const noIndex = new ConsulClient(consulConfig({ server: `127.0.0.1:${(bare.address() as { port: number }).port}` }), 1000);
  try {
    await assert.rejects(noIndex.catalogServices(0, signal), /Failed to parse X-Consul-Index/);
    await assert.rejects(noIndex.agentDatacenter(signal), /invalid value 'undefined' for Config.Datacenter/);
  } finally {
    noIndex.close();
    bare.closeAllConnections();
    await new Promise<void>((r) => bare.close(() => r()));
  }
});

test('a connection reset is retried once, not more', async () => {
  const { createServer } = await import('node:http');
  let resets = 1;
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    // Like a server closing an idle kept-alive connection just as it is reused.
    if (resets-- > 0) return res.socket?.destroy();
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Consul-Index': '3' }).end('{"web":[]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = new ConsulClient(consulConfig({ server: `127.0.0.1:${(server.address() as { port: number }).port}` }), 1000);
  const signal = AbortSignal.timeout(10_000);
  try {
    assert.deepEqual((await client.catalogServices(0, signal)).value, { web: [] });
    assert.equal(requests, 2);
    resets = 2;
    requests = 0;
    await assert.rejects(client.catalogServices(0, signal), (e: NodeJS.ErrnoException) => e.code === 'ECONNRESET');
    assert.equal(requests, 2);
  } finally {
    client.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
