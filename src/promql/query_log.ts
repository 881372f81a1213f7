/**
 * The query log (`global.query_log_file`): one JSON line per query, shaped like Prometheus's
 * 2.x (`error` when the query failed, `httpRequest`, `params`, `stats` with timings and
 * samples, `ts`, keys in that order); Prometheus 2's always-zero `spanID` is left out.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { QueryStatistics } from './engine.js';

/** Where a query came from, as logged under `httpRequest`. */
export interface QueryOrigin {
  clientIP: string;
  method: string;
  path: string;
}

export interface QueryLogEntry {
  query: string;
  start: number;
  end: number;
  /** ms; 0 for instant queries. */
  step: number;
  stats: QueryStatistics;
  error?: string;
  origin?: QueryOrigin;
}

export interface QueryLogger {
  log(e: QueryLogEntry): void;
  close(): void;
}

/** Go's "2006-01-02T15:04:05.000Z07:00" in UTC, as Prometheus formats query log times. */
function formatDate(ms: number): string {
  return new Date(ms).toISOString();
}

export function queryLogLine(e: QueryLogEntry, now = Date.now()): string {
  const record: Record<string, unknown> = {};
  if (e.error !== undefined) record.error = e.error;
  if (e.origin) record.httpRequest = { clientIP: e.origin.clientIP, method: e.origin.method, path: e.origin.path };
  record.params = { end: formatDate(e.end), query: e.query, start: formatDate(e.start), step: Math.trunc(e.step / 1000) };
  record.stats = e.stats;
  record.ts = formatDate(now);
  return JSON.stringify(record) + '\n';
}

/** Appends to a file opened once; a failing write throws, for the engine to count. */
export class FileQueryLogger implements QueryLogger {
  private fd: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a', 0o666);
  }

  log(e: QueryLogEntry): void {
    writeSync(this.fd, queryLogLine(e));
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
