/**
 * Iterates one head series' in-order samples in [mint, maxt], skipping deleted ranges
 * (tombstones). At creation it records which chunks overlap the range and copies the open
 * chunk's bytes, so later appends, chunk cuts or truncation do not disturb a running iteration.
 */
import { ValueType, type SampleIterator } from '../../storage/interface.js';
import { isDeleted, type Intervals } from '../block/tombstones.js';
import { XORIterator } from '../chunkenc/xor.js';
import type { Head } from './head.js';
import { coveredBy } from './tombstones.js';

export class HeadSeriesIterator implements SampleIterator {
  private bufs: Uint8Array[] = [];
  private offs: number[] = [];
  private lens: number[] = [];
  private maxTs: number[] = [];
  private count = 0;
  private idx = -1;
  private openCopy = new Uint8Array(64);
  private readonly xi = new XORIterator();
  private mint = 0;
  private maxt = 0;
  private deleted: Intervals | undefined;
  private done = true;
  /** Positioned at a sample returned by next/seek. */
  private valid = false;

  init(head: Head, slot: number, mint: number, maxt: number, deleted?: Intervals): this {
    this.mint = mint;
    this.maxt = maxt;
    this.deleted = deleted;
    this.count = 0;
    this.idx = -1;
    this.done = false;
    this.valid = false;
    const s = head.store;
    const arena = head.arena;
    for (let c = s.firstClosed[slot]; c >= 0; c = arena.next[c]) {
      if (arena.maxT[c] < mint) continue;
      if (arena.minT[c] > maxt) break;
      if (deleted !== undefined && coveredBy(deleted, arena.minT[c], arena.maxT[c])) continue;
      this.add(arena.page(c), arena.offOf[c], arena.lenOf[c], arena.maxT[c]);
    }
    const open = s.openSlot[slot];
    const openDeleted = deleted !== undefined && coveredBy(deleted, s.openMinT[slot], s.maxT[slot]);
    if (open >= 0 && s.openNum[slot] > 0 && s.maxT[slot] >= mint && s.openMinT[slot] <= maxt && !openDeleted) {
      const bits = s.openBits[slot];
      const len = ((bits + 7) >>> 3) + (s.padByte[slot] === 1 && (bits & 7) === 0 ? 1 : 0);
      if (this.openCopy.length < len) this.openCopy = new Uint8Array(Math.max(len, this.openCopy.length * 2));
      const off = head.slots.offset(open);
      this.openCopy.set(head.slots.page(open).subarray(off, off + len));
      this.add(this.openCopy, 0, len, s.maxT[slot]);
    }
    return this;
  }

  private add(buf: Uint8Array, off: number, len: number, maxT: number): void {
    const i = this.count++;
    this.bufs[i] = buf;
    this.offs[i] = off;
    this.lens[i] = len;
    this.maxTs[i] = maxT;
  }

  private nextChunk(): boolean {
    this.idx++;
    if (this.idx >= this.count) return false;
    const i = this.idx;
    this.xi.reset(this.bufs[i], this.offs[i], this.offs[i] + this.lens[i]);
    return true;
  }

  next(): ValueType {
    if (this.done) return ValueType.None;
    if (this.idx < 0 && !this.nextChunk()) return this.finish();
    for (;;) {
      if (this.xi.next() === ValueType.None) {
        if (this.xi.err() !== null || !this.nextChunk()) return this.finish();
        continue;
      }
      const t = this.xi.atT();
      if (t < this.mint) continue;
      if (t > this.maxt) return this.finish();
      if (this.deleted !== undefined && isDeleted(this.deleted, t)) continue;
      this.valid = true;
      return ValueType.Float;
    }
  }

  seek(t: number): ValueType {
    if (this.done) return ValueType.None;
    if (t < this.mint) t = this.mint;
    if (this.valid && this.xi.atT() >= t) return ValueType.Float;
    if (this.idx < 0 || this.maxTs[this.idx] < t) {
      // Skip whole chunks that end before t.
      let i = this.idx + 1;
      while (i < this.count && this.maxTs[i] < t) i++;
      this.idx = i - 1;
      if (!this.nextChunk()) return this.finish();
    }
    for (;;) {
      if (this.xi.seek(t) === ValueType.None) {
        if (this.xi.err() !== null || !this.nextChunk()) return this.finish();
        continue;
      }
      const at = this.xi.atT();
      if (at > this.maxt) return this.finish();
      // The iterator stands on a deleted sample: the next one kept is what seek wants.
      if (this.deleted !== undefined && isDeleted(this.deleted, at)) return this.next();
      this.valid = true;
      return ValueType.Float;
    }
  }

  private finish(): ValueType {
    this.done = true;
    this.valid = false;
    return ValueType.None;
  }

  atT(): number {
    return this.xi.atT();
  }

  atV(): number {
    return this.xi.atV();
  }

  err(): Error | null {
    return this.xi.err();
  }
}

/** Sorted samples held in arrays (out-of-order data, once merged). */
export class ArraySampleIterator implements SampleIterator {
  private i = -1;
  constructor(
    private readonly t: Float64Array,
    private readonly v: Float64Array,
  ) {}
  next(): ValueType {
    if (this.i < this.t.length) this.i++;
    return this.i < this.t.length ? ValueType.Float : ValueType.None;
  }
  seek(t: number): ValueType {
    if (this.i < 0) this.i = 0;
    while (this.i < this.t.length && this.t[this.i] < t) this.i++;
    return this.i < this.t.length ? ValueType.Float : ValueType.None;
  }
  atT(): number {
    return this.t[this.i];
  }
  atV(): number {
    return this.v[this.i];
  }
  err(): Error | null {
    return null;
  }
}

