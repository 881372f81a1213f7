/** Constants of the block chunk segment format (tsdb-format/chunks.md). */

export const SEGMENT_MAGIC = 0x85bd40dd;
export const SEGMENT_VERSION = 1;
/** magic(4) + version(1) + padding(3). */
export const SEGMENT_HEADER_SIZE = 8;
/** Prometheus's default maximum size of one segment file. */
export const DEFAULT_SEGMENT_SIZE = 512 * 1024 * 1024;

const TWO32 = 0x100000000;

/** A chunk ref packs the segment's sequence number (upper 32 bits) and the byte offset in it. */
export function chunkRef(segment: number, offset: number): number {
  return segment * TWO32 + offset;
}

export function refSegment(ref: number): number {
  return Math.floor(ref / TWO32);
}

export function refOffset(ref: number): number {
  return ref % TWO32;
}

/** Segment files are named by 1-based sequence number, zero-padded to six digits. */
export function segmentFileName(seq: number): string {
  return String(seq + 1).padStart(6, '0');
}
