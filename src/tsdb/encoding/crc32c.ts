/**
 * CRC32 Castagnoli (crc32c, polynomial 0x82F63B78 reflected), the checksum of every TSDB
 * on-disk format (WAL fragments, index sections, chunks, tombstones).
 *
 * API:
 *   crc32c(buf, start = 0, end = buf.length): number        checksum of buf[start, end), unsigned
 *   crc32cUpdate(crc, buf, start = 0, end = buf.length)     continues a checksum over more bytes:
 *       crc32cUpdate(crc32c(a), b) === crc32c(a ++ b); start a fresh one with crc = 0.
 *
 * Slicing-by-8 tables: eight bytes per step instead of one (about 4x faster on long ranges).
 */

const POLY = 0x82f63b78;

/** T[k*256 + b]: CRC of byte b followed by k zero bytes. */
const T = new Int32Array(8 * 256);
for (let b = 0; b < 256; b++) {
  let c = b;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  T[b] = c;
}
for (let b = 0; b < 256; b++) {
  for (let k = 1; k < 8; k++) {
    const prev = T[(k - 1) * 256 + b]!;
    T[k * 256 + b] = (prev >>> 8) ^ T[prev & 0xff]!;
  }
}

export function crc32cUpdate(crc: number, buf: Uint8Array, start = 0, end = buf.length): number {
  let c = ~crc;
  let i = start;
  // Byte-at-a-time until 8 bytes remain is simplest; alignment does not matter for typed-array reads.
  const end8 = end - 8;
  while (i <= end8) {
    const lo = c ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
    c =
      T[7 * 256 + (lo & 0xff)]! ^
      T[6 * 256 + ((lo >>> 8) & 0xff)]! ^
      T[5 * 256 + ((lo >>> 16) & 0xff)]! ^
      T[4 * 256 + (lo >>> 24)]! ^
      T[3 * 256 + buf[i + 4]!]! ^
      T[2 * 256 + buf[i + 5]!]! ^
      T[256 + buf[i + 6]!]! ^
      T[buf[i + 7]!]!;
    i += 8;
  }
  while (i < end) {
    c = (c >>> 8) ^ T[(c ^ buf[i]!) & 0xff]!;
    i++;
  }
  return ~c >>> 0;
}

export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  return crc32cUpdate(0, buf, start, end);
}
