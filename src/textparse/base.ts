/**
 * State and accessors shared by the text-format and OpenMetrics parsers. The parsers scan the
 * body's bytes (measured faster than charCodeAt over a decoded string); ASCII spans are cut
 * from one latin1 view of the body, and spans holding non-ASCII bytes are decoded as UTF-8.
 */
import { isUtf8 } from 'node:buffer';
import { Labels, METRIC_NAME } from '../model/labels.js';
import type { Exemplar, MetricType } from '../model/value.js';
import { BACKSLASH, NL, QUOTE, isMetricChar, isMetricStart, unescapeLabelValue } from './bytes.js';
import { detachString } from './detach.js';
import { normalizeFloatLabel } from './normalize.js';
import { Entry, ParseError, type Parser } from './types.js';

/** Span flags: the span holds backslash escapes / bytes >= 0x80. */
export const F_ESC = 1;
export const F_UTF8 = 2;

export function toBuffer(body: Buffer | Uint8Array | string): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

export abstract class BaseParser implements Parser {
  protected readonly b: Buffer;
  /** The body for comparing four bytes at a time (unaligned). */
  protected readonly view: DataView;
  protected readonly n: number;
  /** The body as latin1 once something needed it whole (see `str`). */
  private latin1: string | undefined;
  private readonly parent: BaseParser | undefined;
  protected p: number;
  /** Line number of position `p`. */
  protected lineNo: number;
  protected entryLine = 0;
  protected entryStart = 0;
  protected entry: Entry = Entry.EOF;

  protected sStart = 0;
  protected sEnd = 0;
  protected nStart = -1;
  protected nEnd = -1;
  protected nFlags = 0;
  /** Per label: name start, name end, name flags, value start, value end, value flags. */
  protected lab = new Int32Array(6 * 16);
  protected nLab = 0;
  protected val = 0;
  protected hasTs = false;
  protected ts = 0;

  protected mStart = 0;
  protected mEnd = 0;
  protected mFlags = 0;
  protected tStart = 0;
  protected tEnd = 0;
  protected tFlags = 0;
  protected mtype: MetricType = 'unknown';

  /** The series-text guess for the next Series entry (see `hintSeries`). */
  protected hintKey: DataView | null = null;
  protected hintOff = 0;
  protected hintLen = 0;
  protected hinted = false;

  /** The family of the last TYPE line, which decides le/quantile normalization. */
  protected famName = '';
  protected famType: MetricType = 'unknown';

  /** `from` continues inside another parser's body (for look-ahead) without re-decoding it. */
  constructor(body: Buffer | Uint8Array | string, from?: { parent: BaseParser; offset: number; line: number }) {
    if (from) {
      this.b = from.parent.b;
      this.view = from.parent.view;
      this.parent = from.parent;
      this.p = from.offset;
      this.lineNo = from.line;
      this.n = this.b.length;
    } else {
      this.b = toBuffer(body);
      this.view = new DataView(this.b.buffer, this.b.byteOffset, this.b.byteLength);
      this.p = 0;
      this.lineNo = 1;
      this.n = this.b.length;
      if (!isUtf8(this.b)) this.reportInvalidUtf8();
    }
  }

  /**
   * The body as latin1: one char per byte, so byte offsets index it directly. Decoded on first
   * use; a steady-state scrape keys its cache by bytes and never needs it.
   */
  protected get str(): string {
    if (this.parent) return this.parent.str;
    return (this.latin1 ??= this.b.toString('latin1'));
  }

  /** Bytes `[a, e)` as a latin1 string, without decoding the whole body for a few spans. */
  protected latin1Span(a: number, e: number): string {
    return this.latin1 !== undefined ? this.latin1.substring(a, e) : this.b.toString('latin1', a, e);
  }

  abstract next(): Entry;

  series(): string {
    if (this.sFlagsUtf8()) return this.b.toString('utf8', this.sStart, this.sEnd);
    return this.latin1Span(this.sStart, this.sEnd);
  }

  bytes(): Uint8Array {
    return this.b;
  }

  seriesStart(): number {
    return this.sStart;
  }

  seriesEnd(): number {
    return this.sEnd;
  }

  hintSeries(key: DataView, off: number, len: number): void {
    this.hintKey = key;
    this.hintOff = off;
    this.hintLen = len;
  }

  matchedHint(): boolean {
    return this.hinted;
  }

  value(): number {
    return this.val;
  }

  timestamp(): number | undefined {
    return this.hasTs ? this.ts : undefined;
  }

  metricName(): string {
    return this.span(this.nStart, this.nEnd, this.nFlags);
  }

  labels(): Labels {
    const name = this.metricName();
    const pairs: string[] = [METRIC_NAME, name];
    const lab = this.lab;
    for (let i = 0; i < this.nLab; i++) {
      const o = i * 6;
      const ln = this.span(lab[o], lab[o + 1], lab[o + 2]);
      let lv = this.span(lab[o + 3], lab[o + 4], lab[o + 5]);
      if (lv !== '' && this.normalizes(name, ln)) lv = normalizeFloatLabel(lv);
      pairs.push(ln, lv);
    }
    return this.buildLabels(pairs);
  }

  exemplar(): Exemplar | undefined {
    return undefined;
  }

  createdTimestamp(): number | undefined {
    return undefined;
  }

  metaName(): string {
    return this.span(this.mStart, this.mEnd, this.mFlags);
  }

  type(): MetricType {
    return this.mtype;
  }

  /** HELP escapes differ between the formats. */
  abstract help(): string;

  unit(): string {
    return this.span(this.tStart, this.tEnd, this.tFlags);
  }

  comment(): string {
    return this.span(this.tStart, this.tEnd, this.tFlags & F_UTF8);
  }

