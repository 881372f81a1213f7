import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tempDir } from '../testing/peers.js';
import { WebUi } from './ui.js';

const INDEX = '<!doctype html><html><head><title>x</title><script type="module" src="./assets/index-abc123.js"></script></head><body></body></html>';
const JS = `console.log(${JSON.stringify('x'.repeat(2000))});`;

/** Serves `ui` under `prefix` as web.ts does; returns the base URL and a close function. */
async function serve(ui: WebUi, prefix: string): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname.slice(prefix.length) || '/';
    if (!ui.serve(req, res, path, prefix)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
  return { base, close: () => new Promise((r) => server.close(() => r())) };
}

test('serves the built UI from memory: base href, caching headers, gzip, 304', async () => {
  const dir = tempDir();
  mkdirSync(join(dir.path, 'assets'));
  writeFileSync(join(dir.path, 'index.html'), INDEX);
  writeFileSync(join(dir.path, 'assets', 'index-abc123.js'), JS);
  writeFileSync(join(dir.path, 'favicon.svg'), '<svg/>');
  const ui = new WebUi(dir.path);
  // Read at construction: later changes on disk are not seen.
  writeFileSync(join(dir.path, 'assets', 'index-abc123.js'), 'changed');
  const srv = await serve(ui, '/prefix');
  try {
    const root = await fetch(`${srv.base}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/prefix/query');

    for (const [route, base] of [['/query', './'], ['/graph', './'], ['/targets', './'], ['/status', './'], ['/alerts', './'], ['/rules', './'], ['/service-discovery', './'], ['/alertmanager-discovery', './'], ['/query/', '../']]) {
      const res = await fetch(`${srv.base}${route}`);
      assert.equal(res.status, 200, route);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.match(await res.text(), new RegExp(`<head>\\s*<base href="${base.replace(/\./g, '\\.')}">`), route);
    }

    const js = await fetch(`${srv.base}/assets/index-abc123.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(js.headers.get('content-encoding'), 'gzip');
    assert.equal(await js.text(), JS);
    const etag = js.headers.get('etag')!;
    assert.match(etag, /^"[\w-]+"$/);

    const raw = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get(`${srv.base}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
    assert.equal(raw.headers['content-length'], String(raw.body.length));
    assert.ok(raw.body.length < JS.length / 10);
    assert.equal(gunzipSync(raw.body).toString(), JS);

    const notModified = await fetch(`${srv.base}/assets/index-abc123.js`, { headers: { 'if-none-match': etag } });
    assert.equal(notModified.status, 304);

    const icon = await fetch(`${srv.base}/favicon.svg`);
    assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
    assert.equal(icon.headers.get('cache-control'), 'no-cache');
    assert.equal(icon.headers.get('content-encoding'), null, 'tiny files are not gzipped');

    assert.equal((await fetch(`${srv.base}/assets/missing.js`)).status, 404);
    assert.equal((await fetch(`${srv.base}/index.html`)).status, 404, 'index.html only through the UI routes');
  } finally {
    await srv.close();
    dir.remove();
  }
});

test('an unbuilt UI answers its routes with how to build it', async () => {
  const dir = tempDir();
  const ui = new WebUi(dir.path);
  assert.equal(ui.built, false);
  const srv = await serve(ui, '');
  try {
    const res = await fetch(`${srv.base}/query`);
    assert.equal(res.status, 503);
    assert.match(await res.text(), /npm run build/);
  } finally {
    await srv.close();
    dir.remove();
  }
});
