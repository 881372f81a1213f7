/** List + watch behaviour: updates, dependencies, 410 relists, stream ends, selectors, namespaces, paging. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesSdConfig } from '../../config/sd.js';
import { FakeApiServer, type FakeApiServerOptions } from './fake-apiserver.js';
import { KubernetesDiscoverer } from './index.js';
import { fixture, Recorder, sdConfig } from './test-helpers.js';
import type { Pod, Service } from './types.js';

async function start(fields: Partial<KubernetesSdConfig>, load: string[], opts: FakeApiServerOptions = {}) {
  const server = new FakeApiServer(opts);
  for (const name of load) server.load(name, fixture(name));
  const url = await server.start();
  const discoverer = new KubernetesDiscoverer(sdConfig({ api_server: url, ...fields }), undefined, { coalesceMs: 20, backoffMinMs: 20, minWatchMs: 0 });
  const rec = new Recorder(discoverer);
  return {
    server,
    rec,
    discoverer,
    async stop() {
      await rec.stop();
      await server.close();
    },
  };
}

/** Waits until the server has an open watch for `plural` (bounded). */
async function watching(server: FakeApiServer, plural: string, count = 1): Promise<void> {
  for (let i = 0; i < 250 && server.openWatches(plural) < count; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(server.openWatches(plural) >= count, `no watch on ${plural}`);
}

const webPod = () => structuredClone(fixture('pods')[0]) as Pod;

test('watch events add, modify and delete groups, and are counted as upstream counts them', async () => {
  const { server, rec, discoverer, stop } = await start({ role: 'pod' }, ['pods']);
  try {
    await rec.next((g) => g.has('pod/shop/web-7d9c5b8f6d-x2k8p'));
    await watching(server, 'pods');
    const added = webPod();
    added.metadata.name = 'web-second';
    added.status!.podIP = '10.244.1.8';
    server.add('pods', added);
    let groups = await rec.next((g) => g.get('pod/shop/web-second')?.targets[0]?.__address__ === '10.244.1.8:8080');
    assert.ok(groups.has('pod/shop/web-7d9c5b8f6d-x2k8p'), 'an update carries the full list');

    const modified = structuredClone(added);
    modified.metadata.labels = { release: 'canary' };
    server.modify('pods', modified);
    groups = await rec.next((g) => g.get('pod/shop/web-second')?.labels.__meta_kubernetes_pod_label_release === 'canary');
    assert.equal(groups.get('pod/shop/web-second')!.labels.__meta_kubernetes_pod_label_pod_template_hash, undefined);

    const before = rec.updates.length;
    server.remove('pods', modified);
    groups = await rec.next((g) => g.get('pod/shop/web-second')?.targets.length === 0, 5000, before);
    // Sent empty once, then no more.
    const afterDelete = rec.updates.length;
    server.add('pods', { ...webPod(), metadata: { ...webPod().metadata, name: 'third' } });
    groups = await rec.next((g) => g.has('pod/shop/third'), 5000, afterDelete);
    assert.equal(groups.has('pod/shop/web-second'), false);
    // Two listed and two watched additions, one modification, one deletion.
    assert.deepEqual(Object.fromEntries(discoverer.stats.events), { 'pod/add': 4, 'pod/update': 1, 'pod/delete': 1 });
    assert.equal(discoverer.stats.failures, 0);
  } finally {
    await stop();
  }
});

test('endpoints follow changes to their service and to pods that appear later', async () => {
  const { server, rec, stop } = await start({ role: 'endpoints' }, ['endpoints', 'services']);
  try {
    let groups = await rec.next((g) => g.has('endpoints/shop/web'));
    assert.equal(groups.get('endpoints/shop/web')!.targets[0].__meta_kubernetes_pod_name, undefined);
    await watching(server, 'services');
    await watching(server, 'pods');
    const svc = structuredClone(fixture('services')[0]) as Service;
    svc.metadata.labels = { tier: 'frontend' };
    server.modify('services', svc);
    groups = await rec.next((g) => g.get('endpoints/shop/web')?.labels.__meta_kubernetes_service_label_tier === 'frontend');
    server.add('pods', webPod());
    groups = await rec.next((g) => g.get('endpoints/shop/web')?.targets[0].__meta_kubernetes_pod_name === 'web-7d9c5b8f6d-x2k8p');
    // The pod's other container ports become targets too.
    assert.deepEqual(groups.get('endpoints/shop/web')!.targets.map((t) => t.__address__), ['10.244.1.7:8080', '10.244.1.9:8080', '10.244.1.7:9102', '10.244.1.7:9000']);
    server.remove('services', svc);
    groups = await rec.next((g) => g.get('endpoints/shop/web')?.labels.__meta_kubernetes_service_name === undefined);
  } finally {
    await stop();
  }
});

test('410 Gone relists, and objects deleted meanwhile are reported removed', async () => {
  const { server, rec, stop } = await start({ role: 'service' }, ['services']);
  try {
    await rec.next((g) => g.has('svc/shop/payments'));
    await watching(server, 'services');
    const lists = () => server.requests.filter((r) => r.url.startsWith('/api/v1/services?') && !r.url.includes('watch=1')).length;
    assert.equal(lists(), 1);
    server.removeSilently('services', fixture('services')[1]);
    server.expireWatches();
    const groups = await rec.next((g) => g.get('svc/shop/payments')?.targets.length === 0);
    assert.equal(groups.get('svc/shop/web')!.targets.length, 2);
    assert.equal(lists(), 2);
    await watching(server, 'services');
    server.add('services', { metadata: { name: 'late', namespace: 'shop' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.9', ports: [{ port: 1, protocol: 'TCP' }] } } as Service);
    await rec.next((g) => g.has('svc/shop/late'));
  } finally {
    await stop();
  }
});

test('a watch the server ends resumes from the last resourceVersion without relisting', async () => {
  const { server, rec, stop } = await start({ role: 'service' }, ['services']);
  try {
    await rec.next((g) => g.has('svc/shop/web'));
    await watching(server, 'services');
    const svc = structuredClone(fixture('services')[0]) as Service;
    svc.metadata.annotations = { note: 'v2' };
    server.modify('services', svc);
    await rec.next((g) => g.get('svc/shop/web')?.labels.__meta_kubernetes_service_annotation_note === 'v2');
    const lastVersion = server.currentVersion;
    server.endWatches();
    await watching(server, 'services');
    const watches = server.requests.filter((r) => r.url.includes('watch=1'));
    assert.equal(watches.length, 2);
    assert.match(watches[1].url, new RegExp(`resourceVersion=${lastVersion}&`));
    assert.match(watches[1].url, /allowWatchBookmarks=true/);
    assert.equal(server.requests.filter((r) => !r.url.includes('watch=1')).length, 1);
  } finally {
    await stop();
  }
});

test('selectors reach the query string of lists and watches; namespaces scope every kind', async () => {
  const { server, rec, stop } = await start(
    {
      role: 'endpoints',
      namespaces: { own_namespace: false, names: ['shop', 'edge'] },
      selectors: [
        { role: 'endpoints', label: 'app.kubernetes.io/name=web', field: '' },
        { role: 'pod', label: '', field: 'status.phase=Running' },
        { role: 'service', label: 'app.kubernetes.io/name=web', field: 'metadata.name=web' },
      ],
    },
    ['endpoints', 'services', 'pods'],
  );
  try {
    const groups = await rec.next((g) => g.has('endpoints/shop/web'));
    assert.equal(groups.get('endpoints/shop/web')!.labels.__meta_kubernetes_service_name, 'web');
    const urls = server.requests.map((r) => r.url);
    const q = (s: string) => new URLSearchParams(s).toString();
    for (const ns of ['shop', 'edge']) {
      assert.ok(urls.includes(`/api/v1/namespaces/${ns}/endpoints?${q('labelSelector=app.kubernetes.io/name=web')}&limit=500`), urls.join('\n'));
      assert.ok(urls.includes(`/api/v1/namespaces/${ns}/pods?${q('fieldSelector=status.phase=Running')}&limit=500`), urls.join('\n'));
      assert.ok(urls.includes(`/api/v1/namespaces/${ns}/services?${q('labelSelector=app.kubernetes.io/name=web&fieldSelector=metadata.name=web')}&limit=500`), urls.join('\n'));
    }
    await watching(server, 'endpoints', 2);
    const watchUrls = server.requests.map((r) => r.url).filter((u) => u.includes('/endpoints?') && u.includes('watch=1'));
    assert.ok(watchUrls.every((u) => u.includes(q('labelSelector=app.kubernetes.io/name=web'))), watchUrls.join('\n'));
    assert.ok(urls.every((u) => u.includes('/namespaces/shop/') || u.includes('/namespaces/edge/')), 'no cluster-wide requests');
  } finally {
    await stop();
  }
});

test('lists are read page by page', async () => {
  const { server, rec, stop } = await start({ role: 'service' }, ['services'], { pageSize: 1 });
  try {
    const groups = await rec.next((g) => g.size === 3);
    assert.deepEqual([...groups.keys()].sort(), ['svc/edge/gateway', 'svc/shop/payments', 'svc/shop/web']);
    assert.deepEqual(server.requests.filter((r) => !r.url.includes('watch=1')).map((r) => new URL(r.url, 'http://x').searchParams.get('continue')), [null, '1', '2']);
  } finally {
    await stop();
  }
});

test('bursts of events are coalesced into fewer updates', async () => {
  const { server, rec, stop } = await start({ role: 'service' }, []);
  try {
    await rec.next();
    await watching(server, 'services');
    const before = rec.updates.length;
    for (let i = 0; i < 50; i++) server.add('services', { metadata: { name: `s${i}`, namespace: 'ns' }, spec: { clusterIP: '10.0.0.1', type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP' }] } } as Service);
    const groups = await rec.next((g) => g.size === 50, 5000, before);
    assert.equal(groups.get('svc/ns/s49')!.targets[0].__address__, 's49.ns.svc:80');
    assert.ok(rec.updates.length - before < 10, `${rec.updates.length - before} updates for 50 events`);
  } finally {
    await stop();
  }
});
