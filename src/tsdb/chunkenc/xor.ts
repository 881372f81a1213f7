/**
 * Gorilla-style XOR float chunks, byte-for-byte the layout of Prometheus's `XORChunk`:
 * a big-endian uint16 sample count, then the first sample as varint t and raw float bits,
 * the second as uvarint time delta and XOR-encoded value, then delta-of-delta timestamps in
 * 1/14/17/20/64-bit buckets and XOR values reusing the previous leading/trailing-zero window.
 */
import { ValueType, type SampleIterator } from '../../storage/interface.js';
import { BitReader, BitWriter } from './bstream.js';
import { Encoding } from './chunk.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LE ? 1 : 0;
const LO = LE ? 0 : 1;
const TWO32 = 4294967296;

/** Appender state carried between samples of one chunk (the head keeps it in typed arrays). */
export interface XorState {
  num: number;
  t: number;
  tDelta: number;
  vHi: number;
  vLo: number;
  /** 0xff until the first XOR window has been written. */
  leading: number;
  trailing: number;
}

export function newXorState(): XorState {
  return { num: 0, t: 0, tDelta: 0, vHi: 0, vLo: 0, leading: 0xff, trailing: 0 };
}

/** `n` (1..25) bits at bit `pos` of `buf`, MSB first; bytes past the end read as zero. */
function bitsAt(buf: Uint8Array, pos: number, n: number): number {
  const i = pos >>> 3;
  const w = ((buf[i] << 24) | (buf[i + 1] << 16) | (buf[i + 2] << 8) | buf[i + 3]) >>> 0;
  return ((w << (pos & 7)) >>> 0) >>> (32 - n);
}

