/** Series and label endpoints: series, labels, label/<name>/values. */
import { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import { parseMetricSelector } from '../../promql/parser/parser.js';
import type { ApiDeps } from './deps.js';
import { ApiError, MAX_TIME, MIN_TIME, Params, limitParam, timeParam } from './params.js';

export function matcherSets(p: Params, required: boolean): Matcher[][] {
  const raw = p.getAll('match[]');
  if (required && raw.length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
  return raw.map((m) => {
    try {
      return parseMetricSelector(m);
    } catch (e) {
      throw new ApiError('bad_data', `invalid parameter "match[]": ${(e as Error).message}`);
    }
  });
}

function window(p: Params): [number, number] {
  return [timeParam(p, 'start', MIN_TIME), timeParam(p, 'end', MAX_TIME)];
}

export function series(d: ApiDeps, p: Params): Record<string, string>[] {
  const sets = matcherSets(p, true);
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
    const out = [...seen.values()].sort(Labels.compare).map((l) => l.toRecord());
    return limit > 0 ? out.slice(0, limit) : out;
  } finally {
    q.close();
  }
}

export function labelNames(d: ApiDeps, p: Params): string[] {
  const sets = matcherSets(p, false);
  const [mint, maxt] = window(p);
  const limit = limitParam(p);
  const q = d.storage.querier(mint, maxt);
  try {
    const names = new Set<string>();
    for (const ms of sets.length ? sets : [[]]) for (const n of q.labelNames(undefined, ms)) names.add(n);
    const out = [...names].sort();
    return limit > 0 ? out.slice(0, limit) : out;
  } finally {
    q.close();
  }
}

export function labelValues(d: ApiDeps, p: Params, name: string): string[] {
  const sets = matcherSets(p, false);
  const [mint, maxt] = window(p);
  const limit = limitParam(p);
  const q = d.storage.querier(mint, maxt);
  try {
    const values = new Set<string>();
    for (const ms of sets.length ? sets : [[]]) for (const v of q.labelValues(name, undefined, ms)) values.add(v);
    const out = [...values].sort();
    return limit > 0 ? out.slice(0, limit) : out;
  } finally {
    q.close();
  }
}
