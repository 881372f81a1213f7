/**
 * Per-series state of the head as a struct of typed arrays indexed by slot.
 *
 * A series ref is `gen * 2^26 + slot`: slots of deleted series are reused, and the generation
 * keeps every ref unique over the head's lifetime (the WAL relies on that). Label sets are
 * runs of interned symbol ids in one pool; a hash table (open addressing, linear probing)
 * finds a series by its labels without building keys.
 */
import { Labels } from '../../model/labels.js';
import { SymbolTable } from './symbols.js';

export const SLOT_BITS = 26;
export const SLOT_COUNT = 2 ** SLOT_BITS;

export function refSlot(ref: number): number {
  return ref % SLOT_COUNT;
}

export function refGen(ref: number): number {
  return Math.floor(ref / SLOT_COUNT);
}

type Typed = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

function grow<T extends Typed>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

export class SeriesStore {
  readonly symbols = new SymbolTable();
  /** Slots handed out so far (slot 0 is never used: ref 0 means "unknown"). */
  private used = 1;
  private readonly freeSlots: number[] = [];
  count = 0;
  capacity = 0;

  // Identity.
  gen = new Uint32Array(0);
  live = new Uint8Array(0);
  hash = new Float64Array(0);
  lblOff = new Uint32Array(0);
  lblLen = new Uint16Array(0);

  // In-order chunk state: the open chunk and its XOR appender state.
  /** Time of the newest in-order sample, -Infinity when none. */
  maxT = new Float64Array(0);
  vHi = new Uint32Array(0);
  vLo = new Uint32Array(0);
  tDelta = new Float64Array(0);
  nextAt = new Float64Array(0);
  openMinT = new Float64Array(0);
  /** Slot in the SlotPool, -1 when there is no open chunk. */
  openSlot = new Int32Array(0);
  openBits = new Uint32Array(0);
  openNum = new Uint16Array(0);
  leading = new Uint8Array(0);
  trailing = new Uint8Array(0);
  padByte = new Uint8Array(0);
  /** Oldest and newest cut chunk ids in the ChunkArena, -1 when none. */
  firstClosed = new Int32Array(0);
  lastClosed = new Int32Array(0);
  /** Samples sitting in uncommitted appenders; such series are never garbage collected. */
  pending = new Uint32Array(0);
  /** Id of the appender holding the series' newest pending sample, and that sample's index. */
  stamp = new Uint32Array(0);
  pendIdx = new Uint32Array(0);

  // Label pool.
  private lbl = new Uint32Array(4096);
  private lblUsed = 0;
  private lblDead = 0;

  // Hash table of slots (0 = empty).
  private table = new Uint32Array(1024);
  private tableMask = 1023;

  private ensureCapacity(slot: number): void {
    if (slot < this.capacity) return;
    let n = Math.max(1024, this.capacity);
    while (n <= slot) n = Math.ceil(n * 1.5);
    this.capacity = n;
    this.gen = grow(this.gen, n);
    this.live = grow(this.live, n);
    this.hash = grow(this.hash, n);
    this.lblOff = grow(this.lblOff, n);
    this.lblLen = grow(this.lblLen, n);
    this.maxT = grow(this.maxT, n);
    this.vHi = grow(this.vHi, n);
    this.vLo = grow(this.vLo, n);
    this.tDelta = grow(this.tDelta, n);
    this.nextAt = grow(this.nextAt, n);
    this.openMinT = grow(this.openMinT, n);
    this.openSlot = grow(this.openSlot, n);
    this.openBits = grow(this.openBits, n);
    this.openNum = grow(this.openNum, n);
    this.leading = grow(this.leading, n);
    this.trailing = grow(this.trailing, n);
    this.padByte = grow(this.padByte, n);
    this.firstClosed = grow(this.firstClosed, n);
    this.lastClosed = grow(this.lastClosed, n);
    this.pending = grow(this.pending, n);
    this.stamp = grow(this.stamp, n);
    this.pendIdx = grow(this.pendIdx, n);
  }

  ref(slot: number): number {
    const g = this.gen[slot];
    return g === 0 ? slot : g * SLOT_COUNT + slot;
  }

  /** The slot of a live series with this exact ref, or 0. */
  slotOf(ref: number): number {
    if (ref < SLOT_COUNT) {
      // Generation 0, the common case: no floating-point division.
      return ref < this.used && this.live[ref] === 1 && this.gen[ref] === 0 ? ref : 0;
    }
    const slot = refSlot(ref);
    if (slot === 0 || slot >= this.used || this.live[slot] === 0) return 0;
    return this.gen[slot] === refGen(ref) ? slot : 0;
  }

  /** The slot of the live series with these labels, or 0. */
  find(labels: Labels): number {
    const h = labels.hash();
    const flat = labels.toFlat();
    const mask = this.tableMask;
    const table = this.table;
    for (let i = (h >>> 0) & mask; ; i = (i + 1) & mask) {
      const s = table[i];
      if (s === 0) return 0;
      if (this.hash[s] === h && this.labelsEqual(s, flat)) return s;
    }
  }

  private labelsEqual(slot: number, flat: readonly string[]): boolean {
    const n = this.lblLen[slot];
    if (n !== flat.length) return false;
    const off = this.lblOff[slot];
    const lbl = this.lbl;
    const sym = this.symbols;
    for (let i = 0; i < n; i++) if (sym.get(lbl[off + i]) !== flat[i]) return false;
    return true;
  }

