/**
 * The blocks of a data directory: opening them (a corrupt block is reported and skipped while
 * the others serve), deleting them safely, and running compaction and retention over them.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Block } from './block.js';
import { TMP_FOR_CREATION_SUFFIX } from './builder.js';
import { compactBlocks } from './compactor.js';
import { planCompaction } from './planner.js';
import { blocksBeyondRetention, type RetentionOptions } from './retention.js';
import { isUlid } from './ulid.js';

export const TMP_FOR_DELETION_SUFFIX = '.tmp-for-deletion';

export interface OpenedBlocks {
  /** Readable blocks sorted by minTime. */
  blocks: Block[];
  /** Blocks that could not be opened, with the reason. */
  corrupted: { dir: string; error: Error }[];
}

/**
 * Opens every block directory under `dir`. With `cleanup`, leftovers of interrupted writes
 * and deletions are removed, as are blocks already merged into another block (their ULID is
 * a parent of a block present), which a crash between compaction and deletion can leave.
 */
export function openBlocks(dir: string, opts: { cleanup?: boolean } = {}): OpenedBlocks {
  const blocks: Block[] = [];
  const corrupted: { dir: string; error: Error }[] = [];
  if (!existsSync(dir)) return { blocks, corrupted };
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const path = join(dir, e.name);
    if (e.name.endsWith(TMP_FOR_CREATION_SUFFIX) || e.name.endsWith(TMP_FOR_DELETION_SUFFIX)) {
      if (opts.cleanup) rmSync(path, { recursive: true, force: true });
      continue;
    }
    if (!isUlid(e.name)) continue;
    try {
      blocks.push(Block.open(path));
    } catch (err) {
      corrupted.push({ dir: path, error: err as Error });
    }
  }
  blocks.sort((a, b) => a.meta.minTime - b.meta.minTime);
  if (opts.cleanup) {
    const parents = new Set(blocks.flatMap((b) => (b.meta.compaction.parents ?? []).map((p) => p.ulid)));
    for (const b of blocks.filter((x) => parents.has(x.ulid))) deleteBlock(b);
    return { blocks: blocks.filter((b) => !parents.has(b.ulid)), corrupted };
  }
  return { blocks, corrupted };
}

/** Removes a block: first renamed (one atomic step readers see), then deleted. */
export function deleteBlock(b: Block): void {
  b.close();
  const tmp = b.dir + TMP_FOR_DELETION_SUFFIX;
  renameSync(b.dir, tmp);
  rmSync(tmp, { recursive: true, force: true });
}

/**
 * Compacts `dir` until the planner finds nothing more to do (at most `maxRounds` rounds).
 * Returns the ULIDs of the blocks created.
 */
export function compactDir(dir: string, ranges: readonly number[], maxRounds = 100): string[] {
  const created: string[] = [];
  for (let round = 0; round < maxRounds; round++) {
    const { blocks } = openBlocks(dir, { cleanup: true });
    const plan = planCompaction(
      blocks.map((b) => b.meta),
      ranges,
    );
    if (plan.length === 0) {
      for (const b of blocks) b.close();
      break;
    }
    const inputs = plan.map((u) => blocks.find((b) => b.ulid === u)!);
    const meta = compactBlocks(dir, inputs);
    if (meta) created.push(meta.ulid);
    for (const b of inputs) deleteBlock(b);
    for (const b of blocks) b.close();
  }
  return created;
}

/** Deletes the blocks beyond retention; returns their ULIDs. */
export function applyRetention(dir: string, opts: RetentionOptions): string[] {
  const { blocks } = openBlocks(dir);
  const doomed = new Set(blocksBeyondRetention(blocks.map((b) => ({ meta: b.meta, size: b.size() })), opts));
  for (const b of blocks) {
    if (doomed.has(b.ulid)) deleteBlock(b);
    else b.close();
  }
  return [...doomed];
}

/** Rewrites a block without its deleted data; returns the new block's ULID (or undefined if nothing is left). */
export function cleanTombstones(block: Block): string | undefined {
  if (block.tombstones.count() === 0) return block.ulid;
  const parent = join(block.dir, '..');
  // A rewrite keeps the block's place in the compaction levels.
  const meta = compactBlocks(parent, [block], { level: block.meta.compaction.level });
  deleteBlock(block);
  return meta?.ulid;
}
