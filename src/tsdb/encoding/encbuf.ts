/**
 * EncBuf: a growable, reusable byte buffer for writing the TSDB binary formats.
 *
 * Integers are JS numbers and must be exact (|n| <= 2^53); the `*Big` variants take a bigint
 * for the full 64-bit range. Multi-byte fixed-width integers are big-endian, as in every
 * Prometheus TSDB format.
 *
 * API (all `put*` append at the end and grow the buffer as needed):
 *   new EncBuf(initialCapacity = 1024)
 *   reset()                          empties it, keeping the memory
 *   len: number                      bytes written
 *   get(): Uint8Array                view of the written bytes (invalid after the next put/reset);
 *                                    a plain Uint8Array, so its .slice() copies (Buffer's would not)
 *   copy(): Uint8Array               an owned copy of the written bytes
 *   putByte(b) putBE16(n) putBE32(n) putBE64(n) putBE64Big(b) putBE64Float(f)
 *   putUvarint(n) putVarint(n)       LEB128 (varint = zigzag); exact up to 2^53 / |n| <= 2^52
 *   putUvarintBig(b) putVarintBig(b) full 64-bit range
 *   putBytes(u8, start?, end?)       raw bytes
 *   putString(s)                     raw UTF-8 bytes
 *   putUvarintStr(s)                 uvarint byte length + UTF-8 bytes
 *   putUvarintBytes(u8)              uvarint length + bytes
 *   putCRC32C(start = 0)             appends the big-endian crc32c of bytes [start, len)
 *   reserve(n): number               makes room for n bytes, advances len, returns their offset
 *   setBE32(off, n)                  overwrites 4 bytes at off (for length fields filled in later)
 *   setBE64(off, n)                  overwrites 8 bytes at off
 *   uvarintSize(n): number (static)  encoded size of a uvarint
 *   dataView(): DataView             view over `buf`, for hot loops that write in place after grow()
 *   writeVarintAt(buf, p, n) (exported function): zigzag varint at p, returns the new offset;
 *                                    for hot loops that grow() once and then write without checks
 */
import { crc32c } from './crc32c.js';

const TWO32 = 0x100000000;

/** Writes n (|n| <= 2^52) as a zigzag varint at buf[p], which must have 10 bytes of room. */
export function writeVarintAt(buf: Uint8Array, p: number, n: number): number {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  if (z < 0x80) {
    buf[p] = z;
    return p + 1;
  }
  while (z > 0x7fffffff) {
    buf[p++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  while (z >= 0x80) {
    buf[p++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  buf[p] = z;
  return p + 1;
}

export class EncBuf {
  /** The whole backing store; bytes [0, len) are written. A Buffer so UTF-8 writes are native. */
  buf: Buffer;
  len = 0;
  private view: DataView;

  constructor(initialCapacity = 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  reset(): void {
    this.len = 0;
  }

  dataView(): DataView {
    return this.view;
  }

  get(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.len);
  }

  copy(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buf, 0, this.len);
  }

  /** Ensures room for n more bytes. */
  grow(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
    this.view = new DataView(nb.buffer, nb.byteOffset, nb.byteLength);
  }

  reserve(n: number): number {
    this.grow(n);
    const off = this.len;
    this.len += n;
    return off;
  }

  putByte(b: number): void {
    if (this.len >= this.buf.length) this.grow(1);
    this.buf[this.len++] = b;
  }

  putBE16(n: number): void {
    this.grow(2);
    this.view.setUint16(this.len, n, false);
    this.len += 2;
  }

  putBE32(n: number): void {
    this.grow(4);
    this.view.setUint32(this.len, n >>> 0, false);
    this.len += 4;
  }

  setBE32(off: number, n: number): void {
    this.view.setUint32(off, n >>> 0, false);
  }

  /** Unsigned or two's-complement 64-bit from an exact JS number. */
  putBE64(n: number): void {
    this.grow(8);
    this.setBE64(this.len, n);
    this.len += 8;
  }

  setBE64(off: number, n: number): void {
    const hi = Math.floor(n / TWO32);
    const lo = n - hi * TWO32;
    this.view.setUint32(off, hi >>> 0, false);
    this.view.setUint32(off + 4, lo >>> 0, false);
  }

  putBE64Big(b: bigint): void {
    this.grow(8);
    this.view.setBigUint64(this.len, BigInt.asUintN(64, b), false);
    this.len += 8;
  }

  putBE64Float(f: number): void {
    this.grow(8);
    this.view.setFloat64(this.len, f, false);
    this.len += 8;
  }

  putUvarint(n: number): void {
    this.grow(10);
    const buf = this.buf;
    let i = this.len;
    // Beyond 31 bits bit operators truncate, so peel 7 bits with arithmetic first.
    while (n > 0x7fffffff) {
      buf[i++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    while (n >= 0x80) {
      buf[i++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[i++] = n;
    this.len = i;
  }

  /** Zigzag: 0, -1, 1, -2 ... map to 0, 1, 2, 3 ... */
  putVarint(n: number): void {
    this.putUvarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  putUvarintBig(b: bigint): void {
    let n = BigInt.asUintN(64, b);
    this.grow(10);
    while (n >= 0x80n) {
      this.buf[this.len++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.len++] = Number(n);
  }

  putVarintBig(b: bigint): void {
    const v = BigInt.asIntN(64, b);
    this.putUvarintBig(v >= 0n ? v << 1n : ((-v) << 1n) - 1n);
  }

  putBytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.grow(n);
    this.buf.set(src.subarray(start, end), this.len);
    this.len += n;
  }

  putString(s: string): void {
    const n = s.length;
    // Short ASCII strings (label names and most values) are cheaper to copy by hand.
    if (n < 32) {
      this.grow(n * 3);
      const buf = this.buf;
      let i = this.len;
      let k = 0;
      for (; k < n; k++) {
        const c = s.charCodeAt(k);
        if (c >= 0x80) break;
        buf[i++] = c;
      }
      if (k === n) {
        this.len = i;
        return;
      }
    }
    this.grow(Buffer.byteLength(s, 'utf8'));
    this.len += this.buf.write(s, this.len, 'utf8');
  }

  putUvarintStr(s: string): void {
    const n = s.length;
    let ascii = true;
    for (let k = 0; k < n; k++) {
      if (s.charCodeAt(k) >= 0x80) {
        ascii = false;
        break;
      }
    }
    const bytes = ascii ? n : Buffer.byteLength(s, 'utf8');
    this.putUvarint(bytes);
    if (ascii && n < 32) {
      this.grow(n);
      const buf = this.buf;
      let i = this.len;
      for (let k = 0; k < n; k++) buf[i++] = s.charCodeAt(k);
      this.len = i;
    } else {
      this.grow(bytes);
      this.len += this.buf.write(s, this.len, 'utf8');
    }
  }

  putUvarintBytes(src: Uint8Array): void {
    this.putUvarint(src.length);
    this.putBytes(src);
  }

  putCRC32C(start = 0): void {
    this.putBE32(crc32c(this.buf, start, this.len));
  }

  static uvarintSize(n: number): number {
    let size = 1;
    while (n >= 0x80) {
      n = Math.floor(n / 128);
      size++;
    }
    return size;
  }
}
