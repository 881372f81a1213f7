/**
 * Exemplar storage as Prometheus's `--enable-feature=exemplar-storage`: one fixed-size ring of
 * exemplars shared by all series. Each series' exemplars form a linked list through the ring
 * (oldest → newest), so writing over the oldest entry of the ring unlinks it from its series
 * in O(1), and a series whose last exemplar is overwritten leaves the index.
 *
 * Ring fields are typed arrays indexed by position; only the exemplar's own label list is an
 * object per entry. Series are keyed by their labels, not by head ref, so exemplars outlive
 * head series churn as upstream's do.
 */
import { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import { StorageError } from '../../storage/interface.js';

/** Runes allowed in an exemplar's label names and values together (OpenMetrics). */
export const EXEMPLAR_MAX_LABEL_SET_LENGTH = 128;

const NONE = -1;

export const errOutOfOrderExemplar = (): StorageError => new StorageError('out of order exemplar', 'out_of_order');
export const errExemplarLabelLength = (): StorageError =>
  new StorageError(`label length for exemplar exceeds maximum of ${EXEMPLAR_MAX_LABEL_SET_LENGTH} UTF-8 characters`, 'other');

export interface StoredExemplar {
  labels: Labels;
  value: number;
  /** Milliseconds since the epoch. */
  ts: number;
}

export interface ExemplarQueryResult {
  seriesLabels: Labels;
  exemplars: StoredExemplar[];
}

/** What validate says about an exemplar that may be added. */
export const enum ExemplarCheck {
  Ok,
  /** Equal to the series' newest exemplar: adding it is a no-op, not an error. */
  Duplicate,
}

export class CircularExemplarStorage {
  // The ring.
  private ts!: Float64Array;
  private vs!: Float64Array;
  private next!: Int32Array;
  /** Series id owning each entry, NONE while the entry was never written. */
  private owner!: Int32Array;
  private labels!: Labels[];
  private nextIndex = 0;

  // The series index.
  private byHash = new Map<number, number[]>();
  private seriesLabels: (Labels | undefined)[] = [];
  private oldest: Int32Array = new Int32Array(64);
  private newest: Int32Array = new Int32Array(64);
  private freeIds: number[] = [];

  /** Exemplars accepted since start (prometheus_tsdb_exemplar_exemplars_appended_total). */
  exemplarsAppended = 0;
  /** Exemplars rejected as out of order (prometheus_tsdb_exemplar_out_of_order_exemplars_total). */
  outOfOrderExemplars = 0;
  /** Entries written (prometheus_tsdb_exemplar_exemplars_in_storage). */
  exemplarsInStorage = 0;
  /** Series with at least one exemplar (prometheus_tsdb_exemplar_series_with_exemplars_in_storage). */
  seriesWithExemplars = 0;

  constructor(public maxExemplars: number) {
    if (!Number.isInteger(maxExemplars) || maxExemplars <= 0) throw new Error(`exemplar storage: invalid size ${maxExemplars}`);
    this.allocate(maxExemplars);
  }

  private allocate(n: number): void {
    this.maxExemplars = n;
    this.ts = new Float64Array(n);
    this.vs = new Float64Array(n);
    this.next = new Int32Array(n).fill(NONE);
    this.owner = new Int32Array(n).fill(NONE);
    this.labels = new Array<Labels>(n).fill(Labels.EMPTY);
    this.nextIndex = 0;
    this.byHash = new Map();
    this.seriesLabels = [];
    this.freeIds = [];
    this.exemplarsInStorage = 0;
    this.seriesWithExemplars = 0;
  }

  /**
   * Changes the ring size (config reload of storage.exemplars.max_exemplars), keeping the
   * newest exemplars that fit. A size of 0 or less is refused: the feature flag decides
   * whether exemplars are stored at all.
   */
  resize(n: number): void {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`exemplar storage: invalid size ${n}`);
    if (n === this.maxExemplars) return;
    const held = this.exemplarsInStorage;
    const first = held < this.maxExemplars ? 0 : this.nextIndex;
    const kept: { series: Labels; e: StoredExemplar }[] = [];
    for (let k = Math.max(0, held - n); k < held; k++) {
      const i = (first + k) % this.maxExemplars;
      kept.push({ series: this.seriesLabels[this.owner[i]]!, e: { labels: this.labels[i]!, value: this.vs[i], ts: this.ts[i] } });
    }
    const appended = this.exemplarsAppended;
    this.allocate(n);
    for (const { series, e } of kept) this.add(series, e);
    this.exemplarsAppended = appended;
  }

  /** Timestamp of the oldest exemplar held (prometheus_tsdb_exemplar_last_exemplars_timestamp_seconds), or NaN. */
  oldestTimestamp(): number {
    if (this.exemplarsInStorage === 0) return NaN;
    const i = this.exemplarsInStorage < this.maxExemplars ? 0 : this.nextIndex;
    return this.ts[i];
  }

  private findSeries(series: Labels, hash: number): number {
    const ids = this.byHash.get(hash);
    if (ids === undefined) return NONE;
    for (const id of ids) if (this.seriesLabels[id]!.equals(series)) return id;
    return NONE;
  }

  /**
   * Checks an exemplar against the label-length limit and the series' newest exemplar:
   * equal is a duplicate; older, or at the same time with a smaller value (or same value and
   * smaller labels), is out of order, as Prometheus's rule for exemplars sorted per scrape.
   */
  validate(series: Labels, e: StoredExemplar): ExemplarCheck {
    let runes = 0;
    const flat = e.labels.toFlat();
    for (const s of flat) for (const _ of s) runes++;
    if (runes > EXEMPLAR_MAX_LABEL_SET_LENGTH) throw errExemplarLabelLength();
    const id = this.findSeries(series, series.hash());
    if (id === NONE) return ExemplarCheck.Ok;
    const n = this.newest[id];
    const t = this.ts[n];
    const v = this.vs[n];
    const l = this.labels[n]!;
    if (e.ts === t && e.value === v && e.labels.equals(l)) return ExemplarCheck.Duplicate;
    if (e.ts < t || (e.ts === t && e.value < v) || (e.ts === t && e.value === v && Labels.compare(e.labels, l) < 0)) {
      throw errOutOfOrderExemplar();
    }
    return ExemplarCheck.Ok;
  }

  /** Validates and stores an exemplar; false for a duplicate. Throws StorageError when rejected. */
  add(series: Labels, e: StoredExemplar): boolean {
    try {
      if (this.validate(series, e) === ExemplarCheck.Duplicate) return false;
    } catch (err) {
      if (err instanceof StorageError && err.kind === 'out_of_order') this.outOfOrderExemplars++;
      throw err;
    }
    const hash = series.hash();
    let id = this.findSeries(series, hash);
    const i = this.nextIndex;
    // The entry about to be overwritten is the oldest of its series: unlink it.
    const prevOwner = this.owner[i];
    if (prevOwner !== NONE) {
      if (this.next[i] === NONE) this.dropSeries(prevOwner);
      else this.oldest[prevOwner] = this.next[i];
    } else {
      this.exemplarsInStorage++;
    }
    // The new exemplar may belong to the series just dropped, which then starts over.
    if (id === NONE || this.seriesLabels[id] === undefined) id = this.newSeries(series, hash);
    this.ts[i] = e.ts;
    this.vs[i] = e.value;
    this.labels[i] = e.labels;
    this.next[i] = NONE;
    this.owner[i] = id;
    if (this.newest[id] === NONE) this.oldest[id] = i;
    else this.next[this.newest[id]] = i;
    this.newest[id] = i;
    this.nextIndex = (i + 1) % this.maxExemplars;
    this.exemplarsAppended++;
    return true;
  }

  private newSeries(series: Labels, hash: number): number {
    let id = this.freeIds.pop();
    if (id === undefined) {
      id = this.seriesLabels.length;
      this.seriesLabels.push(undefined);
      if (id >= this.oldest.length) {
        this.oldest = grow(this.oldest);
        this.newest = grow(this.newest);
      }
    }
    this.seriesLabels[id] = series;
    this.oldest[id] = NONE;
    this.newest[id] = NONE;
    const ids = this.byHash.get(hash);
    if (ids) ids.push(id);
    else this.byHash.set(hash, [id]);
    this.seriesWithExemplars++;
    return id;
  }

  private dropSeries(id: number): void {
    const series = this.seriesLabels[id]!;
    const hash = series.hash();
    const ids = this.byHash.get(hash)!;
    ids.splice(ids.indexOf(id), 1);
    if (ids.length === 0) this.byHash.delete(hash);
    this.seriesLabels[id] = undefined;
    this.freeIds.push(id);
    this.seriesWithExemplars--;
  }

  /**
   * Exemplars in [start, end] of every series matching at least one matcher set, grouped
   * by series (sorted by labels), oldest first.
   */
  select(start: number, end: number, matcherSets: readonly (readonly Matcher[])[]): ExemplarQueryResult[] {
    const out: ExemplarQueryResult[] = [];
    for (let id = 0; id < this.seriesLabels.length; id++) {
      const series = this.seriesLabels[id];
      if (series === undefined) continue;
      if (this.ts[this.oldest[id]] > end || this.ts[this.newest[id]] < start) continue;
      if (!matcherSets.some((ms) => ms.every((m) => m.matches(series.get(m.name))))) continue;
      const exemplars: StoredExemplar[] = [];
      for (let i = this.oldest[id]; i !== NONE && this.ts[i] <= end; i = this.next[i]) {
        if (this.ts[i] >= start) exemplars.push({ labels: this.labels[i]!, value: this.vs[i], ts: this.ts[i] });
      }
      if (exemplars.length > 0) out.push({ seriesLabels: series, exemplars });
    }
    return out.sort((a, b) => Labels.compare(a.seriesLabels, b.seriesLabels));
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
