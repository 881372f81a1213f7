/** Admin endpoints behind --web.enable-admin-api. */
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ApiDeps } from './deps.js';
import { ApiError, Params } from './params.js';

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
