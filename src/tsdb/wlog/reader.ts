/**
 * The WAL reader: iterates the records of consecutive segments.
 *
 *   const r = new WalReader(listSegments(dir));
 *   while (r.next()) use(r.record());      // record() is valid until the next call to next()
 *   if (r.err) ...                         // WalCorruptionError (repairable) or another Error
 *   r.close();
 *
 * Segments are read in page-aligned chunks into one reused buffer; an uncompressed record that
 * fits a single fragment is returned as a view into it, without copying.
 *
 * Anything that breaks the format (bad CRC, impossible length, a fragment out of sequence, a
 * header crossing a page, non-zero padding, a record cut off by the end of a segment) ends the
 * iteration with a WalCorruptionError giving the segment and the offset just after the last
 * good record, where a repair cuts.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32c } from '../encoding/crc32c.js';
import { snappyDecode, snappyDecodedLength } from '../encoding/snappy.js';
import {
  FRAG_FIRST,
  FRAG_FULL,
  FRAG_LAST,
  FRAG_MIDDLE,
  FRAG_PAGE_TERM,
  FRAG_TYPE_MASK,
  HEADER_SIZE,
  PAGE_SIZE,
  type SegmentRef,
  SNAPPY_FLAG,
  ZSTD_FLAG,
} from './segment.js';

export class WalCorruptionError extends Error {
  constructor(
    readonly segment: number,
    /** Byte offset in the segment just after the last intact record: where repair truncates. */
    readonly offset: number,
    readonly reason: string,
    readonly dir: string,
  ) {
    super(`WAL corruption in segment ${segment} at offset ${offset}: ${reason}`);
    this.name = 'WalCorruptionError';
  }
}

const CHUNK = 32 * PAGE_SIZE;

export class WalReader {
  err: Error | undefined = undefined;
  /** Segment index and offset of the current record's first fragment. */
  segment = -1;
  offset = 0;

  private segs: SegmentRef[];
  private segPos = -1;
  private fd = -1;
  private fileSize = 0;
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  /** File offset of chunk[0], and valid bytes in chunk. */
  private chunkStart = 0;
  private chunkLen = 0;
  /** Read position within the current segment. */
  private pos = 0;
  private lastGoodEnd = 0;
  private asm = Buffer.allocUnsafe(64 * 1024);
  private asmLen = 0;
  /** Decompressed records land here, reused across records. */
  private unz = new Uint8Array(64 * 1024);
  private rec: Uint8Array = new Uint8Array(0);
  private readonly dir: string;

  constructor(segments: SegmentRef[], dir = '') {
    this.segs = segments;
    this.dir = dir;
  }

  /** A plain Uint8Array view (so .slice() copies), valid until the next call to next(). */
  record(): Uint8Array {
    return this.rec;
  }

  private view(b: Buffer, start: number, end: number): Uint8Array {
    return new Uint8Array(b.buffer, b.byteOffset + start, end - start);
  }

  /** Segment index being read (or last read). */
  currentSegment(): number {
    return this.segPos >= 0 && this.segPos < this.segs.length ? this.segs[this.segPos]!.index : -1;
  }

  private openNext(): boolean {
    this.closeFd();
    this.segPos++;
    if (this.segPos >= this.segs.length) return false;
    const s = this.segs[this.segPos]!;
    this.fd = openSync(s.path, 'r');
    this.fileSize = fstatSync(this.fd).size;
    this.chunkStart = 0;
    this.chunkLen = 0;
    this.pos = 0;
    this.lastGoodEnd = 0;
    return true;
  }

