/**
 * A read-only view of the DB's WAL writer for the server's `/metrics` (`prometheus_tsdb_wal_*`).
 * The DB keeps its writer private so nothing else writes through it; this only reads.
 */
import type { DB } from './db.js';
import type { WalMetrics } from './wlog/index.js';

export interface WalStats {
  readonly metrics: Readonly<WalMetrics>;
  readonly currentSegment: number;
}

/** Undefined until the DB has opened its writer (it does so after WAL replay). */
export function walStats(db: DB): WalStats | undefined {
  // Element access reads the private field; the writer itself is never handed out.
  const wal = db['wal'] as DB['wal'] | undefined;
  if (!wal) return undefined;
  return { metrics: wal.metrics, currentSegment: wal.currentSegment() };
}
