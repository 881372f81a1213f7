/**
 * WAL layout constants and segment files.
 *
 * A WAL directory holds numbered segment files (`00000000`, `00000001`, ...). Each segment is a
 * sequence of 32 KiB pages; a page holds record fragments, each with a 7-byte header:
 *   type byte (low 3 bits: fragment type; bit 3: snappy; bit 4: zstd), be16 length, be32 crc32c of the data.
 * A page whose remaining space cannot fit a header is padded with zeros. Only the last page of
 * the newest segment may be short; readers treat a short page as zero-padded.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PAGE_SIZE = 32 * 1024;
export const HEADER_SIZE = 7;
export const DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

export const FRAG_PAGE_TERM = 0;
export const FRAG_FULL = 1;
export const FRAG_FIRST = 2;
export const FRAG_MIDDLE = 3;
export const FRAG_LAST = 4;
export const FRAG_TYPE_MASK = 0x07;
export const SNAPPY_FLAG = 0x08;
export const ZSTD_FLAG = 0x10;

export interface SegmentRef {
  index: number;
  path: string;
}

export function segmentName(index: number): string {
  return String(index).padStart(8, '0');
}

const SEGMENT_RE = /^\d+$/;

/** Segment files of `dir` in index order; other files are ignored. Throws on a gap in the sequence. */
export function listSegments(dir: string): SegmentRef[] {
  const out: SegmentRef[] = [];
  for (const name of readdirSync(dir)) {
    if (!SEGMENT_RE.test(name)) continue;
    out.push({ index: Number(name), path: join(dir, name) });
  }
  out.sort((a, b) => a.index - b.index);
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.index !== out[i - 1]!.index + 1) {
      throw new Error(`WAL ${dir}: segments are not sequential (${out[i - 1]!.index} then ${out[i]!.index})`);
    }
  }
  return out;
}

/** First and last segment index, or undefined for an empty WAL. */
export function segmentRange(dir: string): { first: number; last: number } | undefined {
  const s = listSegments(dir);
  return s.length === 0 ? undefined : { first: s[0]!.index, last: s[s.length - 1]!.index };
}