  private closeFd(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  close(): void {
    this.closeFd();
    this.segPos = this.segs.length;
  }

  /** Makes bytes [pos, pos + n) addressable in chunk; false if the file ends first. */
  private ensure(n: number): boolean {
    if (this.pos + n > this.fileSize) return false;
    if (this.pos >= this.chunkStart && this.pos + n <= this.chunkStart + this.chunkLen) return true;
    // Fragments never cross a page, so a page-aligned chunk always holds a whole one.
    const start = this.pos - (this.pos % PAGE_SIZE);
    const want = Math.min(CHUNK, this.fileSize - start);
    let got = 0;
    while (got < want) {
      const r = readSync(this.fd, this.chunk, got, want - got, start + got);
      if (r === 0) break;
      got += r;
    }
    this.chunkStart = start;
    this.chunkLen = got;
    return this.pos + n <= start + got;
  }

  private corrupt(reason: string): false {
    const seg = this.segs[this.segPos]!;
    this.err = new WalCorruptionError(seg.index, this.lastGoodEnd, reason, this.dir);
    this.closeFd();
    return false;
  }

  private appendAsm(from: number, n: number): void {
    if (this.asmLen + n > this.asm.length) {
      let cap = this.asm.length * 2;
      while (cap < this.asmLen + n) cap *= 2;
      const nb = Buffer.allocUnsafe(cap);
      this.asm.copy(nb, 0, 0, this.asmLen);
      this.asm = nb;
    }
    this.chunk.copy(this.asm, this.asmLen, from, from + n);
    this.asmLen += n;
  }

  next(): boolean {
    if (this.err) return false;
    if (this.fd < 0 && !this.openNext()) return false;
    let inRecord = false;
    let compressed = false;
    for (;;) {
      if (this.pos >= this.fileSize) {
        if (inRecord) return this.corrupt('record cut off by the end of the segment');
        if (!this.openNext()) return false;
        continue;
      }
      const pageLeft = PAGE_SIZE - (this.pos % PAGE_SIZE);
      const avail = Math.min(pageLeft, this.fileSize - this.pos);
      if (!this.ensure(1)) return this.corrupt('read failed');
      const typByte = this.chunk[this.pos - this.chunkStart]!;
      const typ = typByte & FRAG_TYPE_MASK;
      if (typ === FRAG_PAGE_TERM) {
        // The rest of the page (as far as the file goes) must be zeros.
        if (!this.ensure(avail)) return this.corrupt('read failed');
        const at = this.pos - this.chunkStart;
        for (let i = 0; i < avail; i++) {
          if (this.chunk[at + i] !== 0) return this.corrupt('non-zero byte in page padding');
        }
        this.pos += avail;
        if (!inRecord) this.lastGoodEnd = this.pos;
        continue;
      }
      if (pageLeft < HEADER_SIZE) return this.corrupt('fragment header crosses a page boundary');
      if (!this.ensure(HEADER_SIZE)) return this.corrupt('truncated fragment header');
      const h = this.pos - this.chunkStart;
      const len = (this.chunk[h + 1]! << 8) | this.chunk[h + 2]!;
      const crc = this.chunk.readUInt32BE(h + 3);
      if (typByte & ~(FRAG_TYPE_MASK | SNAPPY_FLAG | ZSTD_FLAG) || typ > FRAG_LAST) {
        return this.corrupt(`invalid fragment type byte 0x${typByte.toString(16)}`);
      }
      if (HEADER_SIZE + len > pageLeft) return this.corrupt(`fragment length ${len} exceeds its page`);
      if (!this.ensure(HEADER_SIZE + len)) return this.corrupt('truncated fragment');
      const d = h + HEADER_SIZE;
      const got = crc32c(this.chunk, d, d + len);
      if (got !== crc) return this.corrupt(`checksum mismatch: stored ${crc.toString(16)}, computed ${got.toString(16)}`);
      if (typByte & ZSTD_FLAG) {
        // Not corruption: refuse rather than let a repair delete data we cannot read.
        this.err = new Error(`WAL segment ${this.segs[this.segPos]!.index}: zstd-compressed records are not supported`);
        this.closeFd();
        return false;
      }
      if (typ === FRAG_FULL || typ === FRAG_FIRST) {
        if (inRecord) return this.corrupt('new record before the previous one ended');
        this.segment = this.segs[this.segPos]!.index;
        this.offset = this.pos;
        compressed = (typByte & SNAPPY_FLAG) !== 0;
      } else if (!inRecord) {
        return this.corrupt(`${typ === FRAG_MIDDLE ? 'middle' : 'last'} fragment without a first`);
      }
      this.pos += HEADER_SIZE + len;
      if (typ === FRAG_FULL) {
        this.asmLen = 0;
        if (compressed) this.appendAsm(d, len);
        else {
          this.rec = this.view(this.chunk, d, d + len);
          this.lastGoodEnd = this.pos;
          return true;
        }
      } else {
        if (typ === FRAG_FIRST) this.asmLen = 0;
        this.appendAsm(d, len);
        if (typ !== FRAG_LAST) {
          inRecord = true;
          continue;
        }
      }
      this.rec = this.view(this.asm, 0, this.asmLen);
      if (compressed) {
        const n = snappyDecodedLength(this.rec);
        if (n < 0) return this.corrupt('snappy: bad length header');
        if (n > this.unz.length) this.unz = new Uint8Array(Math.max(n, this.unz.length * 2));
        try {
          snappyDecode(this.rec, this.unz);
        } catch (e) {
          return this.corrupt((e as Error).message);
        }
        this.rec = this.unz.subarray(0, n);
      }
      this.lastGoodEnd = this.pos;
      return true;
    }
  }
}
