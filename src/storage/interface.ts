/**
 * The storage seam. PromQL, scraping, rules, federation and the API see only these
 * interfaces; the TSDB (head + blocks), remote read and merges plug in behind them.
 *
 * Everything here is synchronous on purpose: per-sample calls happen millions of times
 * a second, and a Promise per call would dominate the cost. Timestamps are integer
 * milliseconds since the Unix epoch, held in JS numbers (exact up to 2^53).
 */
import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type { Exemplar, Metadata } from '../model/value.js';

/** A stable reference to a series inside one storage; 0 means "unknown, resolve by labels". */
export type SeriesRef = number;

/** What an iterator is positioned at. Histogram kinds are reserved for native histograms. */
export enum ValueType {
  None = 0,
  Float = 1,
  Histogram = 2,
  FloatHistogram = 3,
}

/** Errors an Appender raises for individual samples; the scraper counts them by kind. */
export class StorageError extends Error {
  constructor(
    message: string,
    readonly kind: 'out_of_order' | 'duplicate' | 'out_of_bounds' | 'too_old' | 'other',
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export const errOutOfOrderSample = (): StorageError => new StorageError('out of order sample', 'out_of_order');
export const errDuplicateSample = (): StorageError =>
  new StorageError('duplicate sample for timestamp', 'duplicate');
export const errOutOfBounds = (): StorageError => new StorageError('out of bounds', 'out_of_bounds');
export const errTooOldSample = (): StorageError => new StorageError('too old sample', 'too_old');

/**
 * Collects samples for one transaction. Nothing is visible to queriers before `commit`;
 * `rollback` discards everything appended since the appender was created.
 */
export interface Appender {
  /**
   * Appends a float sample and returns the series ref to use next time. Pass ref 0 the first
   * time; with a known ref, `labels` may be Labels.EMPTY. Throws StorageError for a sample that
   * cannot be stored (the rest of the transaction is unaffected).
   */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef;
  appendExemplar(ref: SeriesRef, labels: Labels, e: Exemplar): SeriesRef;
  updateMetadata(ref: SeriesRef, labels: Labels, m: Metadata): SeriesRef;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface Appendable {
  appender(): Appender;
}

/**
 * Iterates the samples of one series in time order. Accessors return the current sample
 * without allocating; they are valid only after `next`/`seek` returned a value type.
 */
export interface SampleIterator {
  next(): ValueType;
  /** Advances to the first sample with timestamp >= t (never moves backwards). */
  seek(t: number): ValueType;
  atT(): number;
  atV(): number;
  err(): Error | null;
}

export interface Series {
  readonly labels: Labels;
  /** A fresh iterator; pass a previous one to let the implementation reuse it. */
  iterator(reuse?: SampleIterator): SampleIterator;
}

/** A pull-style set of series, sorted by labels when `select` was asked to sort. */
export interface SeriesSet {
  next(): boolean;
  at(): Series;
  err(): Error | null;
  warnings(): readonly string[];
}

/** What the query engine knows about a select, so storage can avoid work. */
export interface SelectHints {
  /** Inclusive bounds in ms of the samples that may be needed. */
  start: number;
  end: number;
  /** Query step in ms (0 for instant queries). */
  step?: number;
  /** Range of the surrounding range vector selector in ms, if any. */
  range?: number;
  /** The function wrapping the selector (e.g. 'rate'), or 'series' when only labels are needed. */
  func?: string;
  grouping?: readonly string[];
  by?: boolean;
}

export interface LabelHints {
  /** At most this many results (0 or undefined: no limit). */
  limit?: number;
}

/** Reads one time window [mint, maxt] of a storage. */
export interface Querier {
  select(sortSeries: boolean, hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet;
  /** Sorted, unique values of the label among series matching all matchers (all series if none). */
  labelValues(name: string, hints: LabelHints | undefined, matchers: readonly Matcher[]): string[];
  /** Sorted, unique label names among series matching all matchers (all series if none). */
  labelNames(hints: LabelHints | undefined, matchers: readonly Matcher[]): string[];
  close(): void;
}

export interface Queryable {
  querier(mint: number, maxt: number): Querier;
}

/** A storage is both readable and writable, and knows its own time bounds. */
export interface Storage extends Queryable, Appendable {
  /** Oldest timestamp held, in ms (for the API's `start()` bounds and retention). */
  startTime(): number;
  close(): Promise<void>;
}
