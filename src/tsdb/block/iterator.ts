/**
 * Iterates one block series: its chunks in time order, decoded with the XOR iterator,
 * restricted to the querier's [mint, maxt] and skipping deleted intervals (tombstones).
 */
import { ValueType, type SampleIterator } from '../../storage/interface.js';
import { XORIterator } from '../chunkenc/xor.js';
import { Encoding, encodingName } from '../chunkenc/chunk.js';
import { ChunkScratch, type ChunkReader } from '../chunks/reader.js';
import type { ChunkMeta } from '../index/format.js';
import { isDeleted, type Intervals } from './tombstones.js';

export class BlockSeriesIterator implements SampleIterator {
  private chunks: readonly ChunkMeta[] = [];
  private ci = -1;
  private reader!: ChunkReader;
  private mint = 0;
  private maxt = 0;
  private deleted: Intervals | undefined;
  private readonly xor = new XORIterator();
  private readonly scratch = new ChunkScratch();
  private inChunk = false;
  /** Whether next/seek last stopped on a sample. */
  private hasCur = false;
  private done = false;
  private error: Error | null = null;

  reset(reader: ChunkReader, chunks: readonly ChunkMeta[], mint: number, maxt: number, deleted: Intervals | undefined): this {
    this.reader = reader;
    this.chunks = chunks;
    this.ci = -1;
    this.mint = mint;
    this.maxt = maxt;
    this.deleted = deleted;
    this.inChunk = false;
    this.hasCur = false;
    this.done = false;
    this.error = null;
    return this;
  }

  private openChunk(i: number): boolean {
    const meta = this.chunks[i]!;
    try {
      const c = this.scratch;
      this.reader.chunkInto(meta.ref, c);
      if (c.encoding !== Encoding.XOR) throw new Error(`chunk encoding ${encodingName(c.encoding)} is not supported for float iteration`);
      this.xor.reset(c.buf, 0, c.len);
    } catch (e) {
      this.error = e as Error;
      this.done = true;
      return false;
    }
    this.ci = i;
    this.inChunk = true;
    return true;
  }

  next(): ValueType {
    this.hasCur = this.advance();
    return this.hasCur ? ValueType.Float : ValueType.None;
  }

  private advance(): boolean {
    if (this.done) return false;
    for (;;) {
      if (!this.inChunk) {
        if (this.ci + 1 >= this.chunks.length || !this.openChunk(this.ci + 1)) {
          this.done = true;
          return false;
        }
      }
      if (this.xor.next() === ValueType.None) {
        const e = this.xor.err();
        if (e) {
          this.error = e;
          this.done = true;
          return false;
        }
        this.inChunk = false;
        continue;
      }
      const t = this.xor.atT();
      if (t < this.mint) continue;
      if (t > this.maxt) {
        this.done = true;
        return false;
      }
      if (this.deleted !== undefined && isDeleted(this.deleted, t)) continue;
      return true;
    }
  }

  seek(t: number): ValueType {
    if (this.done) return ValueType.None;
    if (this.hasCur && this.xor.atT() >= t) return ValueType.Float;
    // Skip whole chunks that end before t without decoding them.
    if (!this.inChunk || this.chunks[this.ci]!.maxTime < t) {
      let j = this.ci + 1;
      while (j < this.chunks.length && this.chunks[j]!.maxTime < t) j++;
      this.ci = j - 1;
      this.inChunk = false;
    }
    for (;;) {
      const vt = this.next();
      if (vt === ValueType.None || this.xor.atT() >= t) return vt;
    }
  }

  atT(): number {
    return this.xor.atT();
  }

  atV(): number {
    return this.xor.atV();
  }

  err(): Error | null {
    return this.error;
  }
}
