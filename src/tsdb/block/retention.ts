/** Which blocks retention removes: whole blocks, oldest first, by age and by total size. */
import type { BlockMeta } from './meta.js';

export interface RetentionOptions {
  /** Keep blocks whose end is within this many ms of the newest block's end (0: no time limit). */
  retentionMs?: number;
  /** Keep at most this many bytes of blocks (plus `extraBytes`), dropping the oldest first (0: no size limit). */
  maxBytes?: number;
  /** Bytes already used outside the blocks (head, WAL), counted against maxBytes. */
  extraBytes?: number;
}

/**
 * ULIDs of the blocks beyond retention. `blocks` are metas with their on-disk sizes, in any order.
 * As in Prometheus, time retention is measured from the newest block's maxTime, and once the
 * running total of sizes (newest first) passes maxBytes that block and all older ones go.
 */
export function blocksBeyondRetention(blocks: readonly { meta: BlockMeta; size: number }[], opts: RetentionOptions): string[] {
  const newestFirst = [...blocks].sort((a, b) => b.meta.minTime - a.meta.minTime);
  const out = new Set<string>();
  const retention = opts.retentionMs ?? 0;
  if (retention > 0 && newestFirst.length > 0) {
    const newestMax = newestFirst[0]!.meta.maxTime;
    for (let i = 1; i < newestFirst.length; i++) {
      if (newestMax - newestFirst[i]!.meta.maxTime >= retention) {
        for (const b of newestFirst.slice(i)) out.add(b.meta.ulid);
        break;
      }
    }
  }
  const maxBytes = opts.maxBytes ?? 0;
  if (maxBytes > 0) {
    let total = opts.extraBytes ?? 0;
    for (let i = 0; i < newestFirst.length; i++) {
      total += newestFirst[i]!.size;
      if (total > maxBytes) {
        for (const b of newestFirst.slice(i)) out.add(b.meta.ulid);
        break;
      }
    }
  }
  return [...out];
}
