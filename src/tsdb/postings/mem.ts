/**
 * The head's inverted index: label name → label value → sorted series refs.
 *
 * A value held by one series only (typical for `instance`, `id`, ...) stores the bare ref
 * number instead of a list, which saves an array object per high-cardinality value.
 */
import { EMPTY_POSTINGS } from './list.js';

/** A growable sorted list of refs. */
class RefList {
  a: Uint32Array;
  n: number;

  constructor(first: number, second: number) {
    this.a = new Uint32Array(4);
    this.a[0] = first;
    this.a[1] = second;
    this.n = 2;
  }

  /** Inserts keeping order; refs usually arrive increasing, so this is an append. */
  add(ref: number): void {
    if (this.n === this.a.length) {
      const next = new Uint32Array(this.a.length * 2);
      next.set(this.a);
      this.a = next;
    }
    const a = this.a;
    let i = this.n;
    while (i > 0 && a[i - 1] > ref) {
      a[i] = a[i - 1];
      i--;
    }
    if (i > 0 && a[i - 1] === ref) {
      // Already present: undo the shift.
      a.copyWithin(i, i + 1, this.n + 1);
      return;
    }
    a[i] = ref;
    this.n++;
  }

  view(): Uint32Array {
    return this.a.subarray(0, this.n);
  }
}

type Entry = number | RefList;

function addTo(entry: Entry | undefined, ref: number): Entry {
  if (entry === undefined) return ref;
  if (typeof entry === 'number') {
    if (entry === ref) return entry;
    return entry < ref ? new RefList(entry, ref) : new RefList(ref, entry);
  }
  entry.add(ref);
  return entry;
}

function entryView(e: Entry): Uint32Array {
  return typeof e === 'number' ? Uint32Array.of(e) : e.view();
}

export class MemPostings {
  private readonly byName = new Map<string, Map<string, Entry>>();
  private all: RefList | null = null;
  private allSingle = -1;

  /** Indexes series `ref` under each name/value pair of its flat sorted label array. */
  add(ref: number, flat: readonly string[]): void {
    for (let i = 0; i < flat.length; i += 2) {
      let values = this.byName.get(flat[i]);
      if (!values) this.byName.set(flat[i], (values = new Map()));
      const v = flat[i + 1];
      const prev = values.get(v);
      const next = addTo(prev, ref);
      if (next !== prev) values.set(v, next);
    }
    if (this.all) this.all.add(ref);
    else if (this.allSingle < 0) this.allSingle = ref;
    else if (this.allSingle !== ref) {
      this.all = this.allSingle < ref ? new RefList(this.allSingle, ref) : new RefList(ref, this.allSingle);
      this.allSingle = -1;
    }
  }

  /** Sorted refs of the series with label name=value. */
  get(name: string, value: string): Uint32Array {
    const e = this.byName.get(name)?.get(value);
    return e === undefined ? EMPTY_POSTINGS : entryView(e);
  }

  /** Sorted refs of every indexed series. */
  allPostings(): Uint32Array {
    if (this.all) return this.all.view();
    return this.allSingle < 0 ? EMPTY_POSTINGS : Uint32Array.of(this.allSingle);
  }

  /** Label names in index order (unsorted). */
  labelNames(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** Values of one label (unsorted); empty when the label is unknown. */
  labelValues(name: string): IterableIterator<string> | readonly string[] {
    return this.byName.get(name)?.keys() ?? [];
  }

  /**
   * Removes the given series. `labelsOf` returns a removed series' flat label array, so only
   * the lists it appears in are touched.
   */
  delete(refs: Iterable<number>, labelsOf: (ref: number) => readonly string[]): void {
    const gone = new Set<number>(refs);
    if (gone.size === 0) return;
    const touched = new Map<string, Set<string>>();
    for (const ref of gone) {
      const flat = labelsOf(ref);
      for (let i = 0; i < flat.length; i += 2) {
        let s = touched.get(flat[i]);
        if (!s) touched.set(flat[i], (s = new Set()));
        s.add(flat[i + 1]);
      }
    }
    for (const [name, vals] of touched) {
      const values = this.byName.get(name);
      if (!values) continue;
      for (const v of vals) {
        const e = values.get(v);
        if (e === undefined) continue;
        const kept = filterEntry(e, gone);
        if (kept === undefined) values.delete(v);
        else if (kept !== e) values.set(v, kept);
      }
      if (values.size === 0) this.byName.delete(name);
    }
    if (this.all) {
      const kept = filterEntry(this.all, gone);
      this.all = null;
      this.allSingle = -1;
      if (typeof kept === 'number') this.allSingle = kept;
      else if (kept !== undefined) this.all = kept;
    } else if (gone.has(this.allSingle)) {
      this.allSingle = -1;
    }
  }
}

/** The entry without refs in `gone`: undefined when nothing is left. */
function filterEntry(e: Entry, gone: Set<number>): Entry | undefined {
  if (typeof e === 'number') return gone.has(e) ? undefined : e;
  const a = e.a;
  let n = 0;
  for (let i = 0; i < e.n; i++) if (!gone.has(a[i])) a[n++] = a[i];
  if (n === 0) return undefined;
  if (n === 1) return a[0];
  e.n = n;
  return e;
}
