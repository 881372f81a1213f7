/**
 * The few Consul HTTP API calls Consul SD needs, with the query parameters and headers
 * Consul's own Go client sends, and blocking queries (`index` + `wait`, answered with
 * `X-Consul-Index`).
 */
import type { IncomingMessage } from 'node:http';
import type { ConsulSdConfig } from '../../config/sd.js';
import { HttpClient, HttpStatusError, type HttpClientSettings } from '../http-client.js';
import type { ServiceEntry } from './labels.js';

export interface IndexedResult<T> {
  value: T;
  /** The X-Consul-Index of the answer, as sent. */
  index: number;
}

/**
 * A blocking query's index, kept by Consul's rules: an index that went backwards (a restored
 * snapshot, another server) restarts from 0, and one below 1 becomes 1 so the next query
 * still blocks instead of returning at once.
 */
export class BlockingIndex {
  /** The index to send next; 0 asks without blocking. */
  value = 0;
  private lastAnswered: number | undefined;

  /** Takes an answer's X-Consul-Index; true when the answer may hold news (first, or a new index). */
  observe(returned: number): boolean {
    const changed = returned !== this.lastAnswered;
    this.value = this.lastAnswered !== undefined && returned < this.lastAnswered ? 0 : Math.max(returned, 1);
    this.lastAnswered = returned;
    return changed;
  }
}

/** The base URL Consul's Go client derives from `server`, `scheme` and `path_prefix`. */
export function consulBaseUrl(cfg: Pick<ConsulSdConfig, 'server' | 'scheme' | 'path_prefix'>): string {
  let scheme = cfg.scheme || 'http';
  let address = cfg.server;
  const sep = address.indexOf('://');
  if (sep >= 0) {
    scheme = address.slice(0, sep);
    address = address.slice(sep + 3);
    if (scheme !== 'http' && scheme !== 'https') throw new Error(`Unknown protocol scheme: ${scheme}`);
  }
  return `${scheme}://${address}${cfg.path_prefix}`;
}

/** The `<http_config>` of the SD config, with the deprecated `username`/`password` as basic auth. */
function httpSettings(cfg: ConsulSdConfig): HttpClientSettings {
  const settings: HttpClientSettings = {
    basic_auth: cfg.basic_auth,
    authorization: cfg.authorization,
    oauth2: cfg.oauth2,
    tls_config: cfg.tls_config,
    proxy_url: cfg.proxy_url,
    follow_redirects: cfg.follow_redirects,
    http_headers: cfg.http_headers,
  };
  if (cfg.username || cfg.password) {
    settings.basic_auth = { username: cfg.username, username_file: '', password: cfg.password, password_file: '', username_ref: '', password_ref: '' };
  }
  if (!settings.authorization && (cfg.bearer_token || cfg.bearer_token_file)) {
    settings.authorization = { type: 'Bearer', credentials: cfg.bearer_token, credentials_file: cfg.bearer_token_file, credentials_ref: '' };
  }
  return settings;
}

export class ConsulClient {
  private readonly http: HttpClient;
  private readonly base: string;

  /** `waitMs` is the blocking-query wait; the request itself may take 15 s longer, as upstream. */
  constructor(
    private readonly cfg: ConsulSdConfig,
    private readonly waitMs: number,
  ) {
    this.base = consulBaseUrl(cfg);
    this.http = new HttpClient(httpSettings(cfg));
  }

  /** The agent's datacenter (`Config.Datacenter` of `/v1/agent/self`). */
  async agentDatacenter(signal: AbortSignal): Promise<string> {
    const { body } = await this.get('/v1/agent/self', this.params(), signal, false);
    const dc = (body as { Config?: { Datacenter?: unknown } } | null)?.Config?.Datacenter;
    if (typeof dc !== 'string') throw new Error(`invalid value '${String(dc)}' for Config.Datacenter`);
    return dc;
  }

