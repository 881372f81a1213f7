/**
 * Writes chunk records into the numbered segment files of a block's `chunks/` folder,
 * cutting a new segment when the next record would pass the size limit.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EncBuf } from '../encoding/encbuf.js';
import {
  DEFAULT_SEGMENT_SIZE,
  SEGMENT_HEADER_SIZE,
  SEGMENT_MAGIC,
  SEGMENT_VERSION,
  chunkRef,
  segmentFileName,
} from './format.js';

/** Flush the write buffer to the file once it holds this many bytes. */
const FLUSH_AT = 1 << 20;

export class ChunkWriter {
  private fd = -1;
  private seq = -1;
  /** Bytes of the current segment written so far, including what is still buffered. */
  private size = 0;
  private readonly buf = new EncBuf(FLUSH_AT + 64 * 1024);
  /** Total bytes of all segments, for block stats. */
  bytesWritten = 0;

  constructor(
    readonly dir: string,
    private readonly segmentSize = DEFAULT_SEGMENT_SIZE,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Appends one chunk and returns its ref. `encoding` is the chunkenc encoding byte. */
  write(encoding: number, data: Uint8Array): number {
    const recordSize = EncBuf.uvarintSize(data.length) + 1 + data.length + 4;
    if (this.fd < 0 || (this.size + recordSize > this.segmentSize && this.size > SEGMENT_HEADER_SIZE)) this.cut();
    const ref = chunkRef(this.seq, this.size);
    const b = this.buf;
    b.putUvarint(data.length);
    const crcStart = b.len;
    b.putByte(encoding);
    b.putBytes(data);
    b.putCRC32C(crcStart);
    this.size += recordSize;
    this.bytesWritten += recordSize;
    if (b.len >= FLUSH_AT) this.flush();
    return ref;
  }

  private cut(): void {
    this.finishSegment();
    this.seq++;
    this.fd = openSync(join(this.dir, segmentFileName(this.seq)), 'w');
    this.buf.putBE32(SEGMENT_MAGIC);
    this.buf.putByte(SEGMENT_VERSION);
    this.buf.putByte(0);
    this.buf.putByte(0);
    this.buf.putByte(0);
    this.size = SEGMENT_HEADER_SIZE;
    this.bytesWritten += SEGMENT_HEADER_SIZE;
  }

  private flush(): void {
    let off = 0;
    while (off < this.buf.len) off += writeSync(this.fd, this.buf.buf, off, this.buf.len - off);
    this.buf.reset();
  }

  private finishSegment(): void {
    if (this.fd < 0) return;
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }

  /** Flushes, syncs and closes the last segment. */
  close(): void {
    this.finishSegment();
  }
}
