/** Cuts a run of float samples into XOR chunks of at most 120 samples, as Prometheus does. */
import { BitWriter } from '../chunkenc/bstream.js';
import { newXorState, xorAppend } from '../chunkenc/xor.js';
import { Encoding, SAMPLES_PER_CHUNK } from '../chunkenc/chunk.js';
import type { EncodedChunk } from './builder.js';

// One zeroed scratch region reused for every chunk: 120 samples take at most ~2.2 KiB, so
// the writer never grows and the only allocation per chunk is the final copy.
const scratch = new Uint8Array(4096);
const writer = new BitWriter(0);

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
    writer.bind(scratch, 0, 16, false);
    const state = newXorState();
    for (let i = start; i < end; i++) xorAppend(writer, state, ts[i]!, vs[i]!);
    const data = writer.bytes().slice();
    if (writer.buf === scratch) scratch.fill(0, 0, data.length + 1);
    out.push({ minTime: ts[start]!, maxTime: ts[end - 1]!, encoding: Encoding.XOR, data, numSamples: end - start });
  }
  return out;
}
