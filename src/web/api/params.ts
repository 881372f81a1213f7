/** Request parameters as the Prometheus HTTP API reads them, with its error messages. */
import type { IncomingMessage } from 'node:http';
import { parseDuration } from '../../model/duration.js';

export class ApiError extends Error {
  constructor(
    readonly errorType: 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal' | 'unavailable' | 'not_found',
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    switch (this.errorType) {
      case 'bad_data':
        return 400;
      case 'execution':
        return 422;
      case 'canceled':
      case 'timeout':
        return 503;
      case 'not_found':
        return 404;
      default:
        return 500;
    }
  }
}

/** Query string and, for POST, the form body: `getAll` returns every value of a key. */
export class Params {
  constructor(private readonly p: URLSearchParams) {}

  static async read(req: IncomingMessage, url: URL): Promise<Params> {
    const all = new URLSearchParams(url.search);
    const type = String(req.headers['content-type'] ?? '');
    if (req.method === 'POST' && type.startsWith('application/x-www-form-urlencoded')) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > 16 << 20) throw new ApiError('bad_data', 'request body too large');
        chunks.push(c as Buffer);
      }
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) all.append(k, v);
    }
    return new Params(all);
  }

  get(key: string): string | undefined {
    return this.p.get(key) ?? undefined;
  }

  getAll(key: string): string[] {
    return this.p.getAll(key);
  }
}

// Go's time.Time bounds that Prometheus uses for "no limit".
export const MIN_TIME = -9223372036854775808 / 1e6;
export const MAX_TIME = 9223372036854775807 / 1e6;

/** Unix seconds (possibly fractional) or RFC 3339, in ms. */
export function parseTime(s: string): number {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const t = Date.parse(s);
    if (!Number.isNaN(t)) return t;
  }
  if (s === '0001-01-01T00:00:00Z' || s === new Date(MIN_TIME).toISOString()) return MIN_TIME;
  throw new Error(`cannot parse "${s}" to a valid timestamp`);
}

/** Float seconds or a Prometheus duration, in ms. */
export function parseDurationParam(s: string): number {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    const ms = Number(s) * 1000;
    if (!Number.isFinite(ms)) throw new Error(`cannot parse "${s}" to a valid duration. It overflows int64`);
    // Go keeps nanoseconds: fractions of a millisecond are kept (a 1 µs timeout must expire);
    // callers that need whole milliseconds round.
    return ms;
  }
  try {
    return parseDuration(s);
  } catch {
    throw new Error(`cannot parse "${s}" to a valid duration`);
  }
}

/**
 * A time parameter in ms. Prometheus words the error differently for optional times (which have
 * a default: `time`, and `start`/`end` of series and labels) and for required ones (`NaN` default:
 * the range query's `start`/`end`).
 */
export function timeParam(p: Params, name: string, def: number): number {
  const v = p.get(name);
  if (v === undefined || v === '') return def;
  try {
    return parseTime(v);
  } catch (e) {
    const reason = Number.isNaN(def) ? (e as Error).message : `Invalid time value for '${name}': ${(e as Error).message}`;
    throw new ApiError('bad_data', `invalid parameter "${name}": ${reason}`);
  }
}

export function durationParam(p: Params, name: string): number | undefined {
  const v = p.get(name);
  if (v === undefined || v === '') return undefined;
  try {
    return parseDurationParam(v);
  } catch (e) {
    throw new ApiError('bad_data', `invalid parameter "${name}": ${(e as Error).message}`);
  }
}

/** `limit` of query, series and label endpoints: 0 (the default) means none; errors read as Go's strconv.Atoi. */
export function limitParam(p: Params): number {
  const v = p.get('limit');
  if (v === undefined || v === '') return 0;
  const n = atoi(v);
  if (typeof n === 'string') throw new ApiError('bad_data', `invalid parameter "limit": ${n}`);
  if (n < 0) throw new ApiError('bad_data', 'invalid parameter "limit": limit must be non-negative');
  return n;
}

/** Go's strconv.Atoi: the integer, or its error text. */
export function atoi(s: string): number | string {
  if (!/^[+-]?\d+$/.test(s)) return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = Number(s);
  if (!Number.isSafeInteger(n) && Math.abs(n) >= 2 ** 63) return `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`;
  return n;
}

/** A handler result that is already a full response body (query results with warnings). */
export class Success {
  constructor(readonly body: unknown) {}
}

/** A handler result answered with 204 and no body, as Prometheus answers handlers that return no data. */
export class NoContent {}
export const NO_CONTENT = new NoContent();
