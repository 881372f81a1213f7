/**
 * The blocks of a data directory: opening them (a corrupt block is reported and skipped while
 * the others serve), deleting them safely, and running compaction and retention over them.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Block, diskSize } from './block.js';
import { TMP_FOR_CREATION_SUFFIX } from './builder.js';
import { compactBlocks } from './compactor.js';
import { planCompaction } from './planner.js';
import { blocksBeyondRetention, type RetentionOptions } from './retention.js';
import { isUlid } from './ulid.js';
import { readMeta, type BlockMeta } from './meta.js';

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
  removeBlockDir(b.dir);
}

/** The metas of the block directories under `dir` whose meta.json reads (others are skipped). */
function readMetas(dir: string): { dir: string; meta: BlockMeta }[] {
  const out: { dir: string; meta: BlockMeta }[] = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || !isUlid(e.name)) continue;
    try {
      out.push({ dir: join(dir, e.name), meta: readMeta(join(dir, e.name)) });
    } catch {
      // openBlocks reports unreadable blocks; planning and retention just leave them alone.
    }
  }
  return out;
}

function removeBlockDir(path: string): void {
  const tmp = path + TMP_FOR_DELETION_SUFFIX;
  renameSync(path, tmp);
  rmSync(tmp, { recursive: true, force: true });
}

/**
 * Compacts `dir` until the planner finds nothing more to do (at most `maxRounds` rounds).
 * Planning reads only meta.json files; only the blocks being merged are opened.
 * Returns the ULIDs of the blocks created.
 */
export function compactDir(dir: string, ranges: readonly number[], maxRounds = 100): string[] {
  const created: string[] = [];
  for (let round = 0; round < maxRounds; round++) {
    const metas = readMetas(dir);
    const plan = planCompaction(
      metas.map((m) => m.meta),
      ranges,
    );
    if (plan.length === 0) break;
    const inputs = plan.map((u) => Block.open(metas.find((m) => m.meta.ulid === u)!.dir));
    try {
      const meta = compactBlocks(dir, inputs);
      if (meta) created.push(meta.ulid);
    } finally {
      for (const b of inputs) b.close();
    }
    for (const b of inputs) removeBlockDir(b.dir);
  }
  return created;
}

/** Deletes the blocks beyond retention (reading only their meta.json and sizes); returns their ULIDs. */
export function applyRetention(dir: string, opts: RetentionOptions): string[] {
  const metas = readMetas(dir);
  const doomed = new Set(blocksBeyondRetention(metas.map((m) => ({ meta: m.meta, size: diskSize(m.dir) })), opts));
  for (const m of metas) if (doomed.has(m.meta.ulid)) removeBlockDir(m.dir);
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
