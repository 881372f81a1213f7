/** The pull-parser interface shared by the text-format and OpenMetrics parsers. */
import type { Labels } from '../model/labels.js';
import type { Exemplar, MetricType } from '../model/value.js';

/** What `next()` found. Numbers match Prometheus's textparse entries where they overlap. */
export const Entry = {
  Type: 0,
  Help: 1,
  Series: 2,
  Comment: 3,
  Unit: 4,
  EOF: 6,
} as const;
export type Entry = (typeof Entry)[keyof typeof Entry];

/** A syntax or semantic error; the message reads `line:column: reason` (both 1-based). */
export class ParseError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${line}:${column}: ${reason}`);
    this.name = 'ParseError';
  }
}

export interface ParserOptions {
  /**
   * OpenMetrics: also enforce the specification's semantic rules (family grouping, suffixes
   * per type, histogram buckets, counter values, timestamp order, ...) and the ABNF's ban on
   * trailing commas. Text format: require commas between labels. Prometheus checks none of
   * this when scraping, so the default is false; `check metrics` and the conformance suite
   * turn it on.
   */
  strict?: boolean;
  /** OpenMetrics only: hide `<family>_created` samples; read them via `createdTimestamp()`. */
  skipCreatedSeries?: boolean;
}

/**
 * A streaming pull parser. Call `next()` until it returns `Entry.EOF`; it throws ParseError on
 * bad input. Accessors describe the entry `next()` just returned and allocate nothing unless
 * noted. Strings they return may be slices of the whole body: pass any you keep past the
 * scrape through `detachString` (labels() and exemplar() already do).
 */
export interface Parser {
  next(): Entry;
  /** Series entries: the `name{labels}` text exactly as written (the scrape-cache key). */
  series(): string;
  /**
   * The body's bytes; for Series entries `[seriesStart(), seriesEnd())` is the span series()
   * returns, so a cache can be keyed by the bytes without making a string per line.
   */
  bytes(): Uint8Array;
  seriesStart(): number;
  seriesEnd(): number;
  /**
   * A guess for the next Series entry's series text, bytes `[off, off + len)` of `key`: a scrape loop
   * passes the text of the line at the same position in its previous scrape. When the line
   * starts with exactly those bytes, next() skips label parsing (the bytes parsed before) and
   * matchedHint() is true; metricName(), labels() and exemplar() then tell nothing for that
   * entry. The hint is used by the next Series entry only. The OpenMetrics parser ignores it.
   */
  hintSeries(key: DataView, off: number, len: number): void;
  matchedHint(): boolean;
  value(): number;
  /** Milliseconds since the epoch, or undefined when the line has none. */
  timestamp(): number | undefined;
  /** The decoded metric name of the current series (allocates when escaped or non-ASCII). */
  metricName(): string;
  /** The full label set with `__name__`, detached from the body. For scrape-cache misses. */
  labels(): Labels;
  /** The exemplar of the current series (OpenMetrics), or undefined. Allocates. */
  exemplar(): Exemplar | undefined;
  /** OpenMetrics: the `_created` time (ms) of the current series' metric, found by looking ahead. */
  createdTimestamp(): number | undefined;
  /** Type/Help/Unit entries: the family name. */
  metaName(): string;
  type(): MetricType;
  help(): string;
  unit(): string;
  /** Comment entries: the whole line as written. */
  comment(): string;
  /** 1-based line number of the current entry. */
  line(): number;
}
