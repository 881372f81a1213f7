import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { Secret } from '../config/decode.js';
import { repoRoot } from '../testing/paths.js';
import { tempDir } from '../testing/peers.js';
import { HttpClient, HttpStatusError } from './http-client.js';

// A CA, a server certificate for 127.0.0.1/localhost and a client certificate, all signed by the CA.
const TLS_DIR = join(repoRoot, 'src', 'discovery', 'kubernetes', 'testdata', 'tls');
const pem = (name: string) => readFileSync(join(TLS_DIR, name), 'utf8');

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('getJson sends authorization from a file re-read per request, basic auth and custom headers', async () => {
  const seen: IncomingMessage['headers'][] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ path: req.url }));
  });
  const dir = tempDir();
  try {
    const host = await listen(server);
    const tokenFile = join(dir.path, 'token');
    writeFileSync(tokenFile, 'first\n');
    const bearer = new HttpClient({
      authorization: { type: 'Bearer', credentials: undefined, credentials_file: tokenFile, credentials_ref: '' },
      http_headers: { 'X-Scope': { values: ['a'], secrets: [new Secret('b')], files: [] } },
    });
    assert.deepEqual(await bearer.getJson(`http://${host}/x?y=1`), { path: '/x?y=1' });
    writeFileSync(tokenFile, 'second\n');
    await bearer.getJson(`http://${host}/`);
    bearer.close();
    const basic = new HttpClient({ basic_auth: { username: 'u', username_file: '', password: new Secret('p'), password_file: '', username_ref: '', password_ref: '' } });
    await basic.getJson(`http://${host}/`);
    basic.close();
    assert.equal(seen[0].authorization, 'Bearer first');
    assert.equal(seen[0]['x-scope'], 'a, b');
    assert.equal(seen[1].authorization, 'Bearer second');
    assert.equal(seen[2].authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  } finally {
    server.close();
    dir.remove();
  }
});

test('non-2xx answers reject with the status, redirects are followed', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/moved') {
      res.writeHead(302, { Location: '/here' });
      res.end();
    } else if (req.url === '/here') {
      res.end('{"ok":true}');
    } else {
      res.writeHead(403);
      res.end('forbidden: no');
    }
  });
  try {
    const host = await listen(server);
    const client = new HttpClient();
    assert.deepEqual(await client.getJson(`http://${host}/moved`), { ok: true });
    await assert.rejects(client.getJson(`http://${host}/other`), (e: unknown) => e instanceof HttpStatusError && e.status === 403 && /forbidden: no/.test(e.message));
    await assert.rejects(client.stream(`http://${host}/other`), (e: unknown) => e instanceof HttpStatusError && e.status === 403);
    client.close();
  } finally {
    server.close();
  }
});

test('stream delivers chunks as they arrive and ends when the signal aborts', async () => {
  const server = createServer((_req, res) => {
    res.write('one\n');
    // Never ends on its own: only the client's abort stops it.
  });
  try {
    const host = await listen(server);
    const client = new HttpClient();
    const ctl = new AbortController();
    const res = await client.stream(`http://${host}/watch`, { signal: ctl.signal });
    const [first] = (await once(res, 'data')) as [Buffer];
    assert.equal(first.toString(), 'one\n');
    const closed = new Promise((resolve) => res.once('close', resolve));
    res.on('error', () => {});
    ctl.abort();
    await closed;
    assert.equal(res.destroyed, true);
    client.close();
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('TLS: verifies the server against the configured CA and presents a client certificate', async () => {
  let clientCN = '';
  const server = createHttpsServer({ key: pem('server.key'), cert: pem('server.crt'), ca: pem('ca.crt'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
    clientCN = String((req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject.CN);
    res.end('[]');
  });
  try {
    const host = await listen(server);
    const tls = { ca: '', ca_file: join(TLS_DIR, 'ca.crt'), cert: pem('client.crt'), cert_file: '', key: undefined, key_file: join(TLS_DIR, 'client.key'), server_name: '', insecure_skip_verify: false, min_version: '', max_version: '' };
    const client = new HttpClient({ tls_config: tls });
    assert.deepEqual(await client.getJson(`https://${host}/`), []);
    assert.equal(clientCN, 'pyrometer');
    client.close();
    // Without the CA the self-signed chain is rejected; insecure_skip_verify accepts it.
    const noCa = new HttpClient({ tls_config: { ...tls, ca_file: '' } });
    await assert.rejects(noCa.getJson(`https://${host}/`), /self[- ]signed|unable to (get|verify)/i);
    noCa.close();
    const skip = new HttpClient({ tls_config: { ...tls, ca_file: '', insecure_skip_verify: true } });
    assert.deepEqual(await skip.getJson(`https://${host}/`), []);
    skip.close();
  } finally {
    server.close();
  }
});

test('proxy_url: plain HTTP goes through the proxy with the absolute URL, https through CONNECT', async () => {
  const proxied: string[] = [];
  const origin = createHttpsServer({ key: pem('server.key'), cert: pem('server.crt') }, (_req, res) => res.end('{"via":"tunnel"}'));
  const proxy = createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    httpRequest(target, (up) => up.pipe(res)).end();
  });
  proxy.on('connect', (req, socket) => {
    proxied.push(`${req.method} ${req.url}`);
    const [host, port] = req.url!.split(':');
    const up = netConnect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.pipe(socket).pipe(up);
    });
  });
  const plain = createServer((_req, res) => res.end('{"via":"proxy"}'));
  try {
    const proxyHost = await listen(proxy);
    const originHost = await listen(origin);
    const plainHost = await listen(plain);
    const client = new HttpClient({
      proxy_url: `http://${proxyHost}`,
      tls_config: { ca: pem('ca.crt'), ca_file: '', cert: '', cert_file: '', key: undefined, key_file: '', server_name: 'localhost', insecure_skip_verify: false, min_version: '', max_version: '' },
    });
    assert.deepEqual(await client.getJson(`http://${plainHost}/a`), { via: 'proxy' });
    assert.deepEqual(await client.getJson(`https://${originHost}/b`), { via: 'tunnel' });
    assert.deepEqual(proxied, [`GET http://${plainHost}/a`, `CONNECT ${originHost}`]);
    client.close();
  } finally {
    proxy.closeAllConnections();
    origin.closeAllConnections();
    proxy.close();
    origin.close();
    plain.close();
  }
});
