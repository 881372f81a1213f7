/**
 * Repairs a WAL after a WalCorruptionError: keeps every record before the damage, truncates the
 * damaged segment just after its last intact record and empties all later segments.
 *
 * Truncating in place (rather than re-logging the good records into a fresh segment as
 * Prometheus does) leaves the kept bytes untouched; a short last page is valid because readers,
 * Prometheus's included, treat it as zero-padded. Later segments are emptied rather than
 * deleted (Prometheus deletes them): the numbering stays gapless, and a writer that already
 * opened its fresh segment keeps a file that is still in the directory.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, statSync } from 'node:fs';
import { listSegments, segmentName } from './segment.js';
import type { WalCorruptionError } from './reader.js';
import { fsyncDir } from './writer.js';

export interface RepairResult {
  segment: number;
  /** Bytes cut from the damaged segment. */
  truncatedBytes: number;
  /** Later segments emptied, and the bytes they held. */
  emptiedSegments: number;
  emptiedBytes: number;
}

export function repairWal(dir: string, err: WalCorruptionError, logger: (msg: string) => void = () => {}): RepairResult {
  const segs = listSegments(dir);
  const damaged = segs.find((s) => s.index === err.segment);
  if (!damaged) throw new Error(`WAL repair: segment ${err.segment} not found in ${dir}`);
  const truncatedBytes = statSync(damaged.path).size - err.offset;
  cut(damaged.path, err.offset);
  let emptiedSegments = 0;
  let emptiedBytes = 0;
  for (const s of segs) {
    if (s.index <= err.segment) continue;
    const size = statSync(s.path).size;
    if (size === 0) continue;
    cut(s.path, 0);
    emptiedSegments++;
    emptiedBytes += size;
  }
  fsyncDir(dir);
  logger(
    `WAL repair: ${err.reason}; kept ${err.offset} bytes of segment ${segmentName(err.segment)}, ` +
      `cut ${truncatedBytes} bytes, emptied ${emptiedSegments} later segment(s) (${emptiedBytes} bytes)`,
  );
  return { segment: err.segment, truncatedBytes, emptiedSegments, emptiedBytes };
}

function cut(path: string, size: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, size);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
