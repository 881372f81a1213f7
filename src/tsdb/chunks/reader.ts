/**
 * Reads chunks by ref from a block's `chunks/` segment files. Segments can be hundreds of MiB
 * and a server keeps many blocks open, so segments are not held in memory: reads go through
 * one window buffer, refilled with a single pread when a chunk falls outside it, and each
 * chunk's bytes are copied out. The refill size adapts: sequential reads (a query walking
 * series in ref order, compaction) double it up to 1 MiB, a jump resets it to 16 KiB so
 * that scattered reads do not pull in data they never use.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { DecBuf } from '../encoding/decbuf.js';
import { crc32c } from '../encoding/crc32c.js';
import { SEGMENT_HEADER_SIZE, SEGMENT_MAGIC, SEGMENT_VERSION, refOffset, refSegment } from './format.js';

/** One chunk's encoding byte and its data (an owned copy). */
export interface RawChunk {
  encoding: number;
  data: Uint8Array;
}

/** A caller-owned buffer that `chunkInto` fills: no allocation per chunk on the query path. */
export class ChunkScratch {
  buf = new Uint8Array(2048);
  len = 0;
  encoding = 0;
}

const MAX_READ = 1 << 20;
const MIN_READ = 16 << 10;
/** uvarint length (at most 5 bytes for 32-bit sizes) + encoding byte. */
const MAX_HEAD = 6;

interface Segment {
  fd: number;
  size: number;
}

export class ChunkReader {
  private readonly files: string[];
  private readonly segments: (Segment | undefined)[];
  private readonly dec = new DecBuf();
  private window: Buffer = Buffer.allocUnsafe(0);
  private windowSeq = -1;
  private windowStart = 0;
  private windowEnd = 0;
  private readSize = MIN_READ;
  /** Data length of the chunk `locate` found last. */
  private lastLen = 0;

  constructor(readonly dir: string) {
    // Segment sequence numbers in refs are positions in this sorted list, as in Prometheus.
    this.files = readdirSync(dir)
      .filter((f) => /^\d+$/.test(f))
      .sort((a, b) => Number(a) - Number(b))
      .map((f) => join(dir, f));
    this.segments = new Array(this.files.length).fill(undefined);
    // Check every segment's header now, so a damaged block is found when it is opened.
    for (let i = 0; i < this.files.length; i++) this.segment(i);
  }

  get segmentCount(): number {
    return this.files.length;
  }

  private segment(seq: number): Segment {
    let seg = this.segments[seq];
    if (seg) return seg;
    const file = this.files[seq];
    if (file === undefined) throw new Error(`chunks: segment ${seq} does not exist in ${this.dir}`);
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(SEGMENT_HEADER_SIZE);
      if (size < SEGMENT_HEADER_SIZE || readSync(fd, head, 0, SEGMENT_HEADER_SIZE, 0) !== SEGMENT_HEADER_SIZE) {
        throw new Error(`chunks: segment ${file} is too short (${size} bytes)`);
      }
      const magic = head.readUInt32BE(0);
      if (magic !== SEGMENT_MAGIC) throw new Error(`chunks: invalid magic number ${magic.toString(16)} in ${file}`);
      if (head[4] !== SEGMENT_VERSION) throw new Error(`chunks: unsupported version ${head[4]} in ${file}`);
      seg = { fd, size };
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    this.segments[seq] = seg;
    return seg;
  }

  /** Makes bytes [off, off + n) of segment `seq` available in the window. */
  private load(seq: number, seg: Segment, off: number, n: number): void {
    if (seq === this.windowSeq && off >= this.windowStart && off + n <= this.windowEnd) return;
    const sequential = seq === this.windowSeq && off >= this.windowStart && off <= this.windowEnd + MIN_READ;
    this.readSize = sequential ? Math.min(this.readSize * 2, MAX_READ) : MIN_READ;
    const want = Math.max(n, Math.min(this.readSize, seg.size - off));
    if (this.window.length < want) this.window = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const r = readSync(seg.fd, this.window, got, want - got, off + got);
      if (r === 0) break;
      got += r;
    }
    this.windowSeq = seq;
    this.windowStart = off;
    this.windowEnd = off + got;
  }

  /** The chunk at `ref` as an owned copy; throws a descriptive error when the ref or the checksum is bad. */
  chunk(ref: number): RawChunk {
    const start = this.locate(ref);
    const w = this.window;
    return { encoding: w[start]!, data: Uint8Array.prototype.slice.call(w, start + 1, start + 1 + this.lastLen) };
  }

  /** Copies the chunk at `ref` into `out` (grown when too small). */
  chunkInto(ref: number, out: ChunkScratch): void {
    const start = this.locate(ref);
    const len = this.lastLen;
    if (out.buf.length < len) out.buf = new Uint8Array(Math.max(len, out.buf.length * 2));
    out.buf.set(this.window.subarray(start + 1, start + 1 + len));
    out.len = len;
    out.encoding = this.window[start]!;
  }

  /** Loads the chunk at `ref` into the window, checks it, and returns the window offset of its encoding byte. */
  private locate(ref: number): number {
    const seq = refSegment(ref);
    const off = refOffset(ref);
    const seg = this.segment(seq);
    if (off < SEGMENT_HEADER_SIZE || off >= seg.size) {
      throw new Error(`chunks: ref ${ref} points outside segment ${seq} (offset ${off}, size ${seg.size})`);
    }
    this.load(seq, seg, off, Math.min(MAX_HEAD, seg.size - off));
    const d = this.dec;
    d.reset(this.window, off - this.windowStart, this.windowEnd - this.windowStart);
    const len = d.uvarint();
    if (d.err !== undefined) throw new Error(`chunks: bad chunk length at ref ${ref}: ${d.err}`);
    const headLen = d.off - (off - this.windowStart);
    const total = headLen + 1 + len + 4;
    if (off + total > seg.size) throw new Error(`chunks: chunk at ref ${ref} runs past the end of segment ${this.files[seq]}`);
    this.load(seq, seg, off, total);
    const start = off - this.windowStart + headLen;
    const w = this.window;
    const crc = crc32c(w, start, start + 1 + len);
    if (crc !== w.readUInt32BE(start + 1 + len)) throw new Error(`chunks: checksum mismatch for chunk at ref ${ref} (segment ${this.files[seq]})`);
    this.lastLen = len;
    return start;
  }

  /** Closes the segment files. */
  close(): void {
    for (const s of this.segments) if (s) closeSync(s.fd);
    this.segments.fill(undefined);
    this.windowSeq = -1;
  }
}
