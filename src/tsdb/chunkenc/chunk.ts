/** Chunk encodings, numbered as in Prometheus's chunk files (the byte after the length). */
export enum Encoding {
  None = 0,
  XOR = 1,
  Histogram = 2,
  FloatHistogram = 3,
}

export function encodingName(e: Encoding): string {
  switch (e) {
    case Encoding.None:
      return 'none';
    case Encoding.XOR:
      return 'XOR';
    case Encoding.Histogram:
      return 'histogram';
    case Encoding.FloatHistogram:
      return 'floathistogram';
    default:
      return `<unknown encoding ${e as number}>`;
  }
}

/** Prometheus aims for this many samples per chunk. */
export const SAMPLES_PER_CHUNK = 120;
/** Head chunks stay within this size regardless of their sample count (as in Prometheus). */
export const MAX_BYTES_PER_XOR_CHUNK = 1024;
