/** Series and label endpoints: series, labels, label/<name>/values. */
import { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import { parseMetricSelector } from '../../promql/parser/parser.js';
import type { ApiDeps } from './deps.js';
import { ApiError, MAX_TIME, MIN_TIME, Params, Success, limitParam, timeParam } from './params.js';

/**
 * The `match[]` selectors; each must hold a matcher that rejects the empty value (so it cannot
 * select everything). Prometheus names the parameter in the error for `series` only.
 */
export function matcherSets(p: Params, opts: { required: boolean; nameInError: boolean }): Matcher[][] {
  const raw = p.getAll('match[]');
  if (opts.required && raw.length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
  const fail = (msg: string): never => {
    throw new ApiError('bad_data', opts.nameInError ? `invalid parameter "match[]": ${msg}` : msg);
  };
  const sets = raw.map((m) => {
    try {
      return parseMetricSelector(m);
    } catch (e) {
      return fail((e as Error).message);
    }
  });
  for (const ms of sets) if (!ms.some((m) => !m.matches(''))) fail('match[] must contain at least one non-empty matcher');
  return sets;
}

function window(p: Params): [number, number] {
  return [timeParam(p, 'start', MIN_TIME), timeParam(p, 'end', MAX_TIME)];
}

/** The list, cut to `limit` with Prometheus 3's warning when that dropped anything. */
function limited<T>(all: T[], limit: number): Success {
  if (limit > 0 && all.length > limit) return new Success({ status: 'success', data: all.slice(0, limit), warnings: ['results truncated due to limit'] });
  return new Success({ status: 'success', data: all });
}

export function series(d: ApiDeps, p: Params): Success {
  const sets = matcherSets(p, { required: true, nameInError: true });
  const [mint, maxt] = window(p);
  const limit = limitParam(p);
  const q = d.storage.querier(mint, maxt);
  try {
    const seen = new Map<string, Labels>();
    for (const ms of sets) {
      const ss = q.select(true, { start: mint, end: maxt, func: 'series' }, ms);
      while (ss.next()) {
        const l = ss.at().labels;
        seen.set(l.toString(), l);
      }
      const err = ss.err();
      if (err) throw err;
    }
    return limited([...seen.values()].sort(Labels.compare).map((l) => l.toRecord()), limit);
  } finally {
    q.close();
  }
}

export function labelNames(d: ApiDeps, p: Params): Success {
  const sets = matcherSets(p, { required: false, nameInError: false });
  const [mint, maxt] = window(p);
  const limit = limitParam(p);
  const q = d.storage.querier(mint, maxt);
  try {
    const names = new Set<string>();
    for (const ms of sets.length ? sets : [[]]) for (const n of q.labelNames(undefined, ms)) names.add(n);
    return limited([...names].sort(), limit);
  } finally {
    q.close();
  }
}

export function labelValues(d: ApiDeps, p: Params, name: string): Success {
  const sets = matcherSets(p, { required: false, nameInError: false });
  const [mint, maxt] = window(p);
  const limit = limitParam(p);
  const q = d.storage.querier(mint, maxt);
  try {
    const values = new Set<string>();
    for (const ms of sets.length ? sets : [[]]) for (const v of q.labelValues(name, undefined, ms)) values.add(v);
    return limited([...values].sort(), limit);
  } finally {
    q.close();
  }
}
