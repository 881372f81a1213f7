/**
 * Merging several storages behind one Querier (head + blocks, local + remote read).
 *
 * Series sets must be sorted by labels; series with equal labels from several sources become
 * one series whose samples are merged in time order. When sources hold a sample at the same
 * timestamp, the first source (in the order given) wins. Errors of secondary queriers turn
 * into warnings, so an unavailable remote source degrades a query instead of failing it.
 */
import { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import {
  ValueType,
  type LabelHints,
  type Querier,
  type SampleIterator,
  type SelectHints,
  type Series,
  type SeriesSet,
} from './interface.js';

/** Merges time-ordered sample iterators, dropping later sources' samples at equal timestamps. */
export class ChainSampleIterator implements SampleIterator {
  private heads: Float64Array;
  private started = false;
  private cur = -1;
  private error: Error | null = null;

  constructor(private its: readonly SampleIterator[]) {
    this.heads = new Float64Array(its.length).fill(-Infinity);
  }

  /** The i-th source's iterator, for reuse by the next series. */
  part(i: number): SampleIterator | undefined {
    return this.its[i];
  }

  /** Starts over on new sources (reusing this object and, where possible, its buffers). */
  reset(its: readonly SampleIterator[]): this {
    this.its = its;
    if (this.heads.length !== its.length) this.heads = new Float64Array(its.length);
    this.heads.fill(-Infinity);
    this.started = false;
    this.cur = -1;
    this.error = null;
    return this;
  }

  private pick(): ValueType {
    let best = -1;
    let bestT = Infinity;
    const h = this.heads;
    for (let i = 0; i < h.length; i++) {
      if (h[i] < bestT) {
        bestT = h[i];
        best = i;
      }
    }
    this.cur = best;
    return best < 0 ? ValueType.None : ValueType.Float;
  }

  private advance(i: number, seekT?: number): void {
    const it = this.its[i];
    const r = seekT === undefined ? it.next() : it.seek(seekT);
    if (r === ValueType.None) {
      this.heads[i] = Infinity;
      const e = it.err();
      if (e && !this.error) this.error = e;
    } else {
      this.heads[i] = it.atT();
    }
  }

  next(): ValueType {
    const h = this.heads;
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < h.length; i++) this.advance(i);
    } else {
      if (this.cur < 0) return ValueType.None;
      const t = h[this.cur];
      // Move every source sitting at the emitted timestamp, dropping the duplicates.
      for (let i = 0; i < h.length; i++) if (h[i] === t) this.advance(i);
    }
    return this.pick();
  }

  seek(t: number): ValueType {
    const h = this.heads;
    if (this.started && this.cur >= 0 && h[this.cur] >= t) return ValueType.Float;
    if (this.started && this.cur < 0) return ValueType.None;
    this.started = true;
    for (let i = 0; i < h.length; i++) if (h[i] < t) this.advance(i, t);
    return this.pick();
  }

  atT(): number {
    return this.heads[this.cur];
  }

  atV(): number {
    return this.its[this.cur].atV();
  }

  err(): Error | null {
    return this.error;
  }
}

class MergedSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly parts: readonly Series[],
  ) {}

  /** Reuses a previous chain's per-source iterators: a long query over many blocks then allocates no iterator per series. */
  iterator(reuse?: SampleIterator): SampleIterator {
    if (reuse instanceof ChainSampleIterator) return reuse.reset(this.parts.map((p, i) => p.iterator(reuse.part(i))));
    return new ChainSampleIterator(this.parts.map((p) => p.iterator()));
  }
}

/** Merges label-sorted series sets into one sorted set. */
export class MergeSeriesSet implements SeriesSet {
  private readonly heads: (Series | null)[];
  private started = false;
  private current: Series | null = null;
  private error: Error | null = null;
  private readonly warns: string[] = [];

  /** `secondary[i]` makes errors of set i warnings instead of errors. */
  constructor(
    private readonly sets: readonly SeriesSet[],
    private readonly secondary: readonly boolean[] = [],
  ) {
    this.heads = sets.map(() => null);
  }

