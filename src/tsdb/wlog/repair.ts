/**
 * Repairs a WAL after a WalCorruptionError: keeps every record before the damage, truncates the
 * damaged segment just after its last intact record and deletes all later segments.
 *
 * Truncating in place (rather than re-logging the good records into a fresh segment as
 * Prometheus does) leaves the kept bytes untouched; a short last page is valid because readers,
 * Prometheus's included, treat it as zero-padded.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, statSync, unlinkSync } from 'node:fs';
import { listSegments, segmentName } from './segment.js';
import type { WalCorruptionError } from './reader.js';
import { fsyncDir } from './writer.js';

export interface RepairResult {
  segment: number;
  /** Bytes cut from the damaged segment. */
  truncatedBytes: number;
  /** Later segments deleted entirely. */
  deletedSegments: number;
  deletedBytes: number;
}

export function repairWal(dir: string, err: WalCorruptionError, logger: (msg: string) => void = () => {}): RepairResult {
  let deletedSegments = 0;
  let deletedBytes = 0;
  let found = false;
  for (const s of listSegments(dir)) {
    if (s.index === err.segment) found = true;
    if (s.index <= err.segment) continue;
    deletedBytes += statSync(s.path).size;
    unlinkSync(s.path);
    deletedSegments++;
  }
  if (!found) throw new Error(`WAL repair: segment ${err.segment} not found in ${dir}`);
  const path = `${dir}/${segmentName(err.segment)}`;
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, err.offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncDir(dir);
  const res = { segment: err.segment, truncatedBytes: size - err.offset, deletedSegments, deletedBytes };
  logger(
    `WAL repair: ${err.reason}; kept ${err.offset} bytes of segment ${segmentName(err.segment)}, ` +
      `cut ${res.truncatedBytes} bytes, deleted ${deletedSegments} later segment(s) (${deletedBytes} bytes)`,
  );
  return res;
}
