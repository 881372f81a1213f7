import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../testing/paths.js';
import { createLogger } from '../../util/log.js';
import type { TargetGroup } from '../targetgroup.js';
import { consulConfig, FakeConsul } from './fake-consul.js';
import { ConsulDiscoverer } from './index.js';
import type { ServiceEntry } from './labels.js';

const testdata = join(repoRoot, 'src', 'discovery', 'consul', 'testdata');
const fixture = <T>(name: string) => JSON.parse(readFileSync(join(testdata, name), 'utf8')) as T;
const entries = (service: string) => fixture<ServiceEntry[]>(`health-service-${service}.json`);

/** The short waits of these tests: queries block 150 ms at most, errors retry after 50 ms. */
const TIMING = { watchTimeoutMs: 1000, retryIntervalMs: 50 };

/** Runs a discoverer against a fake Consul and keeps what it sent, merged by source. */
async function withDiscovery(
  fields: Record<string, unknown>,
  setup: (fake: FakeConsul) => void,
  body: (ctx: { fake: FakeConsul; d: ConsulDiscoverer; sends: TargetGroup[][]; groups: Map<string, TargetGroup>; until: (what: string, ok: () => boolean) => Promise<void>; logs: string[] }) => Promise<void>,
  tls?: { key: string; cert: string },
): Promise<void> {
  const fake = new FakeConsul(150, tls);
  setup(fake);
  const server = await fake.start();
  const logs: string[] = [];
  const d = new ConsulDiscoverer(consulConfig({ server, refresh_interval: '10ms', ...fields }), createLogger({ write: (l) => logs.push(l) }), TIMING);
  const sends: TargetGroup[][] = [];
  const groups = new Map<string, TargetGroup>();
  const controller = new AbortController();
  const running = d.run(controller.signal, (gs) => {
    sends.push(gs);
    for (const g of gs) {
      if (g.targets.length === 0) groups.delete(g.source);
      else groups.set(g.source, g);
    }
  });
  const until = async (what: string, ok: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; groups: ${JSON.stringify([...groups.keys()])}; logs:\n${logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  try {
    await body({ fake, d, sends, groups, until, logs });
  } finally {
    controller.abort();
    const stopped = await Promise.race([running.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
    await fake.stop();
    assert.equal(stopped, true, 'run() ends soon after abort');
  }
}

const loadAll = (fake: FakeConsul) => {
  for (const name of ['web', 'db', 'consul']) fake.services.set(name, entries(name));
  fake.agentSelf = fixture('agent-self.json');
  fake.datacenter = 'dc7';
};

test('all services: datacenter from the agent, one group per service with upstream labels', async () => {
  await withDiscovery({}, loadAll, async ({ fake, groups, until }) => {
    await until('three services', () => groups.size === 3);
    const web = groups.get('web')!;
    assert.deepEqual(web.labels, { __meta_consul_service: 'web', __meta_consul_dc: 'dc7' });
    assert.deepEqual(web.targets.map((t) => [t.__address__, t.__meta_consul_health]), [
      ['10.1.10.12:8080', 'passing'],
      ['172.17.0.5:8081', 'warning'],
    ]);
    assert.deepEqual(groups.get('db')!.targets.map((t) => t.__meta_consul_health), ['critical', 'maintenance']);
    assert.equal(fake.requestsTo('/v1/agent/self').length, 1);
    const catalog = fake.requestsTo('/v1/catalog/services')[0].query;
    assert.equal(catalog.get('wait'), '1000ms');
    assert.equal(catalog.has('stale'), true, 'allow_stale defaults to true');
    assert.equal(catalog.has('dc'), false, 'a learned datacenter is only a label, as upstream');
    assert.equal(catalog.has('index'), false, 'the first query does not block');
  });
});

test('services: only those are watched, without the catalog; configured datacenter is sent', async () => {
  await withDiscovery({ services: ['web', 'absent'], datacenter: 'dc1' }, loadAll, async ({ fake, groups, sends, until }) => {
    await until('web', () => groups.has('web'));
    await until('absent answered', () => fake.requestsTo('/v1/health/service/absent').length > 0);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual([...groups.keys()], ['web']);
    assert.ok(sends.some((s) => s.some((g) => g.source === 'absent' && g.targets.length === 0)), 'an unknown service is an empty group');
    assert.equal(fake.requestsTo('/v1/catalog/services').length, 0);
    assert.equal(fake.requestsTo('/v1/agent/self').length, 0);
    assert.equal(fake.requestsTo('/v1/health/service/web')[0].query.get('dc'), 'dc1');
    assert.equal(groups.get('web')!.labels.__meta_consul_dc, 'dc1');
  });
});

test('tags: services carrying every tag are watched and their instances filtered by tag', async () => {
  await withDiscovery({ tags: ['prod'], services: ['web', 'db', 'consul'] }, loadAll, async ({ fake, groups, until }) => {
    await until('web and db', () => groups.has('web') && groups.has('db'));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual([...groups.keys()].sort(), ['db', 'web']);
    assert.equal(fake.requestsTo('/v1/health/service/consul').length, 0, 'consul has no prod tag: not watched');
    assert.ok(fake.requestsTo('/v1/catalog/services').length > 0, 'tags need the catalog even with services');
    assert.deepEqual(fake.requestsTo('/v1/health/service/web')[0].query.getAll('tag'), ['prod']);
    assert.deepEqual(groups.get('web')!.targets.map((t) => t.__meta_consul_service_id), ['web-1']);
    assert.deepEqual(groups.get('db')!.targets.map((t) => t.__meta_consul_service_id), ['db-primary', 'db-replica']);
  });
});

test('node_meta: sent to both endpoints; only matching nodes and their services', async () => {
  await withDiscovery({ node_meta: { 'rack-name': '2305' } }, loadAll, async ({ fake, groups, until }) => {
    await until('web and db', () => groups.has('web') && groups.has('db'));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual([...groups.keys()].sort(), ['db', 'web']);
    assert.deepEqual(fake.requestsTo('/v1/catalog/services')[0].query.getAll('node-meta'), ['rack-name:2305']);
    assert.deepEqual(fake.requestsTo('/v1/health/service/web')[0].query.getAll('node-meta'), ['rack-name:2305']);
    assert.deepEqual(groups.get('web')!.targets.map((t) => t.__meta_consul_node), ['node-2']);
    assert.deepEqual(groups.get('db')!.targets.map((t) => t.__meta_consul_metadata_rack_name), ['2305']);
  });
});

test('filter: forces the catalog watch and goes only to the catalog; health_filter only to health', async () => {
  await withDiscovery({ services: ['web'], filter: 'ServiceTags contains "prod"', health_filter: 'Checks.Status == "passing"' }, loadAll, async ({ fake, groups, until }) => {
    await until('web', () => groups.has('web'));
    assert.equal(fake.requestsTo('/v1/catalog/services')[0].query.get('filter'), 'ServiceTags contains "prod"');
    assert.equal(fake.requestsTo('/v1/health/service/web')[0].query.get('filter'), 'Checks.Status == "passing"');
    assert.equal(fake.requestsTo('/v1/health/service/db').length, 0);
  });
});

test('blocking queries: services and instances appear and disappear as Consul changes', async () => {
  await withDiscovery({}, (fake) => fake.services.set('web', entries('web')), async ({ fake, groups, sends, until }) => {
    await until('web', () => groups.has('web'));
    const before = fake.index;
    // Held queries carry the index of the last answer.
    await until('a held catalog query', () => fake.requestsTo('/v1/catalog/services').some((r) => r.query.get('index') === String(before)));

    fake.update((f) => f.services.set('db', entries('db')));
    await until('db', () => groups.has('db'));

    fake.update((f) => f.services.set('web', entries('web').slice(1)));
    await until('web down to one instance', () => groups.get('web')?.targets.length === 1);
    assert.equal(groups.get('web')!.targets[0].__meta_consul_service_id, 'web-2');

    fake.update((f) => f.services.delete('web'));
    // The catalog's removal sends the group empty, together with every current group.
    const removal = () => sends.find((s) => s.some((g) => g.source === 'web' && g.targets.length === 0 && Object.keys(g.labels).length === 0));
    await until('web removed', () => removal() !== undefined);
    assert.equal(groups.has('web'), false);
    assert.ok(removal()!.some((g) => g.source === 'db' && g.targets.length === 2), 'every send carries all current groups');
    const webQueries = fake.requestsTo('/v1/health/service/web').length;
    fake.update();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(fake.requestsTo('/v1/health/service/web').length, webQueries, 'the watcher of a removed service stopped');

    fake.update((f) => f.services.delete('db'));
    await until('nothing left', () => sends.some((s) => JSON.stringify(s) === JSON.stringify([{ source: 'db', targets: [], labels: {} }])));
    assert.equal(groups.size, 0);
  });
});

test('an index that goes backwards restarts from 0; an index of 0 is sent as 1', async () => {
  await withDiscovery({ services: ['web'], datacenter: 'dc1' }, (fake) => {
    fake.services.set('web', entries('web'));
    fake.index = 50;
  }, async ({ fake, groups, until }) => {
    await until('web', () => groups.has('web'));
    await until('a held query at 50', () => fake.requestsTo('/v1/health/service/web').some((r) => r.query.get('index') === '50'));
    const seen = fake.requestsTo('/v1/health/service/web').length;
    fake.update((f) => f.services.set('web', entries('web').slice(0, 1)), 7);
    await until('the new instance list', () => groups.get('web')?.targets.length === 1);
    await until('held at 7', () => fake.requestsTo('/v1/health/service/web').some((r) => r.query.get('index') === '7'));
    const after = fake.requestsTo('/v1/health/service/web').slice(seen).map((r) => r.query.get('index'));
    assert.deepEqual(after.slice(0, 2), [null, '7'], 'the answer with 7 is followed by a query without index');

    fake.update(() => {}, 0);
    await until('held at 1', () => fake.requestsTo('/v1/health/service/web').some((r) => r.query.get('index') === '1'));
    assert.equal(fake.requestsTo('/v1/health/service/web').some((r) => r.query.get('index') === '0'), false);
  });
});

test('token header; no stale when allow_stale is false; a refused token is logged and retried', async () => {
  await withDiscovery({ token: 'acl-token', allow_stale: false }, (fake) => {
    loadAll(fake);
    fake.requiredToken = 'acl-token';
  }, async ({ fake, groups, until }) => {
    await until('three services', () => groups.size === 3);
    for (const r of fake.requests) {
      assert.equal(r.headers['x-consul-token'], 'acl-token');
      assert.equal(r.query.has('stale'), false, r.path);
    }
  });
  await withDiscovery({ token: 'wrong' }, (fake) => {
    loadAll(fake);
    fake.requiredToken = 'acl-token';
  }, async ({ d, groups, until, logs }) => {
    await until('two failures', () => d.failures >= 2);
    assert.equal(groups.size, 0);
    assert.match(logs.join('\n'), /level=ERROR msg="Error retrieving datacenter name" err="Unexpected response code: 403 \(ACL not found\)"/);
  });
});

test('basic_auth from <http_config>', async () => {
  await withDiscovery({ basic_auth: { username: 'u', password: 'p' } }, loadAll, async ({ fake, groups, until }) => {
    await until('three services', () => groups.size === 3);
    for (const r of fake.requests) assert.equal(r.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});

test('errors are logged and counted, then discovery recovers and keeps the last groups meanwhile', async () => {
  await withDiscovery({}, (fake) => {
    loadAll(fake);
    fake.failNext = 2;
  }, async ({ fake, d, groups, until, logs, sends }) => {
    await until('three services', () => groups.size === 3);
    assert.equal(d.failures, 2);
    assert.match(logs.join('\n'), /msg="Error retrieving datacenter name" err="Unexpected response code: 500/);

    const sent = sends.length;
    fake.update((f) => {
      f.failNext = 4;
      f.services.set('web', entries('web').slice(0, 1));
    });
    await until('four more failures and web updated', () => d.failures === 6 && groups.get('web')?.targets.length === 1);
    // Whichever queries met the failures, their errors name the datacenter (and the service).
    assert.match(logs.join('\n'), /datacenter=dc7 msg="Error refreshing service( list)?" (service=\w+ tags="" )?err="Unexpected response code: 500/);
    assert.ok(sends.slice(sent).every((s) => s.every((g) => g.targets.length > 0)), 'failures never empty a group');
  });
});

test('scheme https: verified against tls_config\'s CA; an unknown CA is an error', async () => {
  // The shared test CA and its server certificate for 127.0.0.1.
  const tlsDir = join(repoRoot, 'src', 'discovery', 'kubernetes', 'testdata', 'tls');
  const tls = { key: readFileSync(join(tlsDir, 'server.key'), 'utf8'), cert: readFileSync(join(tlsDir, 'server.crt'), 'utf8') };
  await withDiscovery({ scheme: 'https', tls_config: { ca_file: join(tlsDir, 'ca.crt') } }, loadAll, async ({ groups, until }) => {
    await until('three services over https', () => groups.size === 3);
  }, tls);
  await withDiscovery({ scheme: 'https' }, loadAll, async ({ d, groups, until, logs }) => {
    await until('a failure', () => d.failures >= 1);
    assert.equal(groups.size, 0);
    assert.match(logs.join('\n'), /msg="Error retrieving datacenter name" err=".*(self[- ]signed|certificate)/i);
  }, tls);
});
