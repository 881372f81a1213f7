/**
 * The /metrics endpoint for node:http servers, Express and Fastify.
 *
 * The whole exposition is rendered (and compressed) before the status line is written, so a
 * collector that throws produces a clean 500 with a message, never a truncated 200 body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzip, constants as zlibConstants } from 'node:zlib';
import { promisify } from 'node:util';
import { Registry, register } from './registry.js';
import { negotiate, acceptsGzip } from './negotiate.js';

const gzipAsync = promisify(gzip);

export interface MetricsHandlerOptions {
  /** Compress with gzip when the scraper accepts it (default true). */
  compression?: boolean;
  /** Offer OpenMetrics to scrapers that ask for it (default true); otherwise always the text format. */
  openMetrics?: boolean;
  /**
   * Answer 503 when collection takes longer than the scraper's
   * X-Prometheus-Scrape-Timeout-Seconds (default true): the scraper has given up by then.
   */
  honorScrapeTimeout?: boolean;
  /** Told about every failed collection, e.g. for logging. */
  onError?: (err: Error) => void;
}

/** Fastify passes its own request/reply wrappers; the raw node objects sit under `.raw`. */
interface FastifyLikeReply {
  raw: ServerResponse;
  hijack(): unknown;
}

type Next = (err?: unknown) => void;

class ScrapeTimeout extends Error {}

function scrapeTimeoutMs(req: IncomingMessage): number | undefined {
  const h = req.headers['x-prometheus-scrape-timeout-seconds'];
  const s = Number(Array.isArray(h) ? h[0] : h);
  return Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
}

function withTimeout<T>(p: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return p;
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ScrapeTimeout(`collection exceeded the scrape timeout of ${ms / 1000}s`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function sendPlain(res: ServerResponse, status: number, text: string, head: boolean): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(head ? undefined : body);
}

/**
 * Returns `(req, res) => void` serving `registry` (default: the global registry).
 * Works as a node:http request listener, as Express middleware (`app.get('/metrics', h)`) and
 * as a Fastify route handler (`fastify.get('/metrics', h)`; the reply is hijacked).
 */
export function metricsHandler(
  registry: Registry = register,
  opts: MetricsHandlerOptions = {},
): (req: IncomingMessage | { raw: IncomingMessage }, res: ServerResponse | FastifyLikeReply, next?: Next) => void {
  const compression = opts.compression ?? true;
  const openMetrics = opts.openMetrics ?? true;
  const honorTimeout = opts.honorScrapeTimeout ?? true;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      sendPlain(res, 405, 'Method Not Allowed: use GET or HEAD\n', false);
      return;
    }
    const neg = negotiate(openMetrics ? req.headers.accept : 'text/plain');
    let body: Buffer;
    try {
      const text = await withTimeout(registry.metrics(neg.contentType), honorTimeout ? scrapeTimeoutMs(req) : undefined);
      body = Buffer.from(text, 'utf8');
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      opts.onError?.(err);
      const status = err instanceof ScrapeTimeout ? 503 : 500;
      sendPlain(res, status, `An error has occurred while serving metrics:\n\n${err.message}\n`, head);
      return;
    }
    const headers: Record<string, string | number> = {
      'Content-Type': neg.contentType,
      'Cache-Control': 'no-store',
      Vary: 'Accept, Accept-Encoding',
    };
    if (compression && acceptsGzip(req.headers['accept-encoding'])) {
      // Fastest level: scrapes repeat every few seconds and the text compresses well anyway.
      body = await gzipAsync(body, { level: zlibConstants.Z_BEST_SPEED });
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(head ? undefined : body);
  }

  return (req, res, next) => {
    let rawReq: IncomingMessage;
    let rawRes: ServerResponse;
    if ('hijack' in res && typeof res.hijack === 'function' && 'raw' in req) {
      res.hijack();
      rawReq = req.raw;
      rawRes = res.raw;
    } else {
      rawReq = req as IncomingMessage;
      rawRes = res as ServerResponse;
    }
    serve(rawReq, rawRes).catch((err: unknown) => {
      // Only a failure to write the response gets here (e.g. the socket is gone).
      if (next) next(err);
      else if (!rawRes.headersSent) sendPlain(rawRes, 500, `${String(err)}\n`, false);
      else rawRes.destroy(err instanceof Error ? err : undefined);
    });
  };
}
