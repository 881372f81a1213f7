/**
 * A persisted block opened for reading: meta.json, index, chunk segments and tombstones.
 * It serves queries over any window through the storage Querier interface.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type {
  LabelHints,
  Querier,
  Queryable,
  SampleIterator,
  SelectHints,
  Series,
  SeriesSet,
} from '../../storage/interface.js';
import { ChunkReader } from '../chunks/reader.js';
import { IndexReader } from '../index/reader.js';
import type { ChunkMeta } from '../index/format.js';
import { compareUtf8 } from '../index/strings.js';
import { readMeta, writeMeta, type BlockMeta } from './meta.js';
import { Tombstones, type Intervals } from './tombstones.js';
import { BlockSeriesIterator } from './iterator.js';
import { postingsForMatchers, type PostingsReader } from '../postings/matchers.js';

export class Block implements Queryable {
  /** The index as the shared matcher resolution sees it (values without copying). */
  readonly postings: PostingsReader;

  private constructor(
    readonly dir: string,
    public meta: BlockMeta,
    readonly index: IndexReader,
    readonly chunks: ChunkReader,
    public tombstones: Tombstones,
  ) {
    this.postings = {
      allPostings: () => index.allPostings(),
      postings: (name, value) => index.postings(name, value),
      labelValues: (name) => index.valuesOf(name),
    };
  }

  /** Opens and validates a block directory; throws an error naming the block and the problem. */
  static open(dir: string): Block {
    try {
      const meta = readMeta(dir);
      const index = new IndexReader(join(dir, 'index'));
      const chunks = new ChunkReader(join(dir, 'chunks'));
      const tombstones = Tombstones.read(dir);
      return new Block(dir, meta, index, chunks, tombstones);
    } catch (e) {
      throw new Error(`corrupted block ${dir}: ${(e as Error).message}`);
    }
  }

  get ulid(): string {
    return this.meta.ulid;
  }

  /** Bytes on disk of every file of the block. */
  size(): number {
    return diskSize(this.dir);
  }

  /** Whether the block holds data in [mint, maxt] (inclusive). */
  overlaps(mint: number, maxt: number): boolean {
    return this.meta.minTime <= maxt && mint < this.meta.maxTime;
  }

  querier(mint: number, maxt: number): Querier {
    return new BlockQuerier(this, mint, maxt);
  }

  /**
   * Marks samples in [mint, maxt] of every series matching `matchers` as deleted (tombstones,
   * persisted at once). Returns the number of series affected.
   */
  delete(mint: number, maxt: number, matchers: readonly Matcher[]): number {
    const refs = postingsForMatchers(this.postings, matchers);
    const chunks: ChunkMeta[] = [];
    const next = new Tombstones();
    for (const [ref, iv] of this.tombstones.bySeries) for (let i = 0; i < iv.length; i += 2) next.add(ref, iv[i]!, iv[i + 1]!);
    let affected = 0;
    for (let i = 0; i < refs.length; i++) {
      this.index.series(refs[i]!, chunks);
      // Only series with chunks in the range get a tombstone, as in Prometheus.
      if (!chunks.some((c) => c.minTime <= maxt && c.maxTime >= mint)) continue;
      next.add(refs[i]!, Math.max(mint, chunks[0]!.minTime), Math.min(maxt, chunks[chunks.length - 1]!.maxTime));
      affected++;
    }
    if (affected === 0) return 0;
    next.write(this.dir);
    this.tombstones = next;
    this.meta = { ...this.meta, stats: { ...this.meta.stats, numTombstones: next.count() } };
    writeMeta(this.dir, this.meta);
    return affected;
  }

  close(): void {
    this.chunks.close();
  }
}

/** Total size in bytes of the files under `dir`. */
export function diskSize(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? diskSize(p) : statSync(p).size;
  }
  return n;
}

class BlockSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly block: Block,
    private readonly chunks: readonly ChunkMeta[],
    private readonly mint: number,
    private readonly maxt: number,
    private readonly deleted: Intervals | undefined,
  ) {}

  iterator(reuse?: SampleIterator): SampleIterator {
    const it = reuse instanceof BlockSeriesIterator ? reuse : new BlockSeriesIterator();
    return it.reset(this.block.chunks, this.chunks, this.mint, this.maxt, this.deleted);
  }
}