  line(): number {
    return this.entryLine;
  }

  /** Decoded names and values of the current series' labels in written order (no `__name__`). */
  labelPairs(): string[] {
    const out: string[] = [];
    const lab = this.lab;
    for (let i = 0; i < this.nLab; i++) {
      const o = i * 6;
      out.push(this.span(lab[o], lab[o + 1], lab[o + 2]), this.span(lab[o + 3], lab[o + 4], lab[o + 5]));
    }
    return out;
  }

  protected sFlagsUtf8(): boolean {
    if (this.nFlags & F_UTF8) return true;
    const lab = this.lab;
    for (let i = 0; i < this.nLab; i++) if ((lab[i * 6 + 2] | lab[i * 6 + 5]) & F_UTF8) return true;
    return false;
  }

  /** A decoded span: UTF-8 when needed, then label-value unescaping. */
  protected span(a: number, e: number, flags: number): string {
    if (a < 0) return '';
    const s = flags & F_UTF8 ? this.b.toString('utf8', a, e) : this.latin1Span(a, e);
    return flags & F_ESC ? unescapeLabelValue(s) : s;
  }

  private normalizes(name: string, label: string): boolean {
    if (label === 'le') return this.famType === 'histogram' && name === this.famName + '_bucket';
    if (label === 'quantile') return this.famType === 'summary' && name === this.famName;
    return false;
  }

  /** Sorts name/value pairs in place, rejects duplicate names, drops empty values, detaches strings. */
  protected buildLabels(pairs: string[]): Labels {
    // Exposed label sets are usually sorted already, so insertion sort is near linear.
    for (let i = 2; i < pairs.length; i += 2) {
      const nm = pairs[i];
      const v = pairs[i + 1];
      let j = i - 2;
      while (j >= 0 && pairs[j] > nm) {
        pairs[j + 2] = pairs[j];
        pairs[j + 3] = pairs[j + 1];
        j -= 2;
      }
      if (j >= 0 && pairs[j] === nm) throw new ParseError(this.entryLine, 1, `duplicate label name "${nm}"`);
      pairs[j + 2] = nm;
      pairs[j + 3] = v;
    }
    let w = 0;
    for (let i = 0; i < pairs.length; i += 2) {
      const v = pairs[i + 1];
      if (v === '') continue;
      pairs[w++] = detachString(pairs[i]);
      pairs[w++] = detachString(v);
    }
    pairs.length = w;
    return Labels.fromSortedFlat(pairs);
  }

  protected pushLabel(ns: number, ne: number, nf: number, vs: number, ve: number, vf: number): void {
    let o = this.nLab * 6;
    if (o + 6 > this.lab.length) {
      const grown = new Int32Array(this.lab.length * 2);
      grown.set(this.lab);
      this.lab = grown;
    }
    const lab = this.lab;
    lab[o++] = ns;
    lab[o++] = ne;
    lab[o++] = nf;
    lab[o++] = vs;
    lab[o++] = ve;
    lab[o] = vf;
    this.nLab++;
  }

  /**
   * Scans a double-quoted string starting at the opening quote; returns its flags and leaves
   * `p` after the closing quote. The content is [start+1, p-1).
   */
  /** Reads the family name of a HELP/TYPE/UNIT line (plain or quoted) into the metadata span. */
  protected parseMetaName(kind: string): void {
    const b = this.b;
    const p = this.p;
    if (p < this.n && b[p] === QUOTE) {
      const f = this.scanQuoted();
      if (this.p - p === 2) this.fail(p, `empty metric name in ${kind}`);
      this.mStart = p + 1;
      this.mEnd = this.p - 1;
      this.mFlags = f;
      return;
    }
    if (p >= this.n || !isMetricStart(b[p])) this.fail(p, `expected a metric name after ${kind}`);
    let e = p + 1;
    while (e < this.n && isMetricChar(b[e])) e++;
    this.mStart = p;
    this.mEnd = e;
    this.mFlags = 0;
    this.p = e;
  }

  protected scanQuoted(): number {
    const b = this.b;
    const n = this.n;
    let p = this.p + 1;
    let flags = 0;
    for (;;) {
      if (p >= n) this.fail(this.p, 'unterminated quoted string');
      const c = b[p];
      if (c === QUOTE) break;
      if (c === NL) this.fail(p, 'newline inside quoted string');
      if (c === BACKSLASH) {
        flags |= F_ESC;
        p++;
        if (p >= n || b[p] === NL) this.fail(p, 'unterminated escape sequence');
        if (b[p] >= 0x80) flags |= F_UTF8;
      } else if (c >= 0x80) flags |= F_UTF8;
      p++;
    }
    this.p = p + 1;
    return flags;
  }

  /** Throws a ParseError at byte offset `pos` of the current entry's line (column in code points). */
  protected fail(pos: number, reason: string): never {
    const col = [...this.b.toString('utf8', this.entryStart, Math.min(Math.max(pos, this.entryStart), this.n))].length + 1;
    throw new ParseError(this.entryLine, col, reason);
  }

  private reportInvalidUtf8(): never {
    const b = this.b;
    const bad = firstInvalidUtf8(b, 0, this.n);
    let line = 1;
    let ls = 0;
    for (let i = 0; i < bad; i++) {
      if (b[i] === NL) {
        line++;
        ls = i + 1;
      }
    }
    throw new ParseError(line, [...b.toString('utf8', ls, bad)].length + 1, 'invalid UTF-8');
  }
}

/** Offset of the first byte that starts an invalid UTF-8 sequence, or `to` if there is none. */
function firstInvalidUtf8(b: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= to) return i;
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= need; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return to;
}
