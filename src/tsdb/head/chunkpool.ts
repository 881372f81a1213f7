/**
 * Memory for head chunk bytes, so no chunk owns a JS object.
 *
 * Open chunks (still being appended to) live in fixed-size slots carved from 64 KiB pages,
 * one pool per size class; a chunk outgrowing its slot moves to the next class. When a chunk
 * is cut it is copied, at its exact length, into append-only 1 MiB arena pages; a page is
 * released once every chunk in it was truncated away (chunks are cut roughly in time order,
 * so old pages empty out together, much like Prometheus's head chunk files).
 */

// Eight classes (the class is the low 3 bits of a slot id); 8 KiB holds the worst case of
// 240 samples (the cap of twice the 120-sample target) at 19 bytes each.
const CLASS_SIZES = [32, 64, 128, 256, 512, 1024, 2048, 8192];
const CLASS_SHIFT = [5, 6, 7, 8, 9, 10, 11, 13];
const SLAB_PAGE_SHIFT = 16;
const SLAB_PAGE_BYTES = 1 << SLAB_PAGE_SHIFT;

export class SlotPool {
  private readonly pages: Uint8Array[][] = CLASS_SIZES.map(() => []);
  private readonly used: number[] = CLASS_SIZES.map(() => 0);
  private readonly freeLists: number[][] = CLASS_SIZES.map(() => []);

  /** Largest slot size; callers must cut chunks before they need more. */
  static readonly MAX_SLOT = CLASS_SIZES[CLASS_SIZES.length - 1];

  /** A zeroed slot of at least `bytes` bytes. */
  alloc(bytes: number): number {
    let cls = 0;
    while (CLASS_SIZES[cls] < bytes) cls++;
    if (cls >= CLASS_SIZES.length) throw new Error(`chunk slot of ${bytes} bytes is too large`);
    const size = CLASS_SIZES[cls];
    const perPage = SLAB_PAGE_BYTES / size;
    const free = this.freeLists[cls];
    let index: number;
    if (free.length > 0) {
      index = free.pop()!;
      const page = this.pages[cls][(index / perPage) | 0];
      const off = (index % perPage) * size;
      page.fill(0, off, off + size);
    } else {
      index = this.used[cls]++;
      const p = (index / perPage) | 0;
      if (p === this.pages[cls].length) this.pages[cls].push(new Uint8Array(SLAB_PAGE_BYTES));
    }
    return index * 8 + cls;
  }

  // Slot ids stay below 2^31 (2^28 slots of one class would be 8 GiB), so int math is safe.
  free(slot: number): void {
    this.freeLists[slot & 7].push(slot >>> 3);
  }

  size(slot: number): number {
    return CLASS_SIZES[slot & 7];
  }

  page(slot: number): Uint8Array {
    const cls = slot & 7;
    return this.pages[cls][(slot >>> 3) >>> (SLAB_PAGE_SHIFT - CLASS_SHIFT[cls])];
  }

  offset(slot: number): number {
    const cls = slot & 7;
    const shift = CLASS_SHIFT[cls];
    return ((slot >>> 3) & ((1 << (SLAB_PAGE_SHIFT - shift)) - 1)) << shift;
  }

  /** Bytes reserved from the engine. */
  bytesAllocated(): number {
    let n = 0;
    for (const p of this.pages) n += p.length * SLAB_PAGE_BYTES;
    return n;
  }
}

const ARENA_PAGE_BYTES = 1 << 20;

/** Immutable cut chunks with their time bounds, addressed by a chunk id. */
export class ChunkArena {
  private readonly pages: (Uint8Array | null)[] = [];
  private live: number[] = [];
  private writePage = -1;
  private writeOff = ARENA_PAGE_BYTES;

  minT = new Float64Array(1024);
  maxT = new Float64Array(1024);
  pageOf = new Uint32Array(1024);
  offOf = new Uint32Array(1024);
  lenOf = new Uint16Array(1024);
  /** Next (newer) chunk of the same series, or -1. */
  next = new Int32Array(1024);
  private count = 0;
  private readonly freeIds: number[] = [];

  private growMeta(): void {
    const n = this.minT.length * 2;
    const g = <T extends Float64Array | Uint32Array | Uint16Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.minT = g(this.minT, (k) => new Float64Array(k));
    this.maxT = g(this.maxT, (k) => new Float64Array(k));
    this.pageOf = g(this.pageOf, (k) => new Uint32Array(k));
    this.offOf = g(this.offOf, (k) => new Uint32Array(k));
    this.lenOf = g(this.lenOf, (k) => new Uint16Array(k));
    this.next = g(this.next, (k) => new Int32Array(k));
  }

  /** Copies `len` bytes from `src` at `srcOff` into the arena; returns the chunk id. */
  add(src: Uint8Array, srcOff: number, len: number, minT: number, maxT: number): number {
    if (this.writeOff + len > ARENA_PAGE_BYTES) {
      // The page we leave may already be empty (all its chunks truncated while we wrote to it).
      if (this.writePage >= 0 && this.live[this.writePage] === 0) this.pages[this.writePage] = null;
      // Reuse a released page slot if any, else append one.
      let p = this.pages.indexOf(null);
      if (p < 0) {
        p = this.pages.length;
        this.pages.push(null);
        this.live.push(0);
      }
      this.pages[p] = new Uint8Array(ARENA_PAGE_BYTES);
      this.writePage = p;
      this.writeOff = 0;
    }
    const page = this.pages[this.writePage]!;
    page.set(src.subarray(srcOff, srcOff + len), this.writeOff);
    let id: number;
    if (this.freeIds.length > 0) id = this.freeIds.pop()!;
    else {
      if (this.count === this.minT.length) this.growMeta();
      id = this.count++;
    }
    this.minT[id] = minT;
    this.maxT[id] = maxT;
    this.pageOf[id] = this.writePage;
    this.offOf[id] = this.writeOff;
    this.lenOf[id] = len;
    this.next[id] = -1;
    this.live[this.writePage] += len;
    this.writeOff += len;
    return id;
  }

  free(id: number): void {
    const p = this.pageOf[id];
    this.live[p] -= this.lenOf[id];
    if (this.live[p] === 0 && p !== this.writePage) this.pages[p] = null;
    this.freeIds.push(id);
  }

  /** The page holding chunk `id` (stays valid for readers even after the chunk is freed). */
  page(id: number): Uint8Array {
    return this.pages[this.pageOf[id]]!;
  }

  bytesAllocated(): number {
    let n = 0;
    for (const p of this.pages) if (p) n += ARENA_PAGE_BYTES;
    return n;
  }
}
