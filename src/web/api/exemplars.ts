/**
 * `query_exemplars`: the exemplars of every series selected by any vector selector of the
 * query, in [start, end], as Prometheus answers it (an empty list without exemplar storage,
 * 204 for a query without selectors).
 */
import { extractSelectors } from '../../promql/parser/ast.js';
import { ParseError } from '../../promql/parser/errors.js';
import { apiTime, formatApiFloat } from '../../promql/value.js';
import type { ApiDeps } from './deps.js';
import { ApiError, MAX_TIME, MIN_TIME, NO_CONTENT, Params, timeParam } from './params.js';

export function queryExemplars(d: ApiDeps, p: Params): unknown {
  const start = timeParam(p, 'start', MIN_TIME);
  const end = timeParam(p, 'end', MAX_TIME);
  if (end < start) throw new ApiError('bad_data', 'end timestamp must not be before start timestamp');
  let selectors;
  try {
    selectors = extractSelectors(d.engine.parse(p.get('query') ?? ''));
  } catch (e) {
    if (e instanceof ParseError) throw new ApiError('bad_data', e.message);
    throw e;
  }
  if (selectors.length === 0) return NO_CONTENT;
  const results = d.db?.selectExemplars(start, end, selectors) ?? [];
  return results.map((r) => ({
    seriesLabels: r.seriesLabels.toRecord(),
    exemplars: r.exemplars.map((e) => ({ labels: e.labels.toRecord(), value: formatApiFloat(e.value), timestamp: apiTime(e.ts) })),
  }));
}
