/**
 * The server's HTTP endpoints: the API, `/federate`, `/metrics`, and the lifecycle
 * endpoints `/-/healthy`, `/-/ready`, `/-/reload`, `/-/quit`, and the web UI (`./ui.ts`), all
 * under the route prefix.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { acceptsGzip, negotiate, serialize, type MetricFamily, type Registry } from '@pyrometer/client';
import { isStaleNaN } from '../model/value.js';
import { ValueType, type Storage } from '../storage/interface.js';
import { parseMetricSelector } from '../promql/parser/parser.js';
import { nopLogger, type Logger } from '../util/log.js';
import type { ApiV1 } from './api/api.js';
import { BasicAuth, tlsOptions, type WebConfig } from './webconfig.js';
import { WebUi } from './ui.js';
import { RequestMetrics } from './request-metrics.js';

export interface WebOptions {
  listenAddress: string;
  routePrefix: string;
  enableLifecycle: boolean;
  lookbackDeltaMs: number;
  externalLabels: () => Record<string, string>;
  storage: Storage;
  api: ApiV1;
  registry: Registry;
  isReady: () => boolean;
  /** Reloads the config; rejects with the reason when the new config is bad. */
  reload: () => Promise<void>;
  quit: () => void;
  /** From --web.config.file: TLS, basic auth and extra response headers. */
  webConfig?: WebConfig;
  log?: Logger;
}

export class WebServer {
  private readonly server: http.Server | https.Server;
  private readonly log: Logger;
  private readonly auth: BasicAuth | undefined;
  /** For `prometheus_http_*`: requests, latency and response size by handler. */
  readonly requestMetrics = new RequestMetrics();
  /** The handler label each response is counted under, set by the route that serves it. */
  private readonly handlerLabels = new WeakMap<ServerResponse, string>();
  /** The web UI, read into memory once at startup. */
  private readonly ui = new WebUi();

