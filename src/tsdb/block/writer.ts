/**
 * Collects float samples of many series in memory and writes them as one block (used by
 * backfill, tests and benchmarks; compaction streams through BlockBuilder instead).
 */
import type { Labels } from '../../model/labels.js';
import { compareLabelsFlat } from '../index/strings.js';
import { BlockBuilder, type EncodedChunk, type FinishOptions } from './builder.js';
import { encodeXorChunks } from './encode.js';
import type { BlockMeta } from './meta.js';

class SeriesSamples {
  ts = new Float64Array(16);
  vs = new Float64Array(16);
  n = 0;
  sorted = true;

  constructor(readonly labels: Labels) {}

  push(t: number, v: number): void {
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2);
      ts.set(this.ts);
      this.ts = ts;
      const vs = new Float64Array(this.n * 2);
      vs.set(this.vs);
      this.vs = vs;
    }
    if (this.n > 0 && t <= this.ts[this.n - 1]!) this.sorted = false;
    this.ts[this.n] = t;
    this.vs[this.n] = v;
    this.n++;
  }

  /** Sorts by time; of samples with equal timestamps the first appended wins. Returns how many were dropped. */
  normalize(): number {
    if (this.sorted) return 0;
    const idx = Array.from({ length: this.n }, (_, i) => i);
    idx.sort((a, b) => this.ts[a]! - this.ts[b]! || a - b);
    const ts = new Float64Array(this.n);
    const vs = new Float64Array(this.n);
    let k = 0;
    for (const i of idx) {
      if (k > 0 && ts[k - 1] === this.ts[i]) continue;
      ts[k] = this.ts[i]!;
      vs[k] = this.vs[i]!;
      k++;
    }
    const dropped = this.n - k;
    this.ts = ts;
    this.vs = vs;
    this.n = k;
    this.sorted = true;
    return dropped;
  }
}

export class BlockWriter {
  private readonly byHash = new Map<number, SeriesSamples[]>();
  private count = 0;
  /** Samples dropped because their series already had a sample at that timestamp. */
  duplicates = 0;

  /** Number of samples held. */
  get samples(): number {
    return this.count;
  }

  append(labels: Labels, t: number, v: number): void {
    const h = labels.hash();
    let list = this.byHash.get(h);
    if (!list) this.byHash.set(h, (list = []));
    let s: SeriesSamples | undefined;
    for (const c of list) if (c.labels.equals(labels)) s = c;
    if (!s) list.push((s = new SeriesSamples(labels)));
    s.push(t, v);
    this.count++;
  }

  /**
   * Writes everything appended as one block under `parentDir` and clears the writer.
   * Returns the block's meta, or undefined when there was nothing to write.
   */
  flush(parentDir: string, opts: FinishOptions & { ulid?: string } = {}): BlockMeta | undefined {
    const all: SeriesSamples[] = [];
    for (const list of this.byHash.values()) all.push(...list);
    this.byHash.clear();
    this.count = 0;
    all.sort((a, b) => compareLabelsFlat(a.labels.toFlat(), b.labels.toFlat()));
    const symbols = new Set<string>();
    for (const s of all) for (const x of s.labels.toFlat()) symbols.add(x);
    const b = new BlockBuilder(parentDir, { ulid: opts.ulid });
    try {
      b.setSymbols(symbols);
      const chunks: EncodedChunk[] = [];
      for (const s of all) {
        this.duplicates += s.normalize();
        chunks.length = 0;
        b.addSeries(s.labels, encodeXorChunks(s.ts, s.vs, 0, s.n, chunks));
      }
    } catch (e) {
      b.abort();
      throw e;
    }
    return b.finish(opts);
  }
}
