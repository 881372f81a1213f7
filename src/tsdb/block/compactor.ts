/**
 * Merges blocks into one. Series are merged in label order across the inputs; chunks that
 * neither overlap nor carry tombstones are copied as they are, everything else is decoded,
 * merged by timestamp (for equal timestamps the block given first wins) and re-encoded.
 */
import type { Labels } from '../../model/labels.js';
import { ValueType } from '../../storage/interface.js';
import type { ChunkMeta } from '../index/format.js';
import { compareLabelsFlat } from '../index/strings.js';
import type { Block } from './block.js';
import { BlockBuilder, type EncodedChunk } from './builder.js';
import { encodeXorChunks } from './encode.js';
import { BlockSeriesIterator } from './iterator.js';
import type { BlockMeta } from './meta.js';

/** A cursor over one input block's series in label order. */
class Cursor {
  private readonly refs: Uint32Array;
  private i = -1;
  labels: Labels | undefined;
  readonly chunks: ChunkMeta[] = [];

  constructor(readonly block: Block) {
    this.refs = block.index.allPostings();
    this.advance();
  }

  get ref(): number {
    return this.refs[this.i]!;
  }

  advance(): void {
    this.i++;
    this.labels = this.i < this.refs.length ? this.block.index.series(this.refs[this.i]!, this.chunks) : undefined;
  }
}

export interface CompactOptions {
  ulid?: string;
  /** Compaction level of the result; default one above the highest input. */
  level?: number;
}

/** Number of samples in an encoded chunk: its first two bytes for every chunk encoding. */
function chunkSamples(data: Uint8Array): number {
  return (data[0]! << 8) | data[1]!;
}

/**
 * Writes one new block under `parentDir` holding the data of all `blocks` (tombstones applied)
 * and returns its meta, or undefined when no data is left (every series deleted). The inputs
 * are not modified; removing them is the caller's decision.
 */
export function compactBlocks(parentDir: string, blocks: readonly Block[], opts: CompactOptions = {}): BlockMeta | undefined {
  if (blocks.length === 0) throw new Error('compact: no blocks given');
  const symbols = new Set<string>();
  for (const b of blocks) for (const s of b.index.symbols) symbols.add(s);
  const builder = new BlockBuilder(parentDir, { ulid: opts.ulid });
  try {
    builder.setSymbols(symbols);
    const cursors = blocks.map((b) => new Cursor(b));
    const group: Cursor[] = [];
    const out: EncodedChunk[] = [];
    const merger = new SampleMerger();
    for (;;) {
      let min: Labels | undefined;
      for (const c of cursors) {
        if (c.labels && (!min || compareLabelsFlat(c.labels.toFlat(), min.toFlat()) < 0)) min = c.labels;
      }
      if (!min) break;
      group.length = 0;
      for (const c of cursors) if (c.labels && c.labels.equals(min)) group.push(c);
      out.length = 0;
      if (!copyChunks(group, out)) merger.merge(group, out);
      builder.addSeries(min, out);
      for (const c of group) c.advance();
    }
  } catch (e) {
    builder.abort();
    throw e;
  }
  const metas = blocks.map((b) => b.meta);
  const sources = [...new Set(metas.flatMap((m) => m.compaction.sources))].sort();
  return builder.finish({
    minTime: Math.min(...metas.map((m) => m.minTime)),
    maxTime: Math.max(...metas.map((m) => m.maxTime)),
    level: opts.level ?? Math.max(...metas.map((m) => m.compaction.level)) + 1,
    sources,
    parents: metas.map((m) => ({ ulid: m.ulid, minTime: m.minTime, maxTime: m.maxTime })),
  });
}

/** Copies raw chunks when no tombstone touches them and they do not overlap; false otherwise. */
function copyChunks(group: readonly Cursor[], out: EncodedChunk[]): boolean {
  const all: { c: Cursor; m: ChunkMeta }[] = [];
  for (const c of group) {
    if (c.block.tombstones.get(c.ref)) return false;
    for (const m of c.chunks) all.push({ c, m });
  }
  if (group.length > 1) all.sort((a, b) => a.m.minTime - b.m.minTime);
  for (let i = 1; i < all.length; i++) if (all[i]!.m.minTime <= all[i - 1]!.m.maxTime) return false;
  for (const { c, m } of all) {
    const raw = c.block.chunks.chunk(m.ref);
    out.push({ minTime: m.minTime, maxTime: m.maxTime, encoding: raw.encoding, data: raw.data, numSamples: chunkSamples(raw.data) });
  }
  return true;
}

/** Decodes and merges the samples of one series from several blocks into reused buffers. */
class SampleMerger {
  private ts = new Float64Array(1024);
  private vs = new Float64Array(1024);
  private readonly its: BlockSeriesIterator[] = [];

  merge(group: readonly Cursor[], out: EncodedChunk[]): void {
    while (this.its.length < group.length) this.its.push(new BlockSeriesIterator());
    const live: BlockSeriesIterator[] = [];
    for (let k = 0; k < group.length; k++) {
      const c = group[k]!;
      const it = this.its[k]!.reset(c.block.chunks, c.chunks.slice(), -Infinity, Infinity, c.block.tombstones.get(c.ref));
      if (it.next() === ValueType.Float) live.push(it);
      else if (it.err()) throw it.err();
    }
    let n = 0;
    let last = -Infinity;
    while (live.length > 0) {
      // Few inputs overlap at once: a linear scan for the smallest timestamp is enough.
      let best = 0;
      for (let k = 1; k < live.length; k++) if (live[k]!.atT() < live[best]!.atT()) best = k;
      const it = live[best]!;
      const t = it.atT();
      if (t !== last) {
        if (n === this.ts.length) this.grow();
        this.ts[n] = t;
        this.vs[n] = it.atV();
        n++;
        last = t;
      }
      if (it.next() !== ValueType.Float) {
        if (it.err()) throw it.err();
        live.splice(best, 1);
      }
    }
    encodeXorChunks(this.ts, this.vs, 0, n, out);
  }

  private grow(): void {
    const ts = new Float64Array(this.ts.length * 2);
    ts.set(this.ts);
    this.ts = ts;
    const vs = new Float64Array(this.vs.length * 2);
    vs.set(this.vs);
    this.vs = vs;
  }
}