  constructor(private readonly o: WebOptions) {
    this.log = o.log ?? nopLogger;
    const users = o.webConfig?.basic_auth_users ?? {};
    this.auth = Object.keys(users).length ? new BasicAuth(users) : undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      const started = performance.now();
      for (const [k, v] of Object.entries(o.webConfig?.http_server_config.headers ?? {})) res.setHeader(k, v);
      if (this.auth && !this.auth.check(req.headers.authorization)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic', 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Unauthorized\n');
        return;
      }
      this.meter(res, started);
      this.route(req, res).catch((e) => {
        this.log.error('HTTP handler failed', { path: req.url, err: e });
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `${(e as Error).message}\n`);
        else res.destroy();
      });
    };
    const tls = o.webConfig?.tls_server_config;
    this.server = tls ? https.createServer(tlsOptions(tls), handler) : http.createServer(handler);
    this.server.keepAliveTimeout = 65_000;
  }

  /** Listens on `host:port` (`:port` means all interfaces); resolves with the bound port. */
  async listen(): Promise<number> {
    const { host, port } = splitHostPort(this.o.listenAddress);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  /** Names the handler a response is counted under (route patterns only, so the label set stays bounded). */
  private count(res: ServerResponse, handler: string): void {
    this.handlerLabels.set(res, handler);
  }

  /** Observes the response when it closes: its handler, status, latency and body bytes. */
  private meter(res: ServerResponse, started: number): void {
    let bytes = 0;
    const add = (chunk: unknown) => {
      if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk);
      else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
    };
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, ...args: unknown[]) {
      add(args[0]);
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as ServerResponse['write'];
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      if (typeof args[0] !== 'function') add(args[0]);
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['end'];
    res.once('close', () => {
      const handler = this.handlerLabels.get(res);
      if (handler !== undefined) this.requestMetrics.observe(handler, res.statusCode, (performance.now() - started) / 1000, bytes);
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const prefix = this.o.routePrefix === '/' ? '' : this.o.routePrefix.replace(/\/$/, '');
    if (prefix && !url.pathname.startsWith(prefix)) {
      this.count(res, 'other');
      return send(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
    }
    const path = url.pathname.slice(prefix.length) || '/';
    if (path.startsWith('/api/v1/')) {
      this.count(res, `/api/v1/${path.slice('/api/v1/'.length).replace(/^label\/[^/]+\/values$/, 'label/:name/values')}`);
      const r = await this.o.api.handle(req, path.slice('/api/v1/'.length), url);
      // The API's only 404 is an unknown endpoint: not labelled by its raw path, so labels stay bounded.
      if (r.status === 404) this.count(res, 'other');
      if (r.body === undefined) {
        res.writeHead(r.status, { ...r.headers, ...(r.text === undefined ? {} : { 'Content-Type': 'text/plain; charset=utf-8' }) });
        return void res.end(r.text);
      }
      return sendJson(req, res, r.status, r.body);
    }
    switch (path) {
      case '/-/healthy':
        this.count(res, path);
        return send(res, 200, 'text/plain; charset=utf-8', 'Prometheus Server is Healthy.\n');
      case '/-/ready':
        this.count(res, path);
        // Prometheus writes this one without a newline.
        if (!this.o.isReady()) return send(res, 503, 'text/plain; charset=utf-8', 'Service Unavailable');
        return send(res, 200, 'text/plain; charset=utf-8', 'Prometheus Server is Ready.\n');
      case '/-/reload':
        return this.lifecycle(req, res, path, async () => {
          try {
            await this.o.reload();
          } catch (e) {
            send(res, 500, 'text/plain; charset=utf-8', `failed to reload config: ${(e as Error).message}\n`);
            return false;
          }
          return true;
        });
      case '/-/quit':
        return this.lifecycle(req, res, path, async () => {
          send(res, 200, 'text/plain; charset=utf-8', 'Requesting termination... Goodbye!\n');
          setImmediate(() => this.o.quit());
          return false;
        });
      case '/metrics':
        this.count(res, path);
        return this.metrics(req, res);
      case '/federate':
        this.count(res, path);
        // As Prometheus: federation reads storage, which is not open before the server is ready.
        if (!this.o.isReady()) return send(res, 503, 'text/plain; charset=utf-8', 'Service Unavailable');
        return this.federate(req, res, url);
      default:
        if (this.ui.serve(req, res, path, prefix)) return this.count(res, path.startsWith('/assets/') ? '/assets/*' : path.replace(/(.)\/+$/, '$1'));
        this.count(res, 'other');
        return send(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
    }
  }

  private async lifecycle(req: IncomingMessage, res: ServerResponse, path: string, action: () => Promise<boolean>): Promise<void> {
    this.count(res, path);
    if (!this.o.enableLifecycle) return send(res, 403, 'text/plain; charset=utf-8', 'Lifecycle API is not enabled.\n');
    if (req.method !== 'POST' && req.method !== 'PUT') return send(res, 405, 'text/plain; charset=utf-8', 'Only POST or PUT requests allowed\n');
    if (await action()) send(res, 200, 'text/plain; charset=utf-8', '');
  }

  private async metrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const families = await this.o.registry.getMetricsAsFamilies();
    writeExposition(req, res, families);
  }

  /** The latest sample of every matching series within the lookback window, as Prometheus federates. */
  private federate(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const matchers = url.searchParams.getAll('match[]');
    let sets;
    try {
      sets = matchers.map((m) => parseMetricSelector(m));
    } catch (e) {
      return send(res, 400, 'text/plain; charset=utf-8', `${(e as Error).message}\n`);
    }
    const now = Date.now();
    const mint = now - this.o.lookbackDeltaMs;
    const q = this.o.storage.querier(mint, now);
    const external = Object.entries(this.o.externalLabels());
    const byName = new Map<string, MetricFamily>();
    const seen = new Set<string>();
    try {
      for (const ms of sets) {
        const ss = q.select(true, { start: mint, end: now }, ms);
        while (ss.next()) {
          const s = ss.at();
          const key = s.labels.toString();
          if (seen.has(key)) continue;
          seen.add(key);
          const it = s.iterator();
          let t = NaN;
          let v = NaN;
          while (it.next() !== ValueType.None) {
            if (it.atT() > now) break;
            t = it.atT();
            v = it.atV();
          }
          if (Number.isNaN(t) || isStaleNaN(v)) continue;
          const labels: Record<string, string> = {};
          s.labels.forEach((n, val) => {
            if (n !== '__name__') labels[n] = val;
          });
          for (const [n, val] of external) if (!(n in labels)) labels[n] = val;
          const name = s.labels.metricName();
          let fam = byName.get(name);
          if (!fam) byName.set(name, (fam = { name, help: '', type: 'unknown', metrics: [] }));
          fam.metrics.push({ labels, value: v, timestampMs: t });
        }
        this.requestMetrics.federationWarnings += ss.warnings().length;
        const err = ss.err();
        if (err) {
          this.requestMetrics.federationErrors++;
          return send(res, 500, 'text/plain; charset=utf-8', `${err.message}\n`);
        }
      }
    } finally {
      q.close();
    }
    const families = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    writeExposition(req, res, families);
  }
}

function writeExposition(req: IncomingMessage, res: ServerResponse, families: MetricFamily[]): void {
  const { format, contentType } = negotiate(req.headers.accept);
  const body = Buffer.from(serialize(families, format));
  const gzip = acceptsGzip(req.headers['accept-encoding']);
  res.setHeader('Content-Type', contentType);
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.end(gzip ? gzipSync(body) : body);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (data.length > 1024 && acceptsGzip(req.headers['accept-encoding'])) {
    headers['Content-Encoding'] = 'gzip';
    res.writeHead(status, headers);
    res.end(gzipSync(data));
    return;
  }
  res.writeHead(status, headers);
  res.end(data);
}

export function splitHostPort(addr: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(addr);
  if (!m) throw new Error(`invalid listen address "${addr}": want host:port`);
  const host = m[1] ?? m[2];
  return { host: host === '' ? undefined : host, port: Number(m[3]) };
}

