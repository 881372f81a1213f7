/** Constants and shared types of the block index format v2 (tsdb-format/index.md). */

export const INDEX_MAGIC = 0xbaaad700;
export const INDEX_VERSION_2 = 2;
/** magic(4) + version(1). */
export const INDEX_HEADER_SIZE = 5;
/** Six 8-byte section offsets and a CRC32C. */
export const TOC_SIZE = 6 * 8 + 4;
/** Series entries are aligned to 16 bytes; a series ref is its offset / 16. */
export const SERIES_ALIGNMENT = 16;

/** Where one chunk of a series lives and which time range it covers (both ends inclusive). */
export interface ChunkMeta {
  ref: number;
  minTime: number;
  maxTime: number;
}

/** The key Prometheus uses for the list of all series in the postings offset table. */
export const ALL_POSTINGS_NAME = '';
export const ALL_POSTINGS_VALUE = '';
