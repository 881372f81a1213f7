/**
 * Streams one block to disk: series arrive in label order with their encoded chunks, the
 * chunk segments and the index are written as they come, and `finish` writes meta.json and
 * the tombstones file, then renames `<ulid>.tmp-for-creation` to `<ulid>` so that a block
 * directory only ever appears complete.
 */
import { existsSync, mkdirSync, renameSync, rmSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels } from '../../model/labels.js';
import { ChunkWriter } from '../chunks/writer.js';
import { IndexWriter } from '../index/writer.js';
import type { ChunkMeta } from '../index/format.js';
import { META_VERSION, writeMeta, type BlockMeta } from './meta.js';
import { Tombstones } from './tombstones.js';
import { newUlid } from './ulid.js';

/** One encoded chunk ready for writing; times are the first and last sample's (inclusive). */
export interface EncodedChunk {
  minTime: number;
  maxTime: number;
  encoding: number;
  data: Uint8Array;
  numSamples: number;
}

export const TMP_FOR_CREATION_SUFFIX = '.tmp-for-creation';

export interface FinishOptions {
  /** Block range; defaults to [first sample, last sample + 1). */
  minTime?: number;
  maxTime?: number;
  level?: number;
  sources?: string[];
  parents?: BlockMeta['compaction']['parents'];
}

export class BlockBuilder {
  readonly ulid: string;
  readonly tmpDir: string;
  readonly finalDir: string;
  private readonly chunks: ChunkWriter;
  private readonly index: IndexWriter;
  private readonly metas: ChunkMeta[] = [];
  private numSamples = 0;
  private numSeries = 0;
  private numChunks = 0;
  private minT = Infinity;
  private maxT = -Infinity;
  private done = false;

  constructor(
    readonly parentDir: string,
    opts: { ulid?: string; segmentSize?: number } = {},
  ) {
    this.ulid = opts.ulid ?? newUlid();
    this.finalDir = join(parentDir, this.ulid);
    this.tmpDir = this.finalDir + TMP_FOR_CREATION_SUFFIX;
    if (existsSync(this.tmpDir)) rmSync(this.tmpDir, { recursive: true, force: true });
    mkdirSync(this.tmpDir, { recursive: true });
    this.chunks = new ChunkWriter(join(this.tmpDir, 'chunks'), opts.segmentSize);
    this.index = new IndexWriter(join(this.tmpDir, 'index'));
  }

  /** Every label name and value of the series to come. */
  setSymbols(symbols: Iterable<string>): void {
    this.index.addSymbols(symbols);
  }

  /** Adds a series (label order, chunks in time order, not overlapping). Series without chunks are skipped. */
  addSeries(labels: Labels, chunks: readonly EncodedChunk[]): void {
    if (chunks.length === 0) return;
    const metas = this.metas;
    metas.length = 0;
    for (const c of chunks) {
      const ref = this.chunks.write(c.encoding, c.data);
      metas.push({ ref, minTime: c.minTime, maxTime: c.maxTime });
      this.numSamples += c.numSamples;
      if (c.minTime < this.minT) this.minT = c.minTime;
      if (c.maxTime > this.maxT) this.maxT = c.maxTime;
    }
    this.index.addSeries(labels, metas);
    this.numChunks += chunks.length;
    this.numSeries++;
  }

  get seriesCount(): number {
    return this.numSeries;
  }

  /**
   * Completes the block and returns its meta, or undefined (and nothing on disk) when no
   * series was added, as Prometheus writes no empty blocks.
   */
  finish(opts: FinishOptions = {}): BlockMeta | undefined {
    if (this.done) throw new Error('block builder already finished');
    this.done = true;
    try {
      this.chunks.close();
      this.index.close();
      if (this.numSeries === 0) {
        rmSync(this.tmpDir, { recursive: true, force: true });
        return undefined;
      }
      const meta: BlockMeta = {
        ulid: this.ulid,
        minTime: opts.minTime ?? this.minT,
        maxTime: opts.maxTime ?? this.maxT + 1,
        stats: { numSamples: this.numSamples, numSeries: this.numSeries, numChunks: this.numChunks },
        compaction: { level: opts.level ?? 1, sources: opts.sources ?? [this.ulid], parents: opts.parents },
        version: META_VERSION,
      };
      writeMeta(this.tmpDir, meta);
      new Tombstones().write(this.tmpDir);
      syncDir(join(this.tmpDir, 'chunks'));
      syncDir(this.tmpDir);
      renameSync(this.tmpDir, this.finalDir);
      syncDir(this.parentDir);
      return meta;
    } catch (e) {
      rmSync(this.tmpDir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Discards everything written so far. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.chunks.close();
      this.index.close();
    } finally {
      rmSync(this.tmpDir, { recursive: true, force: true });
    }
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