  private advance(i: number): void {
    const s = this.sets[i];
    if (s.next()) {
      this.heads[i] = s.at();
      return;
    }
    this.heads[i] = null;
    const e = s.err();
    if (e) {
      if (this.secondary[i]) this.warns.push(e.message);
      else if (!this.error) this.error = e;
    }
  }

  next(): boolean {
    if (this.error) return false;
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < this.sets.length; i++) this.advance(i);
    }
    let min: Labels | null = null;
    for (const h of this.heads) if (h && (min === null || Labels.compare(h.labels, min) < 0)) min = h.labels;
    if (min === null || this.error) {
      this.current = null;
      return false;
    }
    const parts: Series[] = [];
    for (let i = 0; i < this.heads.length; i++) {
      const h = this.heads[i];
      if (h && Labels.compare(h.labels, min) === 0) {
        parts.push(h);
        this.advance(i);
      }
    }
    this.current = parts.length === 1 ? parts[0] : new MergedSeries(parts[0].labels, parts);
    return true;
  }

  at(): Series {
    if (!this.current) throw new Error('MergeSeriesSet.at called without a current series');
    return this.current;
  }

  err(): Error | null {
    return this.error;
  }

  warnings(): readonly string[] {
    const all = [...this.warns];
    for (const s of this.sets) all.push(...s.warnings());
    return [...new Set(all)];
  }
}

/** A series set that yields nothing but an error or warnings. */
export class ErrorSeriesSet implements SeriesSet {
  constructor(
    private readonly error: Error | null,
    private readonly warns: readonly string[] = [],
  ) {}
  next(): boolean {
    return false;
  }
  at(): Series {
    throw new Error('ErrorSeriesSet has no series');
  }
  err(): Error | null {
    return this.error;
  }
  warnings(): readonly string[] {
    return this.warns;
  }
}

/** Union of sorted unique string lists, sorted, cut at `limit` when given. */
function mergeStrings(lists: readonly (readonly string[])[], limit: number | undefined): string[] {
  const all = new Set<string>();
  for (const l of lists) for (const s of l) all.add(s);
  const out = [...all].sort();
  return limit && limit > 0 && out.length > limit ? out.slice(0, limit) : out;
}

/** One Querier over several: primaries must succeed, secondaries may fail into warnings. */
export class MergeQuerier implements Querier {
  private readonly all: readonly Querier[];
  private readonly isSecondary: readonly boolean[];
  /** Errors of secondary queriers in label lookups (the Querier API has no warnings there). */
  readonly labelWarnings: string[] = [];

  constructor(primaries: readonly Querier[], secondaries: readonly Querier[] = []) {
    this.all = [...primaries, ...secondaries];
    this.isSecondary = [...primaries.map(() => false), ...secondaries.map(() => true)];
  }

  select(sortSeries: boolean, hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
    if (this.all.length === 1 && !this.isSecondary[0]) return this.all[0].select(sortSeries, hints, matchers);
    const sets: SeriesSet[] = [];
    for (let i = 0; i < this.all.length; i++) {
      try {
        // Merging needs every input sorted, whatever the caller asked for.
        sets.push(this.all[i].select(true, hints, matchers));
      } catch (e) {
        if (!this.isSecondary[i]) throw e;
        sets.push(new ErrorSeriesSet(null, [(e as Error).message]));
      }
    }
    return new MergeSeriesSet(sets, this.isSecondary);
  }

  private collect(fn: (q: Querier) => string[], hints: LabelHints | undefined): string[] {
    const lists: string[][] = [];
    for (let i = 0; i < this.all.length; i++) {
      try {
        lists.push(fn(this.all[i]));
      } catch (e) {
        if (!this.isSecondary[i]) throw e;
        this.labelWarnings.push((e as Error).message);
      }
    }
    return mergeStrings(lists, hints?.limit);
  }

  labelValues(name: string, hints: LabelHints | undefined, matchers: readonly Matcher[]): string[] {
    return this.collect((q) => q.labelValues(name, hints, matchers), hints);
  }

  labelNames(hints: LabelHints | undefined, matchers: readonly Matcher[]): string[] {
    return this.collect((q) => q.labelNames(hints, matchers), hints);
  }

  close(): void {
    for (const q of this.all) q.close();
  }
}
