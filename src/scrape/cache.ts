/**
 * The scrape cache of one loop: for the exact bytes of a line's series text (`name{labels}`),
 * the series ref and final label set it resolved to, plus the iterations that saw it. Keys sit
 * in one byte pool and per-entry state in typed arrays indexed by entry id, so a steady-state
 * scrape finds its lines without making a string or an object per line, and the garbage
 * collector sees a handful of arrays instead of an object graph per series.
 */
import type { Labels } from '../model/labels.js';

const EMPTY = 0;

export class ScrapeCache {
  ref = new Float64Array(256);
  /** The scrape iteration that last saw the entry. */
  seen = new Uint32Array(256);
  /** `seen` before the current scrape, restored when the scrape fails. */
  prevSeen = new Uint32Array(256);
  /** 1 when the sample carried its own timestamp (no staleness unless track_timestamps_staleness). */
  explicitTs = new Uint8Array(256);
  /** Final labels, or null when metric relabeling dropped the series. */
  readonly labels: (Labels | null)[] = [];

  private hash = new Uint32Array(256);
  private keyOff = new Uint32Array(256);
  private keyLen = new Uint32Array(256);
  private live = new Uint8Array(256);
  /** Entry ids handed out so far; ids below it are live or on the free list. */
  private used = 0;
  private readonly freeIds: number[] = [];
  count = 0;

  private keys = new Uint8Array(1 << 16);
  private keysView = new DataView(this.keys.buffer);
  private keysUsed = 0;
  private keysDead = 0;

  /** Open addressing with linear probing; slots hold entry id + 1 (0 = empty). */
  private table = new Int32Array(512);
  private mask = 511;

  /** Ids ever handed out; iterate `0 <= id < size()` and skip ids where `isLive` is false. */
  size(): number {
    return this.used;
  }

  isLive(id: number): boolean {
    return this.live[id] === 1;
  }

  /** The byte pool holding the keys (replaced when it grows: fetch it again after `add`). */
  keyPool(): DataView {
    return this.keysView;
  }

  keyOffset(id: number): number {
    return this.keyOff[id];
  }

  keyLength(id: number): number {
    return this.keyLen[id];
  }

  /** The entry whose key equals `b[start, end)` (with `h = hashBytes(b, start, end)`), or -1. */
  find(b: Uint8Array, start: number, end: number, h: number): number {
    const len = end - start;
    const table = this.table;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = table[i];
      if (slot === EMPTY) return -1;
      const id = slot - 1;
      if (this.hash[id] === h && this.keyLen[id] === len && this.keyEquals(id, b, start, len)) return id;
    }
  }

  private keyEquals(id: number, b: Uint8Array, start: number, len: number): boolean {
    const keys = this.keys;
    const off = this.keyOff[id];
    for (let k = 0; k < len; k++) if (keys[off + k] !== b[start + k]) return false;
    return true;
  }

  /** Adds an entry for key `b[start, end)`; the caller checked it is absent. Returns its id. */
  add(b: Uint8Array, start: number, end: number, h: number, labels: Labels | null): number {
    const len = end - start;
    let id: number;
    if (this.freeIds.length > 0) id = this.freeIds.pop()!;
    else {
      id = this.used++;
      if (id === this.hash.length) this.growEntries();
    }
    if (this.keysUsed + len > this.keys.length) this.makeKeyRoom(len);
    this.keys.set(b.subarray(start, end), this.keysUsed);
    this.keyOff[id] = this.keysUsed;
    this.keyLen[id] = len;
    this.keysUsed += len;
    this.hash[id] = h;
    this.live[id] = 1;
    this.ref[id] = 0;
    this.seen[id] = 0;
    this.prevSeen[id] = 0;
    this.explicitTs[id] = 0;
    this.labels[id] = labels;
    this.count++;
    if (this.count * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.insertSlot(id);
    return id;
  }

  remove(id: number): void {
    this.deleteSlot(id);
    this.live[id] = 0;
    this.labels[id] = null;
    this.keysDead += this.keyLen[id];
    this.freeIds.push(id);
    this.count--;
  }

  private growEntries(): void {
    const n = this.hash.length * 2;
    const grow = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: new (n: number) => T): T => {
      const g = new make(n);
      g.set(a);
      return g;
    };
    this.ref = grow(this.ref, Float64Array);
    this.seen = grow(this.seen, Uint32Array);
    this.prevSeen = grow(this.prevSeen, Uint32Array);
    this.explicitTs = grow(this.explicitTs, Uint8Array);
    this.hash = grow(this.hash, Uint32Array);
    this.keyOff = grow(this.keyOff, Uint32Array);
    this.keyLen = grow(this.keyLen, Uint32Array);
    this.live = grow(this.live, Uint8Array);
  }

  /** Compacts the key pool when half of it is dead, else doubles it. */
  private makeKeyRoom(extra: number): void {
    const liveBytes = this.keysUsed - this.keysDead;
    let size = this.keys.length;
    while (liveBytes + extra > size / 2) size *= 2;
    const next = new Uint8Array(size);
    let off = 0;
    for (let id = 0; id < this.used; id++) {
      if (this.live[id] !== 1) continue;
      const o = this.keyOff[id];
      const n = this.keyLen[id];
      next.set(this.keys.subarray(o, o + n), off);
      this.keyOff[id] = off;
      off += n;
    }
    this.keys = next;
    this.keysView = new DataView(next.buffer);
    this.keysUsed = off;
    this.keysDead = 0;
  }

  private insertSlot(id: number): void {
    const mask = this.mask;
    let i = this.hash[id] & mask;
    while (this.table[i] !== EMPTY) i = (i + 1) & mask;
    this.table[i] = id + 1;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (let id = 0; id < this.used; id++) if (this.live[id] === 1) this.insertSlot(id);
  }

  /** Backward-shift deletion keeps probe chains intact without tombstones. */
  private deleteSlot(id: number): void {
    const mask = this.mask;
    const t = this.table;
    let i = this.hash[id] & mask;
    while (t[i] !== id + 1) {
      if (t[i] === EMPTY) return;
      i = (i + 1) & mask;
    }
    let j = i;
    for (;;) {
      t[i] = EMPTY;
      for (;;) {
        j = (j + 1) & mask;
        if (t[j] === EMPTY) return;
        const home = this.hash[t[j] - 1] & mask;
        // Move t[j] into the hole unless its home lies cyclically in (i, j].
        const inRange = i <= j ? i < home && home <= j : i < home || home <= j;
        if (!inRange) break;
      }
      t[i] = t[j];
      i = j;
    }
  }
}

/** MurmurHash3 (x86, 32-bit) of `b[start, end)`, four bytes per step. */
export function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x9747b28c;
  let i = start;
  const last4 = end - 3;
  for (; i < last4; i += 4) {
    let k = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rest = end - i;
  if (rest > 0) {
    let k = b[i];
    if (rest > 1) k |= b[i + 1] << 8;
    if (rest > 2) k |= b[i + 2] << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= end - start;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
