/**
 * Snappy (raw block format) decompression into a caller-owned buffer, for WAL replay.
 *
 *   const n = snappyDecodedLength(src);          // -1 if the header is malformed
 *   const dst = new Uint8Array(n);               // or a reused buffer of at least n bytes
 *   snappyDecode(src, dst);                      // returns n; throws on malformed input
 *
 * The packages on hand allocate a fresh output per call; replay decompresses every record, so
 * writing into one reused buffer saves an allocation and a copy per record.
 *
 * Block layout: uvarint decoded length, then elements, each starting with a tag byte whose low
 * two bits say: 0 literal (length in the tag, or in 1-4 following little-endian bytes),
 * 1 copy with an 11-bit offset, 2 copy with a 16-bit offset, 3 copy with a 32-bit offset.
 */

function headerLength(src: Uint8Array): { n: number; at: number } {
  let n = 0;
  let mul = 1;
  for (let i = 0; i < 5 && i < src.length; i++) {
    const c = src[i]!;
    n += (c & 0x7f) * mul;
    if (c < 0x80) return { n, at: i + 1 };
    mul *= 128;
  }
  return { n: -1, at: 0 };
}

export function snappyDecodedLength(src: Uint8Array): number {
  const h = headerLength(src);
  return h.n > 0xffffffff ? -1 : h.n;
}

export function snappyDecode(src: Uint8Array, dst: Uint8Array): number {
  const { n: total, at } = headerLength(src);
  if (total < 0 || total > 0xffffffff) throw new Error('snappy: bad length header');
  if (dst.length < total) throw new Error(`snappy: output buffer of ${dst.length} bytes, need ${total}`);
  let s = at;
  let d = 0;
  const end = src.length;
  while (s < end) {
    const tag = src[s++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (s + extra > end) throw new Error('snappy: truncated literal length');
        len = 0;
        for (let k = 0; k < extra; k++) len += src[s + k]! * 2 ** (8 * k);
        s += extra;
      }
      len += 1;
      if (s + len > end || d + len > total) throw new Error('snappy: literal overruns');
      if (len < 16) for (let k = 0; k < len; k++) dst[d + k] = src[s + k]!;
      else dst.set(src.subarray(s, s + len), d);
      s += len;
      d += len;
      continue;
    }
    let len: number;
    let off: number;
    if (kind === 1) {
      if (s >= end) throw new Error('snappy: truncated copy');
      len = ((tag >>> 2) & 7) + 4;
      off = ((tag >>> 5) << 8) | src[s++]!;
    } else if (kind === 2) {
      if (s + 2 > end) throw new Error('snappy: truncated copy');
      len = (tag >>> 2) + 1;
      off = src[s]! | (src[s + 1]! << 8);
      s += 2;
    } else {
      if (s + 4 > end) throw new Error('snappy: truncated copy');
      len = (tag >>> 2) + 1;
      off = (src[s]! | (src[s + 1]! << 8) | (src[s + 2]! << 16)) + src[s + 3]! * 0x1000000;
      s += 4;
    }
    if (off === 0 || off > d || d + len > total) throw new Error('snappy: bad copy');
    // Overlapping copies (off < len) repeat a pattern and must go byte by byte.
    if (off >= len && len >= 16) dst.copyWithin(d, d - off, d - off + len);
    else for (let k = 0; k < len; k++) dst[d + k] = dst[d - off + k]!;
    d += len;
  }
  if (d !== total) throw new Error(`snappy: decoded ${d} bytes, header says ${total}`);
  return total;
}
