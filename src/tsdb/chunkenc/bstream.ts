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
  /** False once bound to a pooled region, whose owner guarantees room. */
  private growable = true;

  constructor(initialBytes = 32) {
    this.buf = new Uint8Array(initialBytes);
  }

  /** Points the writer at an existing region that already holds `nbits` bits. */
  bind(buf: Uint8Array, base: number, nbits: number, padByte: boolean): void {
    this.buf = buf;
    this.base = base;
    this.nbits = nbits;
    this.padByte = padByte;
    this.growable = false;
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
    if (!this.growable) throw new Error('BitWriter: bound region is full');
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
    if (n > 24) {
      // Keep each piece within one 32-bit word (at most 7 bits of offset + 24 bits).
      this.writeBits(Math.floor(v / 65536) & ((1 << (n - 16)) - 1), n - 16);
      this.writeBits(v & 0xffff, 16);
      this.padByte = (n & 7) === 0;
      return;
    }
    const pos = this.nbits;
    const i = this.base + (pos >>> 3);
    // One byte beyond the last bit, for the pad byte.
    if (i + 4 >= this.buf.length) this.grow(i + 5);
    const off = pos & 7;
    const end = off + n;
    // The bits, aligned to the top of a 32-bit word starting at byte i.
    const w = ((v & ((1 << n) - 1)) << (32 - end)) >>> 0;
    const buf = this.buf;
    buf[i] |= w >>> 24;
    if (end > 8) {
      buf[i + 1] = w >>> 16;
      if (end > 16) {
        buf[i + 2] = w >>> 8;
        if (end > 24) buf[i + 3] = w;
      }
    }
    this.nbits = pos + n;
    this.padByte = n >= 8 && (n & 7) === 0;
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
    if (n > 25) {
      const hi = this.readBits(n - 16);
      return hi * 65536 + this.readBits(16);
    }
    const pos = this.pos;
    const i = pos >>> 3;
    const buf = this.buf;
    // Up to 4 bytes hold the 7-bit offset plus 25 bits; missing bytes read as zero.
    const w =
      (((buf[i] ?? 0) << 24) | ((buf[i + 1] ?? 0) << 16) | ((buf[i + 2] ?? 0) << 8) | (buf[i + 3] ?? 0)) >>> 0;
    this.pos = pos + n;
    return ((w << (pos & 7)) >>> 0) >>> (32 - n);
  }
}
