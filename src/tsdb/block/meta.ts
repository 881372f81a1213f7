/** A block's `meta.json`: its ULID, time range (maxTime exclusive), stats and compaction lineage. */
import { readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { isUlid } from './ulid.js';

export interface BlockDesc {
  ulid: string;
  minTime: number;
  maxTime: number;
}

export interface BlockStats {
  numSamples: number;
  numSeries: number;
  numChunks: number;
  numTombstones?: number;
}

export interface BlockMeta {
  ulid: string;
  /** First sample's timestamp in ms. */
  minTime: number;
  /** One past the last sample's timestamp: the block covers [minTime, maxTime). */
  maxTime: number;
  stats: BlockStats;
  compaction: {
    level: number;
    sources: string[];
    parents?: BlockDesc[];
    failed?: boolean;
    deletable?: boolean;
  };
  version: number;
}

export const META_FILENAME = 'meta.json';
export const META_VERSION = 1;

export function readMeta(blockDir: string): BlockMeta {
  const path = join(blockDir, META_FILENAME);
  let m: BlockMeta;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as BlockMeta;
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  if (m === null || typeof m !== 'object') throw new Error(`${path}: not a JSON object`);
  if (m.version !== META_VERSION) throw new Error(`${path}: unsupported meta version ${String(m.version)}`);
  if (typeof m.ulid !== 'string' || !isUlid(m.ulid)) throw new Error(`${path}: invalid ulid ${JSON.stringify(m.ulid)}`);
  if (!Number.isInteger(m.minTime) || !Number.isInteger(m.maxTime)) throw new Error(`${path}: minTime/maxTime must be integers`);
  m.stats ??= { numSamples: 0, numSeries: 0, numChunks: 0 };
  m.compaction ??= { level: 1, sources: [m.ulid] };
  m.compaction.sources ??= [];
  return m;
}

/** Serializes as Prometheus does (tab-indented, field order of its Go struct). */
export function metaJson(m: BlockMeta): string {
  const c = m.compaction;
  const ordered = {
    ulid: m.ulid,
    minTime: m.minTime,
    maxTime: m.maxTime,
    stats: {
      numSamples: m.stats.numSamples,
      numSeries: m.stats.numSeries,
      numChunks: m.stats.numChunks,
      ...(m.stats.numTombstones ? { numTombstones: m.stats.numTombstones } : {}),
    },
    compaction: {
      level: c.level,
      ...(c.sources.length ? { sources: c.sources } : {}),
      ...(c.parents?.length ? { parents: c.parents } : {}),
      ...(c.failed ? { failed: true } : {}),
      ...(c.deletable ? { deletable: true } : {}),
    },
    version: m.version,
  };
  return JSON.stringify(ordered, null, '\t');
}

/** Writes meta.json via a temporary file and rename, so readers never see a partial file. */
export function writeMeta(blockDir: string, m: BlockMeta): void {
  const path = join(blockDir, META_FILENAME);
  const tmp = path + '.tmp';
  writeFileSync(tmp, metaJson(m));
  const fd = openSync(tmp, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}
