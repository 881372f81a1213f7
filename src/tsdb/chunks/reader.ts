/**
 * Reads chunks by ref from a block's `chunks/` segment files. Each segment is read into
 * memory once, on first use: a block's chunks are read sequentially by compaction and
 * randomly by queries, and one Buffer per segment serves both without a syscall per chunk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecBuf } from '../encoding/decbuf.js';
import { crc32c } from '../encoding/crc32c.js';
import { SEGMENT_HEADER_SIZE, SEGMENT_MAGIC, SEGMENT_VERSION, refOffset, refSegment } from './format.js';

/** One chunk's encoding byte and a view of its data (valid while the reader is open). */
export interface RawChunk {
  encoding: number;
  data: Uint8Array;
}

export class ChunkReader {
  private readonly files: string[];
  private readonly segments: (Buffer | undefined)[];
  private readonly dec = new DecBuf();

  constructor(readonly dir: string) {
    this.files = readdirSync(dir)
      .filter((f) => /^\d+$/.test(f))
      .sort((a, b) => Number(a) - Number(b))
      .map((f) => join(dir, f));
    // Segment sequence numbers in refs are positions in this sorted list, as in Prometheus.
    this.segments = new Array(this.files.length).fill(undefined);
  }

  /** Number of segment files. */
  get segmentCount(): number {
    return this.files.length;
  }

  /** Total size in bytes of all segment files. */
  size(): number {
    let n = 0;
    for (let i = 0; i < this.files.length; i++) n += this.segment(i).length;
    return n;
  }

  private segment(seq: number): Buffer {
    let seg = this.segments[seq];
    if (seg) return seg;
    const file = this.files[seq];
    if (file === undefined) throw new Error(`chunks: segment ${seq} does not exist in ${this.dir}`);
    seg = readFileSync(file);
    if (seg.length < SEGMENT_HEADER_SIZE) throw new Error(`chunks: segment ${file} is too short (${seg.length} bytes)`);
    const magic = seg.readUInt32BE(0);
    if (magic !== SEGMENT_MAGIC) throw new Error(`chunks: invalid magic number ${magic.toString(16)} in ${file}`);
    if (seg[4] !== SEGMENT_VERSION) throw new Error(`chunks: unsupported version ${seg[4]} in ${file}`);
    this.segments[seq] = seg;
    return seg;
  }

  /** The chunk at `ref`; throws a descriptive error when the ref or the checksum is bad. */
  chunk(ref: number): RawChunk {
    const seq = refSegment(ref);
    const off = refOffset(ref);
    const seg = this.segment(seq);
    if (off < SEGMENT_HEADER_SIZE || off >= seg.length) {
      throw new Error(`chunks: ref ${ref} points outside segment ${seq} (offset ${off}, size ${seg.length})`);
    }
    const d = this.dec;
    d.reset(seg, off);
    const len = d.uvarint();
    const start = d.off;
    d.skip(1 + len);
    const crcWanted = d.be32();
    if (d.err !== undefined) throw new Error(`chunks: truncated chunk at ref ${ref}: ${d.err}`);
    const crc = crc32c(seg, start, start + 1 + len);
    if (crc !== crcWanted) throw new Error(`chunks: checksum mismatch for chunk at ref ${ref} (segment ${this.files[seq]})`);
    return { encoding: seg[start]!, data: seg.subarray(start + 1, start + 1 + len) };
  }

  /** Drops the segment buffers. */
  close(): void {
    this.segments.fill(undefined);
  }
}