  /** Blocks on `/v1/catalog/services`: service names and the union of their tags. */
  async catalogServices(index: number, signal: AbortSignal): Promise<IndexedResult<Record<string, string[]>>> {
    const params = this.blockingParams(index);
    if (this.cfg.filter) params.set('filter', this.cfg.filter);
    const { body, consulIndex } = await this.get('/v1/catalog/services', params, signal);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('the catalog services answer must be an object');
    const services: Record<string, string[]> = {};
    for (const [name, tags] of Object.entries(body as Record<string, unknown>)) {
      services[name] = Array.isArray(tags) ? tags.map(String) : [];
    }
    return { value: services, index: consulIndex };
  }

  /** Blocks on `/v1/health/service/<name>` for instances carrying every one of `tags`. */
  async healthService(name: string, tags: readonly string[], index: number, signal: AbortSignal): Promise<IndexedResult<ServiceEntry[]>> {
    const params = this.blockingParams(index);
    for (const tag of tags) params.append('tag', tag);
    if (this.cfg.health_filter) params.set('filter', this.cfg.health_filter);
    const { body, consulIndex } = await this.get(`/v1/health/service/${encodeURIComponent(name)}`, params, signal);
    if (!Array.isArray(body)) throw new Error(`the health answer for service "${name}" must be a list`);
    for (const e of body as unknown[]) {
      const entry = e as Partial<ServiceEntry> | null;
      if (!entry || typeof entry.Node !== 'object' || !entry.Node || typeof entry.Service !== 'object' || !entry.Service) {
        throw new Error(`the health answer for service "${name}" has an entry without Node or Service`);
      }
    }
    return { value: body as ServiceEntry[], index: consulIndex };
  }

  close(): void {
    this.http.close();
  }

  /** `dc`, `ns` and `partition` go on every request when configured, as Consul's client does. */
  private params(): URLSearchParams {
    const p = new URLSearchParams();
    if (this.cfg.datacenter) p.set('dc', this.cfg.datacenter);
    if (this.cfg.namespace) p.set('ns', this.cfg.namespace);
    if (this.cfg.partition) p.set('partition', this.cfg.partition);
    return p;
  }

  private blockingParams(index: number): URLSearchParams {
    const p = this.params();
    if (index > 0) p.set('index', String(index));
    p.set('wait', `${this.waitMs}ms`);
    if (this.cfg.allow_stale) p.set('stale', '');
    for (const [k, v] of Object.entries(this.cfg.node_meta)) p.append('node-meta', `${k}:${v}`);
    return p;
  }

  private async get(path: string, params: URLSearchParams, signal: AbortSignal, blocking = true): Promise<{ body: unknown; consulIndex: number }> {
    params.sort();
    const query = params.toString();
    const url = `${this.base}${path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.cfg.token) headers['X-Consul-Token'] = this.cfg.token.value;
    // The answer to a blocking query comes only when the wait ends, so the deadline covers it.
    const deadline = AbortSignal.timeout(this.waitMs + 15_000);
    const both = AbortSignal.any([signal, deadline]);
    let res: IncomingMessage;
    try {
      res = await this.stream(url, both, headers);
    } catch (e) {
      if (e instanceof HttpStatusError) throw new Error(`Unexpected response code: ${e.status} (${e.body.trim()})`);
      throw e;
    }
    const text = await readText(res);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new Error(`invalid JSON from ${path}: ${(e as Error).message}`);
    }
    if (!blocking) return { body, consulIndex: 0 };
    // Blocking answers must carry their index; Consul's client refuses them otherwise.
    const header = res.headers['x-consul-index'];
    if (typeof header !== 'string' || !/^\d+$/.test(header) || !Number.isSafeInteger(Number(header))) {
      throw new Error(`Failed to parse X-Consul-Index: ${JSON.stringify(header ?? '')}`);
    }
    return { body, consulIndex: Number(header) };
  }

  /**
   * A kept-alive connection the server closed while idle fails with ECONNRESET; like Go's
   * client, such a GET is sent once more.
   */
  private async stream(url: string, signal: AbortSignal, headers: Record<string, string>): Promise<IncomingMessage> {
    const opts = { signal, headers, timeoutMs: this.waitMs + 15_000 };
    try {
      return await this.http.stream(url, opts);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET' || signal.aborted) throw e;
      return this.http.stream(url, opts);
    }
  }
}

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
