/**
 * A local stand-in for a Consul agent's HTTP API, for tests: `/v1/agent/self`,
 * `/v1/catalog/services` and `/v1/health/service/<name>` with blocking queries. A request
 * whose `index` is at or past the current index is held until the state changes or its `wait`
 * elapses (capped by `maxHoldMs`), and every answer carries `X-Consul-Index`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../config/config.js';
import type { ConsulSdConfig } from '../../config/sd.js';
import type { ServiceEntry } from './labels.js';

/** A consul_sd_config decoded by the real config loader, so defaults are upstream's. */
export function consulConfig(fields: Record<string, unknown>): ConsulSdConfig {
  const yaml = `scrape_configs:\n  - job_name: consul\n    consul_sd_configs:\n      - ${JSON.stringify(fields)}\n`;
  return parseConfig(yaml, 'consul-test.yml').scrape_configs[0].consul_sd_configs[0];
}

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export class FakeConsul {
  readonly requests: RecordedRequest[] = [];
  /** Instances by service name; the catalog is derived from them, as Consul does. */
  services = new Map<string, ServiceEntry[]>();
  index = 1;
  datacenter = 'dc1';
  agentSelf: Record<string, unknown> = {};
  /** Answer the next N requests with HTTP 500. */
  failNext = 0;
  /** Served under this prefix too (a reverse proxy in front of Consul). */
  pathPrefix = '';
  /** Every request must carry this X-Consul-Token, else 403 (Consul's "ACL not found"). */
  requiredToken: string | undefined;
  private server: Server | undefined;
  private waiters = new Set<() => void>();

  /** `tls` (PEM key and certificate) serves HTTPS instead of HTTP. */
  constructor(
    private readonly maxHoldMs = 2000,
    private readonly tls?: { key: string; cert: string },
  ) {}

  async start(): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.tls ? createHttpsServer(this.tls, handler) : createServer(handler);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const wake of this.waiters) wake();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Changes the state and moves the index (to `index` when given, else one up); wakes held queries. */
  update(change: (fake: this) => void = () => {}, index = this.index + 1): void {
    change(this);
    this.index = index;
    for (const wake of [...this.waiters]) wake();
  }

  /** Requests for `path` so far. */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** `/v1/catalog/services`: each service with the sorted union of its instances' tags. */
  catalog(nodeMeta: [string, string][] = []): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [name, entries] of this.services) {
      const matching = entries.filter((e) => matchesNodeMeta(e, nodeMeta));
      if (matching.length === 0) continue;
      out[name] = [...new Set(matching.flatMap((e) => e.Service.Tags ?? []))].sort();
    }
    return out;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://consul');
    if (this.pathPrefix && url.pathname.startsWith(this.pathPrefix)) url.pathname = url.pathname.slice(this.pathPrefix.length);
    this.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    if (this.failNext > 0) {
      this.failNext--;
      return this.reply(res, 500, 'rpc error making call: No cluster leader', false);
    }
    if (this.requiredToken !== undefined && req.headers['x-consul-token'] !== this.requiredToken) {
      return this.reply(res, 403, 'ACL not found', false);
    }
    if (url.pathname === '/v1/agent/self') {
      return this.reply(res, 200, JSON.stringify({ ...this.agentSelf, Config: { ...(this.agentSelf.Config as object), Datacenter: this.datacenter } }), false);
    }
    const nodeMeta = url.searchParams.getAll('node-meta').map((kv) => {
      const i = kv.indexOf(':');
      return [kv.slice(0, i), kv.slice(i + 1)] as [string, string];
    });
    if (url.pathname === '/v1/catalog/services') {
      await this.block(url.searchParams);
      return this.reply(res, 200, JSON.stringify(this.catalog(nodeMeta)), true);
    }
    const prefix = '/v1/health/service/';
    if (url.pathname.startsWith(prefix)) {
      await this.block(url.searchParams);
      const name = decodeURIComponent(url.pathname.slice(prefix.length));
      const tags = url.searchParams.getAll('tag');
      const entries = (this.services.get(name) ?? []).filter(
        (e) => matchesNodeMeta(e, nodeMeta) && tags.every((t) => (e.Service.Tags ?? []).includes(t)),
      );
      return this.reply(res, 200, JSON.stringify(entries), true);
    }
    this.reply(res, 404, '404 page not found', false);
  }

  /** Holds a blocking query (an `index` at or past the current one) until a change or the wait ends. */
  private async block(query: URLSearchParams): Promise<void> {
    const index = Number(query.get('index') ?? '0');
    // Like Consul: an index at or past the current one waits for a change.
    if (index === 0 || index < this.index) return;
    const holdMs = Math.min(parseWait(query.get('wait')), this.maxHoldMs);
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, holdMs);
      this.waiters.add(wake);
    });
  }

  private reply(res: ServerResponse, status: number, body: string, indexed: boolean): void {
    if (res.destroyed) return;
    const headers: Record<string, string> = {
      'Content-Type': status === 200 ? 'application/json' : 'text/plain; charset=utf-8',
      Vary: 'Accept-Encoding',
    };
    if (indexed) Object.assign(headers, { 'X-Consul-Index': String(this.index), 'X-Consul-Knownleader': 'true', 'X-Consul-Lastcontact': '0' });
    res.writeHead(status, headers);
    res.end(body);
  }
}

function matchesNodeMeta(entry: ServiceEntry, nodeMeta: [string, string][]): boolean {
  return nodeMeta.every(([k, v]) => entry.Node.Meta?.[k] === v);
}

/** Consul's `wait`: a Go duration such as `120000ms` or `5s`; 5 minutes when absent. */
function parseWait(wait: string | null): number {
  const m = /^(\d+)(ms|s|m)$/.exec(wait ?? '');
  if (!m) return 300_000;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'];
}
