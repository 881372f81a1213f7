/** Admin endpoints behind --web.enable-admin-api. */
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ApiDeps } from './deps.js';
import { ApiError, MAX_TIME, MIN_TIME, NO_CONTENT, NoContent, Params, timeParam } from './params.js';
import { matcherSets } from './series.js';

/** Prometheus's snapshot API: `<data>/snapshots/<time>-<random>`, optionally without the head. */
export function snapshot(d: ApiDeps, p: Params, req: IncomingMessage): unknown {
  if (!d.adminApi) throw new ApiError('unavailable', 'admin APIs disabled');
  if (req.method !== 'POST' && req.method !== 'PUT') throw new ApiError('bad_data', 'snapshot requires POST or PUT');
  const db = d.db;
  if (!db) throw new ApiError('unavailable', 'TSDB not ready');
  const skipHead = p.get('skip_head') === 'true';
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = `${stamp}-${randomBytes(8).toString('hex')}`;
  db.snapshot(join(db.dir, 'snapshots', name), skipHead);
  return { name };
}

/**
 * Prometheus's delete_series: every match[] selector's samples in [start, end] are deleted
 * (tombstones in blocks and head) and the answer is 204 with no body.
 */
export async function deleteSeries(d: ApiDeps, p: Params): Promise<NoContent> {
  if (!d.adminApi) throw new ApiError('unavailable', 'admin APIs disabled');
  // Prometheus's order of checks: match[] present, start, end, then each selector.
  if (p.getAll('match[]').length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
  const start = timeParam(p, 'start', MIN_TIME);
  const end = timeParam(p, 'end', MAX_TIME);
  const sets = matcherSets(p, { required: true, nameInError: true });
  const db = d.db;
  if (!db) throw new ApiError('unavailable', 'TSDB not ready');
  try {
    for (const ms of sets) await db.deleteSeries(start, end, ms);
  } catch (e) {
    throw new ApiError('internal', (e as Error).message);
  }
  return NO_CONTENT;
}

/** Prometheus's clean_tombstones: blocks with deletions are rewritten without the deleted data; 204. */
export function cleanTombstones(d: ApiDeps): NoContent {
  if (!d.adminApi) throw new ApiError('unavailable', 'admin APIs disabled');
  const db = d.db;
  if (!db) throw new ApiError('unavailable', 'TSDB not ready');
  try {
    db.cleanTombstones();
  } catch (e) {
    throw new ApiError('internal', (e as Error).message);
  }
  return NO_CONTENT;
}
