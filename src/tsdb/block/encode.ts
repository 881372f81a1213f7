/** Cuts a run of float samples into XOR chunks of at most 120 samples, as Prometheus does. */
import { XORChunk } from '../chunkenc/xor.js';
import { Encoding, SAMPLES_PER_CHUNK } from '../chunkenc/chunk.js';
import type { EncodedChunk } from './builder.js';

/** Encodes samples [from, to) of parallel arrays (timestamps strictly increasing) and appends the chunks to `out`. */
export function encodeXorChunks(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  from: number,
  to: number,
  out: EncodedChunk[],
): EncodedChunk[] {
  for (let start = from; start < to; start += SAMPLES_PER_CHUNK) {
    const end = Math.min(to, start + SAMPLES_PER_CHUNK);
    const chunk = new XORChunk();
    const app = chunk.appender();
    for (let i = start; i < end; i++) app.append(ts[i]!, vs[i]!);
    out.push({
      minTime: ts[start]!,
      maxTime: ts[end - 1]!,
      encoding: Encoding.XOR,
      data: chunk.bytes().slice(),
      numSamples: end - start,
    });
  }
  return out;
}
