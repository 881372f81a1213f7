/**
 * The leveled compaction planner: which blocks of a data directory to compact next. It follows
 * Prometheus: overlapping blocks first (vertical compaction), then the first group of adjacent
 * blocks that fills an aligned range of the next level, then a large block with many tombstones.
 */
import type { BlockMeta } from './meta.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** `steps` ranges growing by `stepSize` from `min`: 2h, 6h, 18h, 54h, ... by default. */
export function exponentialBlockRanges(min = 2 * HOUR, steps = 10, stepSize = 3): number[] {
  const out: number[] = [];
  let r = min;
  for (let i = 0; i < steps; i++) {
    out.push(r);
    r *= stepSize;
  }
  return out;
}

/**
 * Prometheus's default compaction ranges for a retention: levels of 2h * 3^i up to the
 * maximum block duration, which is 10% of the time retention capped at 31 days.
 */
export function defaultBlockRanges(retentionMs: number, minBlockMs = 2 * HOUR): number[] {
  let max = 31 * DAY;
  if (retentionMs > 0) max = Math.min(max, Math.floor(retentionMs / 10));
  max = Math.max(max, minBlockMs);
  return exponentialBlockRanges(minBlockMs, 10, 3).filter((r) => r <= max);
}

/** Start of the `range`-aligned window holding t (floor division, also for negative t). */
function alignDown(t: number, range: number): number {
  return Math.floor(t / range) * range;
}

/** Groups consecutive blocks (sorted by minTime) that fit together in one aligned window of `range`. */
export function splitByRange<T extends Pick<BlockMeta, 'minTime' | 'maxTime'>>(metas: readonly T[], range: number): T[][] {
  const groups: T[][] = [];
  let i = 0;
  while (i < metas.length) {
    const t0 = alignDown(metas[i]!.minTime, range);
    // A block larger than the window, or straddling its end, belongs to no group at this level.
    if (metas[i]!.maxTime > t0 + range) {
      i++;
      continue;
    }
    const group: T[] = [];
    while (i < metas.length && metas[i]!.maxTime <= t0 + range && metas[i]!.minTime >= t0) group.push(metas[i++]!);
    if (group.length > 0) groups.push(group);
  }
  return groups;
}

/** The first run of blocks (sorted by minTime) that overlap in time, or []. */
export function overlappingBlocks(sorted: readonly BlockMeta[]): BlockMeta[] {
  if (sorted.length < 2) return [];
  const out: BlockMeta[] = [];
  let globalMax = sorted[0]!.maxTime;
  for (let i = 1; i < sorted.length; i++) {
    const m = sorted[i]!;
    if (m.minTime < globalMax) {
      if (out.length === 0) out.push(sorted[i - 1]!);
      out.push(m);
    } else if (out.length > 0) break;
    if (m.maxTime > globalMax) globalMax = m.maxTime;
  }
  return out;
}

/** Returns the ULIDs of the blocks to compact together next, or [] when nothing is due. */
export function planCompaction(metas: readonly BlockMeta[], ranges: readonly number[]): string[] {
  const sorted = [...metas].sort((a, b) => a.minTime - b.minTime);
  const overlapping = overlappingBlocks(sorted);
  if (overlapping.length > 0) return overlapping.map((m) => m.ulid);
  // The newest block stays out, leaving a window to back it up before it gets rewritten.
  const candidates = sorted.slice(0, -1);
  if (candidates.length === 0 || ranges.length < 2) return [];
  const highTime = candidates[candidates.length - 1]!.minTime;
  for (const range of ranges.slice(1)) {
    for (const group of splitByRange(candidates, range)) {
      if (group.length < 2 || group.some((m) => m.compaction.failed)) continue;
      const mint = group[0]!.minTime;
      const maxt = group[group.length - 1]!.maxTime;
      // Compact when the group spans the whole window, or when newer data exists past it.
      if (maxt - mint === range || maxt <= highTime) return group.map((m) => m.ulid);
    }
  }
  // A big block with more than 5% of its series carrying tombstones is rewritten on its own,
  // and so is a block of any size whose series all have one (it is likely entirely deleted).
  const bigEnough = ranges[Math.floor(ranges.length / 2)]!;
  for (let i = candidates.length - 1; i >= 0; i--) {
    const m = candidates[i]!;
    const stones = m.stats.numTombstones ?? 0;
    if (m.maxTime - m.minTime < bigEnough) {
      if (stones > 0 && stones >= m.stats.numSeries) return [m.ulid];
      break;
    }
    if (stones / (m.stats.numSeries + 1) > 0.05) return [m.ulid];
  }
  return [];
}
