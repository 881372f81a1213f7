/**
 * Reads the head over [mint, maxt]: matchers resolve through the postings index, only series
 * with data in the window are returned, and samples outside the window are not. Deleted
 * samples (tombstones) are skipped; a series left without samples in the window is not
 * returned, nor are its labels.
 */
import { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import {
  type LabelHints,
  type Querier,
  type SampleIterator,
  type SelectHints,
  type Series,
  type SeriesSet,
} from '../../storage/interface.js';
import { postingsForMatchers } from '../postings/matchers.js';
import type { Head } from './head.js';

class HeadSeries implements Series {
  private cachedLabels: Labels | null = null;

  constructor(
    private readonly head: Head,
    private readonly slot: number,
    private readonly mint: number,
    private readonly maxt: number,
    labels: Labels | null,
  ) {
    this.cachedLabels = labels;
  }

  get labels(): Labels {
    if (this.cachedLabels === null) this.cachedLabels = this.head.store.labels(this.slot);
    return this.cachedLabels;
  }

  iterator(reuse?: SampleIterator): SampleIterator {
    return this.head.seriesIterator(this.slot, this.mint, this.maxt, reuse);
  }
}

class HeadSeriesSet implements SeriesSet {
  private i = -1;
  constructor(
    private readonly head: Head,
    private readonly slots: Uint32Array,
    private readonly labels: Labels[] | null,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}
  next(): boolean {
    return ++this.i < this.slots.length;
  }
  at(): Series {
    return new HeadSeries(this.head, this.slots[this.i], this.mint, this.maxt, this.labels ? this.labels[this.i] : null);
  }
  err(): Error | null {
    return null;
  }
  warnings(): readonly string[] {
    return [];
  }
}

export class HeadQuerier implements Querier {
  constructor(
    private readonly head: Head,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  /** Slots matching all matchers that hold samples in the window, in slot order. */
  private matching(matchers: readonly Matcher[], mint: number, maxt: number): Uint32Array {
    const slots = postingsForMatchers(this.head.index, matchers);
    const out = new Uint32Array(slots.length);
    let n = 0;
    for (let i = 0; i < slots.length; i++) if (this.head.hasSamples(slots[i], mint, maxt)) out[n++] = slots[i];
    return out.subarray(0, n);
  }

  select(sortSeries: boolean, hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
    const mint = hints ? Math.max(this.mint, hints.start) : this.mint;
    const maxt = hints ? Math.min(this.maxt, hints.end) : this.maxt;
    const slots = this.matching(matchers, mint, maxt);
    if (!sortSeries || slots.length < 2) return new HeadSeriesSet(this.head, slots, null, mint, maxt);
    const store = this.head.store;
    const labels = Array.from(slots, (s) => store.labels(s));
    const order = Array.from(slots.keys()).sort((a, b) => Labels.compare(labels[a], labels[b]));
    const sortedSlots = Uint32Array.from(order, (i) => slots[i]);
    const sortedLabels = order.map((i) => labels[i]);
    return new HeadSeriesSet(this.head, sortedSlots, sortedLabels, mint, maxt);
  }

  /**
   * Whether the window covers all the head's data and no series lost all its samples to a
   * deletion, so the index can answer without checking series.
   */
  private coversHead(): boolean {
    return this.head.tombstones.emptiedSeries === 0 && this.mint <= this.head.minTime() && this.maxt >= this.head.maxTime();
  }

  labelValues(name: string, hints: LabelHints | undefined, matchers: readonly Matcher[]): string[] {
    const values = new Set<string>();
    if (matchers.length === 0 && this.coversHead()) {
      // As Prometheus does, read the index directly (this includes series without samples yet).
      for (const v of this.head.postings.labelValues(name)) values.add(v);
    } else if (matchers.length === 0) {
      for (const v of this.head.postings.labelValues(name)) {
        // Only values of series with data in the window.
        const slots = this.head.postings.get(name, v);
        for (let i = 0; i < slots.length; i++) {
          if (this.head.hasSamples(slots[i], this.mint, this.maxt)) {
            values.add(v);
            break;
          }
        }
      }
    } else {
      const store = this.head.store;
      const nameId = store.symbols.lookup(name);
      if (nameId < 0) return [];
      for (const slot of this.matching(matchers, this.mint, this.maxt)) {
        const v = store.labelValue(slot, nameId);
        if (v !== '') values.add(v);
      }
    }
    return limit([...values].sort(), hints);
  }

  labelNames(hints: LabelHints | undefined, matchers: readonly Matcher[]): string[] {
    if (matchers.length === 0 && this.coversHead()) return limit([...this.head.postings.labelNames()].sort(), hints);
    const names = new Set<string>();
    const store = this.head.store;
    for (const slot of this.matching(matchers, this.mint, this.maxt)) store.forEachName(slot, (n) => names.add(n));
    return limit([...names].sort(), hints);
  }

  close(): void {}
}

function limit(values: string[], hints: LabelHints | undefined): string[] {
  const n = hints?.limit;
  return n && n > 0 && values.length > n ? values.slice(0, n) : values;
}