/** Whether every chunk is inside deleted intervals (then the series is left out). */
function allDeleted(chunks: readonly ChunkMeta[], iv: Intervals): boolean {
  outer: for (const c of chunks) {
    for (let i = 0; i < iv.length; i += 2) if (iv[i]! <= c.minTime && c.maxTime <= iv[i + 1]!) continue outer;
    return false;
  }
  return true;
}

class BlockSeriesSet implements SeriesSet {
  private i = -1;
  private cur: Series | undefined;
  private readonly metas: ChunkMeta[] = [];
  private error: Error | null = null;

  constructor(
    private readonly block: Block,
    private readonly refs: Uint32Array,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  next(): boolean {
    const ix = this.block.index;
    while (++this.i < this.refs.length) {
      const ref = this.refs[this.i]!;
      let labels: Labels;
      try {
        labels = ix.series(ref, this.metas);
      } catch (e) {
        this.error = e as Error;
        return false;
      }
      const inRange = this.metas.filter((c) => c.maxTime >= this.mint && c.minTime <= this.maxt);
      if (inRange.length === 0) continue;
      const deleted = this.block.tombstones.get(ref);
      if (deleted && allDeleted(inRange, deleted)) continue;
      this.cur = new BlockSeries(labels, this.block, inRange, this.mint, this.maxt, deleted);
      return true;
    }
    return false;
  }

  at(): Series {
    return this.cur!;
  }

  err(): Error | null {
    return this.error;
  }

  warnings(): readonly string[] {
    return [];
  }
}

class BlockQuerier implements Querier {
  constructor(
    private readonly block: Block,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  /**
   * Series come in index order, which is label order in UTF-8 bytes. That is also JS order
   * (Labels.compare), which merging relies on, unless the block mixes astral characters with
   * U+E000..U+FFFF: then a sorted select reorders the refs.
   */
  select(sortSeries: boolean, hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
    const mint = Math.max(this.mint, hints?.start ?? this.mint);
    const maxt = Math.min(this.maxt, hints?.end ?? this.maxt);
    let refs = postingsForMatchers(this.block.postings, matchers);
    const ix = this.block.index;
    if (sortSeries && ix.jsOrderDiffers) {
      const chunks: ChunkMeta[] = [];
      const labels = new Map<number, Labels>();
      for (const ref of refs) labels.set(ref, ix.series(ref, chunks));
      refs = Uint32Array.from(refs).sort((a, b) => Labels.compare(labels.get(a)!, labels.get(b)!));
    }
    return new BlockSeriesSet(this.block, refs, mint, maxt);
  }

  labelValues(name: string, hints: LabelHints | undefined, matchers: readonly Matcher[]): string[] {
    const ix = this.block.index;
    let out: string[];
    if (matchers.length === 0) out = ix.labelValues(name);
    else {
      const set = new Set<string>();
      const chunks: ChunkMeta[] = [];
      for (const ref of postingsForMatchers(this.block.postings, matchers)) {
        const v = ix.series(ref, chunks).get(name);
        if (v !== '') set.add(v);
      }
      out = [...set].sort(compareUtf8);
    }
    return limit(out, hints);
  }

  labelNames(hints: LabelHints | undefined, matchers: readonly Matcher[]): string[] {
    const ix = this.block.index;
    let out: string[];
    if (matchers.length === 0) out = ix.labelNames();
    else {
      const set = new Set<string>();
      const chunks: ChunkMeta[] = [];
      for (const ref of postingsForMatchers(this.block.postings, matchers)) ix.series(ref, chunks).forEach((n) => set.add(n));
      out = [...set].sort(compareUtf8);
    }
    return limit(out, hints);
  }

  close(): void {}
}

function limit(values: string[], hints: LabelHints | undefined): string[] {
  return hints?.limit && values.length > hints.limit ? values.slice(0, hints.limit) : values;
}
