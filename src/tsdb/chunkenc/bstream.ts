/**
 * Bit-level writer and reader over byte arrays, most significant bit first (the order
 * Prometheus's chunk encodings use). Values wider than 32 bits travel as (hi, lo) uint32
 * halves so that no BigInt is needed on the hot path.
 */

/**
 * Appends bits to a zero-filled byte region starting at `base` in `buf`. A standalone writer
 * (base 0) grows its buffer; a writer bound to a pooled slot (see `bind`) relies on its owner
 * to keep enough room and never grows.
 */
export class BitWriter {
  buf: Uint8Array;
  /** Byte offset of the first bit inside `buf`. */
  base = 0;
  /** Number of bits written so far. */
  nbits = 0;
  /**
   * Whether the last write ended with a whole byte. Go's bstream then already holds one more
   * (empty) byte, and Prometheus's chunk bytes include it; keeping it makes our bytes identical.
   */
  padByte = false;

  constructor(initialBytes = 32) {
    this.buf = new Uint8Array(initialBytes);
  }

  /** Points the writer at an existing region that already holds `nbits` bits. */
  bind(buf: Uint8Array, base: number, nbits: number, padByte: boolean): void {
    this.buf = buf;
    this.base = base;
    this.nbits = nbits;
    this.padByte = padByte;
  }

  /** Bytes holding every written bit; the last byte is zero-padded. A view, not a copy. */
  bytes(): Uint8Array {
    return this.buf.subarray(this.base, this.base + this.byteLength);
  }

  get byteLength(): number {
    const n = this.nbits;
    return ((n + 7) >>> 3) + (this.padByte && (n & 7) === 0 ? 1 : 0);
  }

  private grow(minBytes: number): void {
    if (this.base !== 0) throw new Error('BitWriter: bound region is full');
    let n = this.buf.length * 2;
    while (n < minBytes) n *= 2;
    const next = new Uint8Array(n);
    next.set(this.buf);
    this.buf = next;
  }

  writeBit(bit: number): void {
    const i = this.base + (this.nbits >>> 3);
    if (i >= this.buf.length) this.grow(i + 1);
    if (bit) this.buf[i] |= 0x80 >>> (this.nbits & 7);
    this.nbits++;
    this.padByte = false;
  }

  /** Writes the low `n` bits of `v` (0 <= n <= 32). */
  writeBits(v: number, n: number): void {
    if (n === 0) return;
    // One byte beyond the last bit, for the pad byte.
    const lastByte = this.base + ((this.nbits + n) >>> 3);
    if (lastByte >= this.buf.length) this.grow(lastByte + 1);
    const buf = this.buf;
    const base8 = this.base * 8;
    const n0 = n;
    let nbits = this.nbits + base8;
    if (n < 32) v &= (1 << n) - 1;
    while (n > 0) {
      const free = 8 - (nbits & 7);
      const take = n < free ? n : free;
      n -= take;
      const chunk = (v >>> n) & ((1 << take) - 1);
      buf[nbits >>> 3] |= chunk << (free - take);
      nbits += take;
    }
    this.nbits = nbits - base8;
    this.padByte = n0 >= 8 && (n0 & 7) === 0;
  }

  /** Writes the low `n` bits (0 <= n <= 64) of the 64-bit value hi:lo. */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.writeBits(hi, n - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, n);
    }
    this.padByte = n >= 8 && (n & 7) === 0;
  }

  writeByte(b: number): void {
    this.writeBits(b, 8);
  }

  /** Forgets everything written (keeps the buffer). */
  reset(): void {
    this.buf.fill(0, this.base, this.base + this.byteLength);
    this.nbits = 0;
    this.padByte = false;
  }
}

/** Reads bits from bytes [start, end) of a buffer. */
export class BitReader {
  buf: Uint8Array = new Uint8Array(0);
  /** Absolute bit position. */
  pos = 0;
  /** Absolute bit limit. */
  end = 0;

  reset(buf: Uint8Array, startByte: number, endByte: number): void {
    this.buf = buf;
    this.pos = startByte * 8;
    this.end = endByte * 8;
  }

  /** Bits left before the end. */
  remaining(): number {
    return this.end - this.pos;
  }

  /** Returns 0/1, or -1 past the end. */
  readBit(): number {
    if (this.pos >= this.end) return -1;
    const p = this.pos++;
    return (this.buf[p >>> 3] >>> (7 - (p & 7))) & 1;
  }

  /**
   * Reads `n` bits (1 <= n <= 32) as an unsigned number. The caller checks `remaining()`
   * first; reading past the end yields zero bits.
   */
  readBits(n: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let v = 0;
    let left = n;
    while (left > 0) {
      const used = pos & 7;
      const avail = 8 - used;
      const take = left < avail ? left : avail;
      const byte = buf[pos >>> 3] ?? 0;
      const chunk = (byte >>> (avail - take)) & ((1 << take) - 1);
      // Multiplication keeps the 32-bit case unsigned.
      v = v * (1 << take) + chunk;
      pos += take;
      left -= take;
    }
    this.pos = pos;
    return v;
  }
}
