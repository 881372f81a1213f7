/** Reaching the API: in-cluster service account, api_server with auth and TLS, kubeconfig files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Secret } from '../../config/decode.js';
import { tempDir } from '../../testing/peers.js';
import { resolveAccess } from './client.js';
import { FakeApiServer } from './fake-apiserver.js';
import { KubernetesDiscoverer } from './index.js';
import { loadKubeconfig } from './kubeconfig.js';
import { fixture, Recorder, sdConfig, TESTDATA } from './test-helpers.js';

const TLS = join(TESTDATA, 'tls');
const pem = (name: string) => readFileSync(join(TLS, name), 'utf8');
const b64 = (name: string) => Buffer.from(pem(name)).toString('base64');
const serverTls = { key: pem('server.key'), cert: pem('server.crt') };

test('in-cluster: KUBERNETES_SERVICE_HOST/PORT over TLS with the service account CA and token; own_namespace', async () => {
  const server = new FakeApiServer({ tls: serverTls, token: 'sa-token' });
  server.load('pods', fixture('pods'));
  const port = new URL(await server.start()).port;
  const sa = tempDir();
  try {
    copyFileSync(join(TLS, 'ca.crt'), join(sa.path, 'ca.crt'));
    writeFileSync(join(sa.path, 'token'), 'sa-token');
    writeFileSync(join(sa.path, 'namespace'), 'shop\n');
    const cfg = sdConfig({ role: 'pod', namespaces: { own_namespace: true, names: [] } });
    const rec = new Recorder(new KubernetesDiscoverer(cfg, undefined, { serviceAccountDir: sa.path, env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port }, coalesceMs: 10 }));
    try {
      const groups = await rec.next();
      assert.deepEqual([...groups.keys()], ['pod/shop/web-7d9c5b8f6d-x2k8p']);
      assert.ok(server.requests.every((r) => r.authorization === 'Bearer sa-token'));
      assert.ok(server.requests.every((r) => r.url.startsWith('/api/v1/namespaces/shop/pods')));
    } finally {
      await rec.stop();
    }
  } finally {
    await server.close();
    sa.remove();
  }
});

test('in-cluster without the environment fails like client-go', () => {
  assert.throws(() => resolveAccess(sdConfig({}), { env: {} }), /unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/);
});

test('api_server: a rejected token is retried with backoff and the rotated token file is picked up', async () => {
  const server = new FakeApiServer({ tls: serverTls, token: 'new-token' });
  server.load('services', fixture('services'));
  const url = await server.start();
  const dir = tempDir();
  try {
    const tokenFile = join(dir.path, 'token');
    writeFileSync(tokenFile, 'old-token');
    const cfg = sdConfig({
      role: 'service',
      api_server: url,
      authorization: { type: 'Bearer', credentials: undefined, credentials_file: tokenFile, credentials_ref: '' },
      tls_config: { ...sdConfig({}).tls_config, ca_file: join(TLS, 'ca.crt') },
    });
    const discoverer = new KubernetesDiscoverer(cfg, undefined, { coalesceMs: 10, backoffMinMs: 20 });
    const rec = new Recorder(discoverer);
    try {
      for (let i = 0; i < 100 && server.requests.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(server.requests.length >= 2, 'the failed list is retried');
      assert.ok(discoverer.stats.failures >= 1);
      assert.equal(rec.updates.length, 0);
      writeFileSync(tokenFile, 'new-token');
      const groups = await rec.next();
      assert.equal(groups.size, 3);
    } finally {
      await rec.stop();
    }
  } finally {
    await server.close();
    dir.remove();
  }
});

test('api_server with basic auth and insecure_skip_verify', async () => {
  const server = new FakeApiServer({ tls: serverTls });
  server.load('ingresses', fixture('ingresses'));
  const url = await server.start();
  try {
    const cfg = sdConfig({
      role: 'ingress',
      api_server: url,
      basic_auth: { username: 'admin', username_file: '', password: new Secret('s3cret'), password_file: '', username_ref: '', password_ref: '' },
      tls_config: { ...sdConfig({}).tls_config, insecure_skip_verify: true },
    });
    const rec = new Recorder(new KubernetesDiscoverer(cfg, undefined, { coalesceMs: 10 }));
    try {
      assert.ok((await rec.next()).has('ingress/shop/web'));
      assert.equal(server.requests[0].authorization, `Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
      assert.match(server.requests[0].url, /^\/apis\/networking\.k8s\.io\/v1\/ingresses\?/);
    } finally {
      await rec.stop();
    }
  } finally {
    await server.close();
  }
});

test('kubeconfig: current context, embedded CA and client certificate reach a server that requires them', async () => {
  const server = new FakeApiServer({ tls: { ...serverTls, ca: pem('ca.crt'), requestCert: true } });
  server.load('endpointslices', fixture('endpointslices'));
  const url = await server.start();
  const dir = tempDir();
  try {
    const path = join(dir.path, 'config');
    writeFileSync(
      path,
      `apiVersion: v1
kind: Config
current-context: test
clusters:
- name: other
  cluster:
    server: https://unused.invalid:6443
- name: local
  cluster:
    server: ${url}
    certificate-authority-data: ${b64('ca.crt')}
contexts:
- name: test
  context:
    cluster: local
    user: admin
    namespace: shop
users:
- name: admin
  user:
    client-certificate-data: ${b64('client.crt')}
    client-key-data: ${b64('client.key')}
`,
    );
    const rec = new Recorder(new KubernetesDiscoverer(sdConfig({ role: 'endpointslice', kubeconfig_file: path }), undefined, { coalesceMs: 10 }));
    try {
      assert.ok((await rec.next()).has('endpointslice/shop/web-8hq2v'));
      assert.ok(server.requests.some((r) => r.url.startsWith('/apis/discovery.k8s.io/v1/endpointslices?')));
    } finally {
      await rec.stop();
    }
  } finally {
    await server.close();
    dir.remove();
  }
});

test('kubeconfig: file paths are relative to the kubeconfig, tokens and token files become bearer auth', () => {
  const dir = tempDir();
  try {
    const path = join(dir.path, 'kubeconfig.yaml');
    writeFileSync(
      path,
      `current-context: a
clusters: [{name: c, cluster: {server: 'https://k8s.example:6443', certificate-authority: certs/ca.crt, insecure-skip-tls-verify: true, tls-server-name: api.internal}}]
contexts: [{name: a, context: {cluster: c, user: u}}, {name: b, context: {cluster: c, user: v}}]
users: [{name: u, user: {token: abc, client-certificate: /etc/k/client.crt, client-key: client.key}}, {name: v, user: {tokenFile: tok}}]
`,
    );
    const a = loadKubeconfig(path);
    assert.equal(a.server, 'https://k8s.example:6443');
    assert.equal(a.http.tls_config!.ca_file, join(dir.path, 'certs/ca.crt'));
    assert.equal(a.http.tls_config!.cert_file, '/etc/k/client.crt');
    assert.equal(a.http.tls_config!.key_file, join(dir.path, 'client.key'));
    assert.equal(a.http.tls_config!.insecure_skip_verify, true);
    assert.equal(a.http.tls_config!.server_name, 'api.internal');
    assert.equal(a.http.authorization!.credentials!.value, 'abc');
    writeFileSync(path, readFileSync(path, 'utf8').replace('current-context: a', 'current-context: b'));
    assert.equal(loadKubeconfig(path).http.authorization!.credentials_file, join(dir.path, 'tok'));
    writeFileSync(path, readFileSync(path, 'utf8').replace('current-context: b', 'current-context: missing'));
    assert.throws(() => loadKubeconfig(path), /context "missing" not found/);
    writeFileSync(path, 'current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "https://x"}}]\nusers: [{name: u, user: {exec: {command: aws}}}]\n');
    assert.throws(() => loadKubeconfig(path), /exec and auth-provider credentials are not supported/);
  } finally {
    dir.remove();
  }
});
