/**
 * An HTTP(S) client for service discovery that applies a `<http_config>` block: basic auth,
 * `authorization` (credentials or a file re-read per request, so rotated tokens are picked
 * up as upstream does), custom headers, TLS (CA, client certificate, server name, skip
 * verify, version bounds), an HTTP proxy (`proxy_url`, CONNECT for https), redirects and
 * timeouts. Built on node:http/node:https so a request can stream its response (watches,
 * long polls) and honour an abort signal.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type SecureVersion } from 'node:tls';
import type { HttpClientConfig } from '../config/http.js';

/** The parts of `<http_config>` this client applies; everything is optional. */
export type HttpClientSettings = Partial<
  Pick<HttpClientConfig, 'basic_auth' | 'authorization' | 'oauth2' | 'tls_config' | 'proxy_url' | 'follow_redirects' | 'http_headers'>
>;

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Whole-request deadline for `getJson`; for `stream`, the deadline to receive headers. */
  timeoutMs?: number;
}

/** A non-2xx answer; `body` holds the start of the response for error messages. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    url: string,
  ) {
    super(`server returned HTTP status ${status} ${http.STATUS_CODES[status] ?? ''} for ${url}${body ? `: ${body.slice(0, 200)}` : ''}`.trim());
  }
}

const MAX_REDIRECTS = 10;
const DEFAULT_TIMEOUT_MS = 30_000;
const TLS_VERSION: Record<string, SecureVersion> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

export class HttpClient {
  private readonly tlsOptions: https.AgentOptions;
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly proxy: URL | undefined;
  private proxyAgent: https.Agent | undefined;

  constructor(
    private readonly cfg: HttpClientSettings = {},
    private readonly userAgent = 'Pyrometer',
  ) {
    if (cfg.oauth2) throw new Error('oauth2 is not supported by this HTTP client');
    this.proxy = cfg.proxy_url ? new URL(cfg.proxy_url) : undefined;
    const tls = cfg.tls_config;
    const key = tls?.key?.value || (tls?.key_file ? readFileSync(tls.key_file, 'utf8') : undefined);
    this.tlsOptions = {
      ca: tls?.ca || (tls?.ca_file ? readFileSync(tls.ca_file, 'utf8') : undefined),
      cert: tls?.cert || (tls?.cert_file ? readFileSync(tls.cert_file, 'utf8') : undefined),
      key,
      servername: tls?.server_name || undefined,
      rejectUnauthorized: !tls?.insecure_skip_verify,
      minVersion: tls?.min_version ? TLS_VERSION[tls.min_version] : 'TLSv1.2',
      maxVersion: tls?.max_version ? TLS_VERSION[tls.max_version] : undefined,
    };
    this.httpsAgent = new https.Agent({ ...this.tlsOptions, keepAlive: true });
  }

  /** GETs `url` and parses the JSON body; throws HttpStatusError on a non-2xx status. */
  async getJson<T = unknown>(url: string, opts: RequestOptions = {}): Promise<T> {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const res = await this.send(url, { ...opts, signal }, 0);
    const body = await readBody(res);
    if (res.statusCode! < 200 || res.statusCode! > 299) throw new HttpStatusError(res.statusCode!, body, url);
    try {
      return JSON.parse(body) as T;
    } catch (e) {
      throw new Error(`invalid JSON from ${url}: ${(e as Error).message}`);
    }
  }

  /**
   * GETs `url` and resolves with the response once its headers arrive (status 2xx), for the
   * caller to read as a stream; aborting `signal` destroys it. Throws HttpStatusError otherwise.
   */
  async stream(url: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
    const headerDeadline = new AbortController();
    const timer = setTimeout(() => headerDeadline.abort(new Error(`timed out waiting for response headers from ${url}`)), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = opts.signal ? AbortSignal.any([opts.signal, headerDeadline.signal]) : headerDeadline.signal;
    let res: IncomingMessage;
    try {
      res = await this.send(url, { ...opts, signal }, 0);
    } finally {
      clearTimeout(timer);
    }
    if (res.statusCode! < 200 || res.statusCode! > 299) throw new HttpStatusError(res.statusCode!, await readBody(res), url);
    // Once streaming, only the caller's signal ends the response.
    const onAbort = () => res.destroy(opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('aborted'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    res.once('close', () => opts.signal?.removeEventListener('abort', onAbort));
    return res;
  }

  /** An agent whose connections are CONNECT tunnels through the proxy, created once. */
  private tunnelAgent(proxy: URL): https.Agent {
    if (!this.proxyAgent) {
      this.proxyAgent = new https.Agent({ ...this.tlsOptions, keepAlive: true });
      // Agent.createSocket accepts a connection delivered later through the callback.
      this.proxyAgent.createConnection = tunnel(proxy, this.tlsOptions) as unknown as https.Agent['createConnection'];
    }
    return this.proxyAgent;
  }

  /** Stops keep-alive connections; requests still in flight finish. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.proxyAgent?.destroy();
  }

  private headers(extra: Record<string, string> | undefined): Record<string, string> {
    const h: Record<string, string> = { 'User-Agent': this.userAgent };
    for (const [name, header] of Object.entries(this.cfg.http_headers ?? {})) {
      const values = [...header.values, ...header.secrets.map((s) => s.value), ...header.files.map((f) => readFileSync(f, 'utf8').trim())];
      if (values.length > 0) h[name] = values.join(', ');
    }
    const basic = this.cfg.basic_auth;
    if (basic) {
      const user = basic.username_file ? readFileSync(basic.username_file, 'utf8').trim() : basic.username;
      const pass = basic.password_file ? readFileSync(basic.password_file, 'utf8').trim() : (basic.password?.value ?? '');
      h.Authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    }
    const auth = this.cfg.authorization;
    if (auth) {
      const credentials = auth.credentials_file ? readFileSync(auth.credentials_file, 'utf8').trim() : (auth.credentials?.value ?? '');
      h.Authorization = `${auth.type || 'Bearer'} ${credentials}`;
    }
    return { ...h, ...extra };
  }

  private async send(url: string, opts: RequestOptions, redirects: number): Promise<IncomingMessage> {
    const target = new URL(url);
    const res = await this.request(target, opts);
    const location = res.headers.location;
    if (this.cfg.follow_redirects !== false && location && [301, 302, 303, 307, 308].includes(res.statusCode!)) {
      res.resume();
      if (redirects >= MAX_REDIRECTS) throw new Error(`stopped after ${MAX_REDIRECTS} redirects from ${url}`);
      return this.send(new URL(location, target).toString(), opts, redirects + 1);
    }
    return res;
  }

  private request(target: URL, opts: RequestOptions): Promise<IncomingMessage> {
    const secure = target.protocol === 'https:';
    if (!secure && target.protocol !== 'http:') return Promise.reject(new Error(`unsupported URL scheme "${target.protocol}"`));
    const headers = this.headers(opts.headers);
    return new Promise((resolve, reject) => {
      const onResponse = (res: IncomingMessage) => resolve(res);
      let req: http.ClientRequest;
      if (this.proxy && !secure) {
        // A plain-HTTP proxy takes the absolute URL as the request path.
        req = http.request({ host: this.proxy.hostname, port: this.proxy.port || 80, path: target.toString(), headers: { ...headers, ...proxyAuth(this.proxy) }, signal: opts.signal }, onResponse);
      } else if (this.proxy) {
        req = https.request(target, { headers, signal: opts.signal, agent: this.tunnelAgent(this.proxy) }, onResponse);
      } else {
        req = (secure ? https : http).request(target, { headers, signal: opts.signal, agent: secure ? this.httpsAgent : this.httpAgent }, onResponse);
      }
      req.on('error', reject);
      req.end();
    });
  }
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(creds).toString('base64')}` };
}

/**
 * Opens an https connection through an HTTP CONNECT tunnel, then TLS with the client's
 * settings.
 */
function tunnel(proxy: URL, tlsOptions: https.AgentOptions) {
  return (options: http.ClientRequestArgs, callback: (err: Error | null, socket?: Socket) => void): undefined => {
    const authority = `${options.hostname ?? options.host}:${options.port ?? 443}`;
    const connect = http.request({ host: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: authority, headers: { Host: authority, ...proxyAuth(proxy) } });
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        callback(new Error(`proxy CONNECT to ${authority} failed with HTTP status ${res.statusCode}`));
        return;
      }
      const host = tlsOptions.servername || String(options.hostname ?? options.host ?? '');
      const secure = tlsConnect({ ...tlsOptions, socket, servername: isIP(host) ? undefined : host });
      secure.once('secureConnect', () => callback(null, secure));
      secure.once('error', (e) => callback(e));
    });
    connect.once('error', (e) => callback(e));
    connect.end();
    return undefined;
  };
}

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
