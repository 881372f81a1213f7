/**
 * Persists a range of an in-memory store (the head) as a block: the head hands over its
 * series with their encoded chunks, and this writes them through BlockBuilder. The source is
 * described structurally so blocks do not depend on the head's implementation.
 */
import type { Labels } from '../../model/labels.js';
import { compareLabelsFlat } from '../index/strings.js';
import { BlockBuilder, type EncodedChunk } from './builder.js';
import type { BlockMeta } from './meta.js';

export interface ChunkSeriesSource {
  /** Every series with samples in [mint, maxt), with its chunks holding only samples of that range. */
  chunkSeries(mint: number, maxt: number): { labels: Labels; chunks: EncodedChunk[] }[];
}

/**
 * Writes the data of [mint, maxt) as a level-1 block under `dir` (meta minTime = mint,
 * maxTime = maxt, as Prometheus does when it compacts its head). Returns undefined and
 * writes nothing when the range holds no samples.
 */
export function persistBlock(dir: string, source: ChunkSeriesSource, mint: number, maxt: number): BlockMeta | undefined {
  // The on-disk order is by UTF-8 bytes, which can differ from the source's JS string order.
  const series = source.chunkSeries(mint, maxt).sort((a, b) => compareLabelsFlat(a.labels.toFlat(), b.labels.toFlat()));
  const symbols = new Set<string>();
  for (const s of series) for (const x of s.labels.toFlat()) symbols.add(x);
  const b = new BlockBuilder(dir);
  try {
    b.setSymbols(symbols);
    for (const s of series) b.addSeries(s.labels, s.chunks);
  } catch (e) {
    b.abort();
    throw e;
  }
  return b.finish({ minTime: mint, maxTime: maxt });
}
