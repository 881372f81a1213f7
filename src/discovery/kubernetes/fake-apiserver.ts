/**
 * A Kubernetes API server stand-in for tests: serves LIST (with label-selector equality,
 * namespaces and paging) and WATCH (newline-delimited JSON events) from objects the test
 * loads and changes, over HTTP or HTTPS on 127.0.0.1. Test support only.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from './types.js';

export interface FakeApiServerOptions {
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean };
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Largest page a LIST returns, whatever limit the client asks for. */
  pageSize?: number;
}

interface Watch {
  plural: string;
  namespace: string | undefined;
  labelSelector: string;
  res: ServerResponse;
}

export class FakeApiServer {
  /** Every request's path and query, and its Authorization header. */
  readonly requests: { url: string; authorization: string | undefined }[] = [];
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly watches = new Set<Watch>();
  private version = 10_000;
  /** Watches from a version below this get a 410 ERROR event, as after etcd compaction. */
  private oldestVersion = 0;
  private readonly server: Server;

  constructor(private readonly opts: FakeApiServerOptions = {}) {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    this.server = opts.tls ? createHttpsServer({ ...opts.tls, rejectUnauthorized: !!opts.tls.requestCert }, handler) : createServer(handler);
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `${this.opts.tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const w of this.watches) w.res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Loads objects without emitting events (the state before the client lists). */
  load(plural: string, items: KubeObject[]): void {
    for (const item of items) this.store(plural).set(key(item), this.stamp(item));
  }

  add(plural: string, obj: KubeObject): void {
    this.change(plural, 'ADDED', obj);
  }

  modify(plural: string, obj: KubeObject): void {
    this.change(plural, 'MODIFIED', obj);
  }

  remove(plural: string, obj: KubeObject): void {
    this.change(plural, 'DELETED', obj);
  }

  /** Removes an object without telling open watches, as if the event was lost. */
  removeSilently(plural: string, obj: KubeObject): void {
    this.store(plural).delete(key(obj));
    this.version++;
  }

  /** Compacts history: open watches get a 410 ERROR and end; watching an older version fails too. */
  expireWatches(): void {
    this.oldestVersion = ++this.version;
    for (const w of [...this.watches]) {
      w.res.end(JSON.stringify(expiredEvent()) + '\n');
      this.watches.delete(w);
    }
  }

  /** Ends every open watch normally, as the server does after timeoutSeconds. */
  endWatches(): void {
    for (const w of [...this.watches]) {
      w.res.end();
      this.watches.delete(w);
    }
  }

  /** The resourceVersion of the latest change. */
  get currentVersion(): string {
    return String(this.version);
  }

  openWatches(plural: string): number {
    return [...this.watches].filter((w) => w.plural === plural).length;
  }

  private store(plural: string): Map<string, KubeObject> {
    let s = this.objects.get(plural);
    if (!s) this.objects.set(plural, (s = new Map()));
    return s;
  }

  private stamp<T extends KubeObject>(obj: T): T {
    const copy = structuredClone(obj);
    copy.metadata.resourceVersion = String(++this.version);
    return copy;
  }

  private change(plural: string, type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): void {
    const stamped = this.stamp(obj);
    if (type === 'DELETED') this.store(plural).delete(key(obj));
    else this.store(plural).set(key(obj), stamped);
    for (const w of this.watches) {
      if (w.plural !== plural || !matches(stamped, w.namespace, w.labelSelector)) continue;
      w.res.write(JSON.stringify({ type, object: stamped }) + '\n');
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url!, 'http://fake');
    this.requests.push({ url: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
    if (this.opts.token && req.headers.authorization !== `Bearer ${this.opts.token}`) {
      return status(res, 401, 'Unauthorized', 'Unauthorized');
    }
    const m = /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([a-z]+)$/.exec(url.pathname);
    if (!m) return status(res, 404, 'NotFound', `the server could not find the requested resource`);
    const namespace = m[1] ? decodeURIComponent(m[1]) : undefined;
    const plural = m[2];
    const labelSelector = url.searchParams.get('labelSelector') ?? '';
    if (url.searchParams.get('watch') === '1') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (Number(url.searchParams.get('resourceVersion')) < this.oldestVersion) {
        res.end(JSON.stringify(expiredEvent()) + '\n');
        return;
      }
      res.flushHeaders();
      const w = { plural, namespace, labelSelector, res };
      this.watches.add(w);
      res.on('close', () => this.watches.delete(w));
      return;
    }
    const all = [...this.store(plural).values()].filter((o) => matches(o, namespace, labelSelector));
    const offset = Number(url.searchParams.get('continue') || 0);
    const limit = Math.min(Number(url.searchParams.get('limit') || Infinity), this.opts.pageSize ?? Infinity);
    const items = all.slice(offset, offset + limit);
    const more = offset + limit < all.length;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: String(this.version), ...(more ? { continue: String(offset + limit) } : {}) }, items }));
  }
}

function key(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/** Namespace and `k=v,k2=v2` label selector matching (all the tests need). */
function matches(obj: KubeObject, namespace: string | undefined, labelSelector: string): boolean {
  if (namespace !== undefined && obj.metadata.namespace !== namespace) return false;
  for (const term of labelSelector.split(',').filter(Boolean)) {
    const [k, v] = term.split('=');
    if (obj.metadata.labels?.[k] !== v) return false;
  }
  return true;
}

function expiredEvent() {
  return { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'too old resource version', reason: 'Expired', code: 410 } };
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}
