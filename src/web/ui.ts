/**
 * Serves the web UI built by Vite (`web/ui` -> `dist-ui/`) from memory: every file is read
 * once at startup, hashed for its ETag and gzipped once, so a request costs a map lookup.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { acceptsGzip } from '@pyrometer/client';

/** Paths the single-page app routes itself; each gets index.html. */
export const UI_ROUTES = new Set(['/query', '/graph', '/alerts', '/rules', '/targets', '/service-discovery', '/alertmanager-discovery', '/status', '/flags', '/config', '/tsdb-status']);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  type: string;
  body: Buffer;
  /** Undefined when gzip would not make the body smaller (images, tiny files). */
  gzip: Buffer | undefined;
  etag: string;
  cacheControl: string;
}

// Both src/web/ui.ts (under tsx) and dist/web/ui.js sit two folders below the package root.
const DEFAULT_DIR = fileURLToPath(new URL('../../dist-ui/', import.meta.url));

export class WebUi {
  private readonly assets = new Map<string, Asset>();
  private readonly indexHtml: string | undefined;
  /** index.html per `<base href>`, built on first use (one per route depth). */
  private readonly indexByBase = new Map<string, Asset>();

  constructor(readonly dir = DEFAULT_DIR) {
    if (!existsSync(join(dir, 'index.html'))) return;
    for (const file of walk(dir)) {
      const rel = `/${relative(dir, file).split(sep).join('/')}`;
      if (rel === '/index.html') continue;
      // Vite names everything under assets/ by content hash, so those never change.
      const immutable = rel.startsWith('/assets/');
      this.assets.set(rel, makeAsset(rel, readFileSync(file), immutable ? 'public, max-age=31536000, immutable' : 'no-cache'));
    }
    this.indexHtml = readFileSync(join(dir, 'index.html'), 'utf8');
  }

  get built(): boolean {
    return this.indexHtml !== undefined;
  }

  /**
   * Answers `path` (below the route prefix) when it is a UI route or a built file; returns
   * false for anything else so the caller can 404.
   */
  serve(req: IncomingMessage, res: ServerResponse, path: string, prefix: string): boolean {
    if (path === '/') {
      // As Prometheus 3: the root opens the query page.
      res.writeHead(302, { Location: `${prefix}/query` });
      res.end();
      return true;
    }
    const route = path.replace(/\/+$/, '') || '/';
    if (UI_ROUTES.has(route)) {
      if (this.indexHtml === undefined) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`The web UI is not built: run "npm run build" (looked in ${this.dir}).\n`);
        return true;
      }
      sendAsset(req, res, this.index(path));
      return true;
    }
    const asset = this.assets.get(path);
    if (!asset) return false;
    sendAsset(req, res, asset);
    return true;
  }

  /**
   * index.html with a relative `<base href>` pointing at the route prefix: asset and API URLs
   * in the app are relative, so they resolve under `--web.route-prefix`, and, being relative,
   * also behind a proxy that serves the UI under another path (`--web.external-url`).
   */
  private index(path: string): Asset {
    const depth = path.split('/').length - 2;
    const base = depth === 0 ? './' : '../'.repeat(depth);
    let a = this.indexByBase.get(base);
    if (!a) {
      const html = this.indexHtml!.replace('<head>', `<head>\n    <base href="${base}">`);
      a = makeAsset('/index.html', Buffer.from(html), 'no-cache');
      this.indexByBase.set(base, a);
    }
    return a;
  }
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

function makeAsset(path: string, body: Buffer, cacheControl: string): Asset {
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  const z = body.length > 256 ? gzipSync(body, { level: 9 }) : undefined;
  return {
    type,
    body,
    gzip: z && z.length < body.length ? z : undefined,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    cacheControl,
  };
}

function sendAsset(req: IncomingMessage, res: ServerResponse, a: Asset): void {
  const headers: Record<string, string> = { 'Content-Type': a.type, 'Cache-Control': a.cacheControl, ETag: a.etag };
  if (a.gzip) headers.Vary = 'Accept-Encoding';
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(/\s*,\s*/).some((t) => t === a.etag || t === `W/${a.etag}`)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = a.gzip !== undefined && acceptsGzip(req.headers['accept-encoding']);
  if (gzip) headers['Content-Encoding'] = 'gzip';
  const body = gzip ? a.gzip! : a.body;
  headers['Content-Length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
