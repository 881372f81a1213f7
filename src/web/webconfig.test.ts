import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { findBinary, freePort, tempDir, waitForHttp } from '../testing/peers.js';
import { startCli } from '../testing/cli.js';
import { BasicAuth, loadWebConfig } from './webconfig.js';

function get(url: string, ca: string, auth?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('basic auth checks bcrypt hashes and rejects unknown users and bad headers', () => {
  const auth = new BasicAuth({ admin: { value: bcrypt.hashSync('s3cret', 4) } as never });
  const h = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  assert.ok(auth.check(h('admin:s3cret')));
  assert.ok(auth.check(h('admin:s3cret')), 'cached');
  assert.ok(!auth.check(h('admin:wrong')));
  assert.ok(!auth.check(h('nobody:s3cret')));
  assert.ok(!auth.check(undefined));
  assert.ok(!auth.check('Bearer x'));
});

test('web config file: TLS with basic auth; wrong credentials get 401 and no data', { timeout: 60_000 }, async (t) => {
  const openssl = findBinary('openssl');
  if (!openssl) {
    t.skip('SKIPPED: openssl is needed to make a test certificate');
    return;
  }
  const dir = tempDir();
  const cert = join(dir.path, 'cert.pem');
  const key = join(dir.path, 'key.pem');
  const gen = spawnSync(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const webCfg = join(dir.path, 'web.yml');
  writeFileSync(webCfg, `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  admin: ${bcrypt.hashSync('s3cret', 4)}\n`);
  assert.equal(loadWebConfig(webCfg).tls_server_config?.cert_file, cert);
  writeFileSync(join(dir.path, 'bad.yml'), 'basic_auth_users:\n  admin: plaintext\n');
  assert.throws(() => loadWebConfig(join(dir.path, 'bad.yml')), /not a bcrypt hash/);
  const cfg = join(dir.path, 'prometheus.yml');
  writeFileSync(cfg, 'scrape_configs: []\n');
  const port = await freePort();
  const server = startCli(['server', `--config.file=${cfg}`, `--storage.tsdb.path=${join(dir.path, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, `--web.config.file=${webCfg}`]);
  try {
    const ca = (await import('node:fs')).readFileSync(cert, 'utf8');
    const base = `https://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await get(`${base}/-/ready`, ca, 'admin:s3cret')).status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`server did not become ready:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const none = await get(`${base}/api/v1/query?query=1`, ca);
    assert.equal(none.status, 401);
    assert.ok(!none.body.includes('success'));
    const wrong = await get(`${base}/api/v1/query?query=1`, ca, 'admin:nope');
    assert.equal(wrong.status, 401);
    const ok = await get(`${base}/api/v1/query?query=1`, ca, 'admin:s3cret');
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body).data.result[1], '1');
    await assert.rejects(waitForHttp(`http://127.0.0.1:${port}/-/ready`, 1000), 'plain HTTP is not served');
  } finally {
    await server.stop();
    dir.remove();
  }
});
