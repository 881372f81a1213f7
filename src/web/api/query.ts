/** Query endpoints: query, query_range, format_query, parse_query. */
import type { IncomingMessage } from 'node:http';
import type { Expr } from '../../promql/parser/ast.js';
import type { AsyncQueryOptions, QueryResult } from '../../promql/engine.js';
import { ParseError } from '../../promql/parser/errors.js';
import { exprToString } from '../../promql/parser/printer.js';
import { toTreeJSON } from '../../promql/parser/tree_json.js';
import { toApiData } from '../../promql/value.js';
import type { ApiDeps } from './deps.js';
import { ApiError, Params, Success, durationParam, limitParam, timeParam } from './params.js';

/** Prometheus refuses range queries with more points per series than this. */
const MAX_POINTS = 11_000;

function queryResult(r: QueryResult, p: Params): Success {
  const body: Record<string, unknown> = { status: 'success', data: toApiData(r.value) };
  const limit = limitParam(p);
  const data = body.data as { resultType: string; result: unknown[] };
  if (limit > 0 && Array.isArray(data.result) && data.result.length > limit) {
    data.result = data.result.slice(0, limit);
    r.warnings.push(`results truncated due to limit`);
  }
  // Any value asks for stats; `all` adds the per-step counts (the engine collected them).
  if (p.get('stats')) (body.data as Record<string, unknown>).stats = r.stats;
  if (r.warnings.length) body.warnings = r.warnings;
  if (r.infos.length) body.infos = r.infos;
  return new Success(body);
}

function queryText(p: Params): string {
  const q = p.get('query');
  if (q === undefined || q === '') throw new ApiError('bad_data', 'invalid parameter "query": unknown position: parse error: no expression found in input');
  return q;
}

/**
 * Aborts when the client's connection closes before the response is written, so the engine
 * stops a query nobody waits for; call `done` once the query has finished.
 */
function clientGone(req: IncomingMessage): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const socket = req.socket;
  const onClose = (): void => ac.abort('client closed the connection');
  if (socket.destroyed) onClose();
  else socket.once('close', onClose);
  return { signal: ac.signal, done: () => socket.off('close', onClose) };
}

function queryOptions(p: Params, req: IncomingMessage, text: string, signal: AbortSignal): AsyncQueryOptions {
  return {
    signal,
    timeout: positive(durationParam(p, 'timeout')),
    lookbackDelta: durationParam(p, 'lookback_delta'),
    text,
    perStepStats: p.get('stats') === 'all',
    origin: { clientIP: req.socket.remoteAddress ?? '', method: req.method ?? 'GET', path: (req.url ?? '').replace(/\?.*$/, '') },
  };
}

function positive(ms: number | undefined): number | undefined {
  return ms !== undefined && ms > 0 ? ms : undefined;
}

export async function query(d: ApiDeps, p: Params, req: IncomingMessage): Promise<Success> {
  const q = queryText(p);
  const t = timeParam(p, 'time', Date.now());
  const expr = parse(d, q);
  const gone = clientGone(req);
  try {
    return queryResult(await d.engine.instantQueryAsync(d.storage, expr, t, queryOptions(p, req, q, gone.signal)), p);
  } finally {
    gone.done();
  }
}

export async function queryRange(d: ApiDeps, p: Params, req: IncomingMessage): Promise<Success> {
  const q = queryText(p);
  const start = timeParam(p, 'start', NaN);
  const end = timeParam(p, 'end', NaN);
  if (Number.isNaN(start)) throw new ApiError('bad_data', 'invalid parameter "start": cannot parse "" to a valid timestamp');
  if (Number.isNaN(end)) throw new ApiError('bad_data', 'invalid parameter "end": cannot parse "" to a valid timestamp');
  if (end < start) throw new ApiError('bad_data', 'invalid parameter "end": end timestamp must not be before start time');
  const step = durationParam(p, 'step');
  if (step === undefined) throw new ApiError('bad_data', 'invalid parameter "step": cannot parse "" to a valid duration');
  if (step <= 0) throw new ApiError('bad_data', 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer');
  if ((end - start) / step > MAX_POINTS) {
    throw new ApiError('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  }
  const expr = parse(d, q);
  const gone = clientGone(req);
  try {
    // The grid is in whole milliseconds; a positive sub-millisecond step becomes 1 ms.
    const stepMs = Math.max(1, Math.round(step));
    return queryResult(await d.engine.rangeQueryAsync(d.storage, expr, start, end, stepMs, queryOptions(p, req, q, gone.signal)), p);
  } finally {
    gone.done();
  }
}

function parse(d: ApiDeps, q: string): Expr {
  try {
    return d.engine.parse(q);
  } catch (e) {
    if (e instanceof ParseError) throw new ApiError('bad_data', `invalid parameter "query": ${e.message}`);
    throw e;
  }
}

export function formatQuery(d: ApiDeps, p: Params): string {
  return exprToString(parse(d, queryText(p)));
}

export function parseQuery(d: ApiDeps, p: Params): unknown {
  return toTreeJSON(parse(d, queryText(p)));
}