/** Like bitsAt for 1..32 bits. */
function bits32(buf: Uint8Array, pos: number, n: number): number {
  if (n <= 25) return bitsAt(buf, pos, n);
  return bitsAt(buf, pos, n - 16) * 65536 + bitsAt(buf, pos + n - 16, 16);
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Go's binary.PutUvarint for a non-negative integer below 2^53. */
function writeUvarint(w: BitWriter, x: number): void {
  while (x >= 0x80) {
    w.writeByte((x % 128) | 0x80);
    x = Math.floor(x / 128);
  }
  w.writeByte(x);
}

/** Go's binary.PutVarint (zig-zag). */
function writeVarint(w: BitWriter, x: number): void {
  writeUvarint(w, x >= 0 ? x * 2 : -x * 2 - 1);
}

/** Bucketed delta-of-delta; bucket bounds are Prometheus's asymmetric ranges. */
function writeDod(w: BitWriter, dod: number): void {
  if (dod === 0) {
    w.writeBit(0);
  } else if (dod >= -8191 && dod <= 8192) {
    w.writeBits(0b10, 2);
    w.writeBits(dod & 0x3fff, 14);
  } else if (dod >= -65535 && dod <= 65536) {
    w.writeBits(0b110, 3);
    w.writeBits(dod & 0x1ffff, 17);
  } else if (dod >= -524287 && dod <= 524288) {
    w.writeBits(0b1110, 4);
    w.writeBits(dod & 0xfffff, 20);
  } else {
    w.writeBits(0b1111, 4);
    const hi = Math.floor(dod / TWO32);
    w.writeBits(hi >>> 0, 32);
    w.writeBits((dod - hi * TWO32) >>> 0, 32);
  }
}

function writeValueXor(w: BitWriter, s: XorState, hi: number, lo: number): void {
  const dHi = (hi ^ s.vHi) >>> 0;
  const dLo = (lo ^ s.vLo) >>> 0;
  if (dHi === 0 && dLo === 0) {
    w.writeBit(0);
    return;
  }
  let leading = dHi !== 0 ? Math.clz32(dHi) : 32 + Math.clz32(dLo);
  const trailing = dLo !== 0 ? ctz32(dLo) : 32 + ctz32(dHi);
  // Five bits hold the leading count.
  if (leading >= 32) leading = 31;
  let useTrailing: number;
  let sig: number;
  // Control bits go out in one write: `10` reuses the previous window; `11`, five bits of
  // leading zeros and six of significant bits (64 wraps to 0) open a new one.
  if (s.leading !== 0xff && leading >= s.leading && trailing >= s.trailing) {
    w.writeBits(0b10, 2);
    useTrailing = s.trailing;
    sig = 64 - s.leading - useTrailing;
  } else {
    s.leading = leading;
    s.trailing = trailing;
    sig = 64 - leading - trailing;
    w.writeBits((0b11 << 11) | (leading << 6) | (sig & 63), 13);
    useTrailing = trailing;
  }
  // Shift the 64-bit delta right by `useTrailing`.
  let sHi: number;
  let sLo: number;
  if (useTrailing === 0) {
    sHi = dHi;
    sLo = dLo;
  } else if (useTrailing < 32) {
    sLo = ((dLo >>> useTrailing) | (dHi << (32 - useTrailing))) >>> 0;
    sHi = dHi >>> useTrailing;
  } else {
    sLo = dHi >>> (useTrailing - 32);
    sHi = 0;
  }
  w.writeBits64(sHi, sLo, sig);
}

/**
 * Appends one sample to the chunk whose header starts at `w.base`. Timestamps must increase;
 * the caller checks. The writer must have room for 19 more bytes when it cannot grow.
 */
export function xorAppend(w: BitWriter, s: XorState, t: number, v: number): void {
  f64[0] = v;
  const hi = u32[HI];
  const lo = u32[LO];
  if (s.num === 0) {
    writeVarint(w, t);
    w.writeBits(hi, 32);
    w.writeBits(lo, 32);
  } else if (s.num === 1) {
    const tDelta = t - s.t;
    writeUvarint(w, tDelta);
    writeValueXor(w, s, hi, lo);
    s.tDelta = tDelta;
  } else {
    const tDelta = t - s.t;
    writeDod(w, tDelta - s.tDelta);
    writeValueXor(w, s, hi, lo);
    s.tDelta = tDelta;
  }
  s.t = t;
  s.vHi = hi;
  s.vLo = lo;
  s.num++;
  const b = w.buf;
  b[w.base] = (s.num >>> 8) & 0xff;
  b[w.base + 1] = s.num & 0xff;
}

/** A standalone XOR chunk (blocks, tests, OOO chunks); the head packs its chunks itself. */
export class XORChunk {
  private readonly w: BitWriter;

  constructor(bytes?: Uint8Array) {
    if (bytes) {
      if (bytes.length < 2) throw new Error('XOR chunk shorter than its header');
      this.w = new BitWriter(Math.max(32, bytes.length));
      this.w.buf.set(bytes);
      this.w.nbits = bytes.length * 8;
    } else {
      this.w = new BitWriter(32);
      this.w.nbits = 16;
    }
  }

  encoding(): Encoding {
    return Encoding.XOR;
  }

  bytes(): Uint8Array {
    return this.w.bytes();
  }

  numSamples(): number {
    const b = this.w.buf;
    return (b[0] << 8) | b[1];
  }

  /** An appender continuing after the chunk's last sample (decodes the chunk once). */
  appender(): XORAppender {
    const s = newXorState();
    const n = this.numSamples();
    if (n > 0) {
      const it = new XORIterator();
      it.reset(this.w.buf, 0, this.w.byteLength);
      while (it.next() !== ValueType.None);
      const e = it.err();
      if (e) throw e;
      s.num = n;
      s.t = it.atT();
      s.tDelta = it.tDelta;
      s.vHi = it.vHi;
      s.vLo = it.vLo;
      s.leading = it.leading;
      s.trailing = it.trailing;
      // Continue right after the last sample's bits: readers read samples back to back.
      this.w.nbits = it.bitPosition();
    }
    return new XORAppender(this.w, s);
  }

  iterator(reuse?: SampleIterator): XORIterator {
    const it = reuse instanceof XORIterator ? reuse : new XORIterator();
    it.reset(this.w.buf, 0, this.w.byteLength);
    return it;
  }
}

export class XORAppender {
  constructor(
    private readonly w: BitWriter,
    private readonly s: XorState,
  ) {}

  append(t: number, v: number): void {
    xorAppend(this.w, this.s, t, v);
  }
}

/** Decodes an XOR chunk held in bytes [start, end) of a buffer. Implements SampleIterator. */
export class XORIterator implements SampleIterator {
  private readonly r = new BitReader();
  private total = 0;
  private numRead = 0;
  private t = 0;
  tDelta = 0;
  vHi = 0;
  vLo = 0;
  leading = 0;
  trailing = 0;
  private error: Error | null = null;

  /** Positions before the first sample of the chunk stored at buf[start, end). */
  reset(buf: Uint8Array, start: number, end: number): this {
    this.r.reset(buf, start + 2, end);
    this.total = end - start >= 2 ? (buf[start] << 8) | buf[start + 1] : 0;
    this.numRead = 0;
    this.t = 0;
    this.tDelta = 0;
    this.vHi = 0;
    this.vLo = 0;
    this.leading = 0;
    this.trailing = 0;
    this.error = null;
    return this;
  }

  /** Bit offset of the next unread bit inside the buffer given to `reset`. */
  bitPosition(): number {
    return this.r.pos;
  }

  atT(): number {
    return this.t;
  }

  atV(): number {
    u32[HI] = this.vHi;
    u32[LO] = this.vLo;
    return f64[0];
  }

  err(): Error | null {
    return this.error;
  }

  private fail(msg: string): ValueType {
    this.error = new Error(`XOR chunk: ${msg}`);
    this.numRead = this.total;
    return ValueType.None;
  }

  private readUvarint(): number {
    const r = this.r;
    let x = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (r.remaining() < 8) return -1;
      const b = r.readBits(8);
      if (b < 0x80) return x + b * mul;
      x += (b & 0x7f) * mul;
      mul *= 128;
    }
    return -1;
  }

  next(): ValueType {
    if (this.error !== null || this.numRead >= this.total) return ValueType.None;
    const r = this.r;
    if (this.numRead === 0) {
      const zz = this.readUvarint();
      if (zz < 0 || r.remaining() < 64) return this.fail('truncated first sample');
      this.t = zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2;
      this.vHi = r.readBits(32);
      this.vLo = r.readBits(32);
      this.numRead = 1;
      return ValueType.Float;
    }
    if (this.numRead === 1) {
      const d = this.readUvarint();
      if (d < 0) return this.fail('truncated second timestamp');
      this.tDelta = d;
      this.t += d;
      if (!this.readValue()) return ValueType.None;
      this.numRead = 2;
      return ValueType.Float;
    }
    // The first prefix bit is 0 (same delta as before) for almost every sample.
    const buf = r.buf;
    let pos = r.pos;
    if (pos >= r.end) return this.fail('truncated timestamp prefix');
    let dod = 0;
    if (((buf[pos >>> 3] >>> (7 - (pos & 7))) & 1) === 0) {
      pos++;
    } else {
      // Up to three more prefix bits select the delta-of-delta bucket.
      r.pos = pos + 1;
      let prefix = 1;
      for (let i = 1; i < 4; i++) {
        const bit = r.readBit();
        if (bit < 0) return this.fail('truncated timestamp prefix');
        prefix = (prefix << 1) | bit;
        if (bit === 0) break;
      }
      const sz = prefix === 0b10 ? 14 : prefix === 0b110 ? 17 : prefix === 0b1110 ? 20 : 64;
      if (r.remaining() < sz) return this.fail('truncated timestamp');
      if (sz === 64) {
        const hi = r.readBits(32) | 0;
        dod = hi * TWO32 + r.readBits(32);
      } else {
        dod = r.readBits(sz);
        if (dod > 1 << (sz - 1)) dod -= 1 << sz;
      }
      pos = r.pos;
    }
    this.tDelta += dod;
    this.t += this.tDelta;
    r.pos = pos;
    if (!this.readValue()) return ValueType.None;
    this.numRead++;
    return ValueType.Float;
  }

  private readValue(): boolean {
    const r = this.r;
    const buf = r.buf;
    const end = r.end;
    let pos = r.pos;
    if (pos >= end) {
      this.fail('truncated value');
      return false;
    }
    if (((buf[pos >>> 3] >>> (7 - (pos & 7))) & 1) === 0) {
      r.pos = pos + 1;
      return true;
    }
    pos++;
    if (pos >= end) {
      this.fail('truncated value');
      return false;
    }
    const fresh = (buf[pos >>> 3] >>> (7 - (pos & 7))) & 1;
    pos++;
    if (fresh === 1) {
      if (end - pos < 11) {
        this.fail('truncated value window');
        return false;
      }
      this.leading = bitsAt(buf, pos, 5);
      let sig = bitsAt(buf, pos + 5, 6);
      pos += 11;
      if (sig === 0) sig = 64;
      this.trailing = 64 - this.leading - sig;
    }
    const sig = 64 - this.leading - this.trailing;
    if (end - pos < sig) {
      this.fail('truncated value bits');
      return false;
    }
    // Read `sig` bits and place them `trailing` bits up.
    let hi: number;
    let lo: number;
    if (sig > 32) {
      hi = bits32(buf, pos, sig - 32);
      pos += sig - 32;
      lo = bits32(buf, pos, 32);
      pos += 32;
    } else {
      hi = 0;
      lo = bits32(buf, pos, sig);
      pos += sig;
    }
    r.pos = pos;
    const tr = this.trailing;
    if (tr >= 32) {
      hi = lo << (tr - 32);
      lo = 0;
    } else if (tr > 0) {
      hi = (hi << tr) | (lo >>> (32 - tr));
      lo = lo << tr;
    }
    this.vHi = (this.vHi ^ hi) >>> 0;
    this.vLo = (this.vLo ^ lo) >>> 0;
    return true;
  }

  seek(t: number): ValueType {
    if (this.error !== null) return ValueType.None;
    if (this.numRead > 0 && this.t >= t) return ValueType.Float;
    while (this.numRead === 0 || this.t < t) {
      if (this.next() === ValueType.None) return ValueType.None;
    }
    return ValueType.Float;
  }
}