  /**
   * Creates a series. `ref` (from a WAL) forces the slot and generation; the caller checks
   * that the slot is free. Returns the slot.
   */
  create(labels: Labels, ref = 0): number {
    let slot: number;
    if (ref !== 0) {
      slot = refSlot(ref);
      this.ensureCapacity(slot);
      if (slot >= this.used) {
        for (let s = this.used; s < slot; s++) this.freeSlots.push(s);
        this.used = slot + 1;
      } else {
        const i = this.freeSlots.lastIndexOf(slot);
        if (i >= 0) this.freeSlots.splice(i, 1);
      }
      this.gen[slot] = refGen(ref);
    } else {
      slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.used++;
      if (slot >= SLOT_COUNT) throw new Error('head: too many series');
      this.ensureCapacity(slot);
    }
    const flat = labels.toFlat();
    if (this.lblUsed + flat.length > this.lbl.length) this.compactLabels(flat.length);
    const off = this.lblUsed;
    for (let i = 0; i < flat.length; i++) this.lbl[off + i] = this.symbols.ref(flat[i]);
    this.lblUsed += flat.length;
    this.lblOff[slot] = off;
    this.lblLen[slot] = flat.length;
    this.hash[slot] = labels.hash();
    this.live[slot] = 1;
    this.maxT[slot] = -Infinity;
    this.tDelta[slot] = 0;
    this.vHi[slot] = 0;
    this.vLo[slot] = 0;
    this.openSlot[slot] = -1;
    this.openBits[slot] = 0;
    this.openNum[slot] = 0;
    this.padByte[slot] = 0;
    this.firstClosed[slot] = -1;
    this.lastClosed[slot] = -1;
    this.pending[slot] = 0;
    this.stamp[slot] = 0;
    this.count++;
    this.insertHash(slot);
    return slot;
  }

  /** Forgets a series; its slot is reused with the next generation. */
  remove(slot: number): void {
    this.deleteHash(slot);
    const off = this.lblOff[slot];
    const n = this.lblLen[slot];
    for (let i = 0; i < n; i++) this.symbols.unref(this.lbl[off + i]);
    this.lblDead += n;
    this.live[slot] = 0;
    this.gen[slot]++;
    this.freeSlots.push(slot);
    this.count--;
  }

  /** The flat sorted label strings of a series. */
  labelsFlat(slot: number): string[] {
    const off = this.lblOff[slot];
    const n = this.lblLen[slot];
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = this.symbols.get(this.lbl[off + i]);
    return out;
  }

  labels(slot: number): Labels {
    return Labels.fromSortedFlat(this.labelsFlat(slot));
  }

  /** The value of label `name` for a series ('' when absent), without building Labels. */
  labelValue(slot: number, nameId: number): string {
    const off = this.lblOff[slot];
    const n = this.lblLen[slot];
    for (let i = 0; i < n; i += 2) if (this.lbl[off + i] === nameId) return this.symbols.get(this.lbl[off + i + 1]);
    return '';
  }

  /** Calls fn with each label name of a series. */
  forEachName(slot: number, fn: (name: string) => void): void {
    const off = this.lblOff[slot];
    const n = this.lblLen[slot];
    for (let i = 0; i < n; i += 2) fn(this.symbols.get(this.lbl[off + i]));
  }

  /** Live slots in increasing order. */
  *slots(): IterableIterator<number> {
    for (let s = 1; s < this.used; s++) if (this.live[s] === 1) yield s;
  }

  /** Bytes of typed arrays held for series state (not symbols or postings). */
  bytesAllocated(): number {
    const perSlot = 8 * 5 + 4 * 11 + 2 * 2 + 1 * 4;
    return this.capacity * perSlot + this.lbl.byteLength + this.table.byteLength;
  }

  private compactLabels(extra: number): void {
    const liveLen = this.lblUsed - this.lblDead;
    let size = this.lbl.length;
    while (liveLen + extra > size / 2) size *= 2;
    const next = new Uint32Array(size);
    let off = 0;
    for (let s = 1; s < this.used; s++) {
      if (this.live[s] !== 1) continue;
      const o = this.lblOff[s];
      const n = this.lblLen[s];
      next.set(this.lbl.subarray(o, o + n), off);
      this.lblOff[s] = off;
      off += n;
    }
    this.lbl = next;
    this.lblUsed = off;
    this.lblDead = 0;
  }

  private insertHash(slot: number): void {
    if ((this.count + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    const mask = this.tableMask;
    let i = (this.hash[slot] >>> 0) & mask;
    while (this.table[i] !== 0) i = (i + 1) & mask;
    this.table[i] = slot;
  }

  private rehash(size: number): void {
    const old = this.table;
    this.table = new Uint32Array(size);
    this.tableMask = size - 1;
    for (let i = 0; i < old.length; i++) {
      const s = old[i];
      if (s === 0) continue;
      let j = (this.hash[s] >>> 0) & this.tableMask;
      while (this.table[j] !== 0) j = (j + 1) & this.tableMask;
      this.table[j] = s;
    }
  }

  /** Backward-shift deletion keeps probe chains intact without tombstones. */
  private deleteHash(slot: number): void {
    const mask = this.tableMask;
    const t = this.table;
    let i = (this.hash[slot] >>> 0) & mask;
    while (t[i] !== slot) {
      if (t[i] === 0) return;
      i = (i + 1) & mask;
    }
    let j = i;
    for (;;) {
      t[i] = 0;
      for (;;) {
        j = (j + 1) & mask;
        if (t[j] === 0) return;
        const home = (this.hash[t[j]] >>> 0) & mask;
        // Move t[j] into the hole unless its home lies cyclically in (i, j].
        const inRange = i <= j ? i < home && home <= j : i < home || home <= j;
        if (!inRange) break;
      }
      t[i] = t[j];
      i = j;
    }
  }
}
