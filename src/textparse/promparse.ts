/**
 * Parser for the Prometheus text exposition format 0.0.4, as Prometheus 3 reads it: blank
 * lines and free whitespace between tokens, `# HELP`/`# TYPE` metadata, other `#` lines as
 * comments, integer millisecond timestamps, and quoted UTF-8 names (`{"my.metric","a.b"="c"}`).
 */
import type { MetricType } from '../model/value.js';
import {
  COMMA,
  EQ,
  HASH,
  LBRACE,
  NL,
  NUM_OK,
  NUM_RANGE,
  QUOTE,
  RBRACE,
  SP,
  TAB,
  isLabelChar,
  isLabelStart,
  isMetricChar,
  isMetricStart,
  numError,
  parseIntTimestamp,
  parseNumber,
  unescapeHelp,
} from './bytes.js';
import { BaseParser, F_ESC, F_UTF8 } from './base.js';
import { Entry, type ParserOptions } from './types.js';

const TEXT_TYPES = new Map<string, MetricType>([
  ['counter', 'counter'],
  ['gauge', 'gauge'],
  ['histogram', 'histogram'],
  ['summary', 'summary'],
  ['untyped', 'unknown'],
]);

export class PromParser extends BaseParser {
  private readonly strict: boolean;

  /** `strict` rejects what only Prometheus's own parser tolerates (labels without a comma). */
  constructor(body: Buffer | Uint8Array | string, opts: ParserOptions = {}) {
    super(body);
    this.strict = opts.strict ?? false;
  }

  override next(): Entry {
    const b = this.b;
    const n = this.n;
    for (;;) {
      let p = this.p;
      if (p >= n) return (this.entry = Entry.EOF);
      this.entryLine = this.lineNo;
      this.entryStart = p;
      while (p < n && (b[p] === SP || b[p] === TAB)) p++;
      if (p >= n) {
        this.p = p;
        return (this.entry = Entry.EOF);
      }
      if (b[p] === NL) {
        this.p = p + 1;
        this.lineNo++;
        continue;
      }
      this.p = p;
      return (this.entry = b[p] === HASH ? this.parseHash() : this.parseSeries());
    }
  }

  override help(): string {
    return unescapeHelp(this.span(this.tStart, this.tEnd, this.tFlags & F_UTF8));
  }

  private skipBlanks(): void {
    const b = this.b;
    let p = this.p;
    while (p < this.n && (b[p] === SP || b[p] === TAB)) p++;
    this.p = p;
  }

  /** Ends a line: only blanks may remain before the newline (or the end of input). */
  private endLine(what: string): void {
    this.skipBlanks();
    if (this.p < this.n) {
      if (this.b[this.p] !== NL) this.fail(this.p, `unexpected text after ${what}`);
      this.p++;
      this.lineNo++;
    }
  }

  private parseHash(): Entry {
    const b = this.b;
    const lineStart = this.p;
    this.p++;
    this.skipBlanks();
    const kw = this.p;
    const isMeta =
      kw + 4 < this.n &&
      (b[kw + 4] === SP || b[kw + 4] === TAB) &&
      ((b[kw] === 0x48 && b[kw + 1] === 0x45 && b[kw + 2] === 0x4c && b[kw + 3] === 0x50) ||
        (b[kw] === 0x54 && b[kw + 1] === 0x59 && b[kw + 2] === 0x50 && b[kw + 3] === 0x45));
    if (!isMeta) {
      let e = b.indexOf(NL, this.p);
      if (e < 0) e = this.n;
      this.tStart = lineStart;
      this.tEnd = e;
      this.tFlags = this.textFlags(lineStart, e);
      this.p = e;
      this.endLine('comment');
      return Entry.Comment;
    }
    const isHelp = b[kw] === 0x48;
    this.p = kw + 4;
    this.skipBlanks();
    this.parseMetaName(isHelp ? 'HELP' : 'TYPE');
    // The text starts after exactly one blank, as in Prometheus; the rest is kept.
    let ts = this.p;
    if (ts < this.n && (b[ts] === SP || b[ts] === TAB)) ts++;
    else if (ts < this.n && b[ts] !== NL) this.fail(ts, 'expected a blank after the metric name');
    let e = b.indexOf(NL, ts);
    if (e < 0) e = this.n;
    this.tStart = ts;
    this.tEnd = e;
    this.tFlags = this.textFlags(ts, e);
    this.p = e;
    if (isHelp) {
      this.endLine('HELP');
      return Entry.Help;
    }
    const t = TEXT_TYPES.get(this.latin1Span(ts, e));
    if (t === undefined) this.fail(ts, `invalid metric type "${this.span(ts, e, this.tFlags)}"`);
    this.mtype = t;
    this.famName = this.metaName();
    this.famType = t;
    this.endLine('TYPE');
    return Entry.Type;
  }

  /** Span flags for free text; once a UTF-8 byte is seen, escapes are assumed without looking further. */
  private textFlags(a: number, e: number): number {
    const b = this.b;
    let f = 0;
    for (let i = a; i < e; i++) {
      const c = b[i];
      if (c >= 0x80) return F_UTF8 | F_ESC;
      if (c === 0x5c) f = F_ESC;
    }
    return f;
  }

  private parseSeries(): Entry {
    const b = this.b;
    const n = this.n;
    const start = this.p;
    this.nLab = 0;
    this.nStart = -1;
    this.nFlags = 0;
    if (this.matchesHint(start)) return this.parseSample(start, start + this.hintLen);
    let p = start;
    if (b[p] !== LBRACE) {
      if (!isMetricStart(b[p])) this.fail(p, 'expected a metric name or "{"');
      p++;
      while (p < n && isMetricChar(b[p])) p++;
      this.nStart = start;
      this.nEnd = p;
    }
    let seriesEnd = p;
    let q = p;
    while (q < n && (b[q] === SP || b[q] === TAB)) q++;
    if (q < n && b[q] === LBRACE) {
      this.p = q;
      this.parseLabels();
      p = seriesEnd = this.p;
    }
    if (this.nStart < 0) this.fail(start, 'metric name not set');
    return this.parseSample(start, seriesEnd);
  }

  /**
   * Whether the line at `start` begins with the hinted series text, followed by blanks that do
   * not lead to a label set (a hinted bare `name` must not match `name {...}`). Those bytes
   * parsed as a complete series before, so they need no second look.
   */
  private matchesHint(start: number): boolean {
    this.hinted = false;
    const key = this.hintKey;
    if (key === null) return false;
    this.hintKey = null;
    const b = this.b;
    const n = this.n;
    const len = this.hintLen;
    const end = start + len;
    if (end >= n || (b[end] !== SP && b[end] !== TAB)) return false;
    const off = this.hintOff;
    const view = this.view;
    let i = 0;
    for (; i + 4 <= len; i += 4) if (view.getUint32(start + i) !== key.getUint32(off + i)) return false;
    for (; i < len; i++) if (b[start + i] !== key.getUint8(off + i)) return false;
    let q = end + 1;
    while (q < n && (b[q] === SP || b[q] === TAB)) q++;
    if (q < n && b[q] === LBRACE) return false;
    this.hinted = true;
    return true;
  }

  /** The value and optional timestamp after the series text `[start, seriesEnd)`. */
  private parseSample(start: number, seriesEnd: number): Entry {
    const b = this.b;
    const n = this.n;
    let p = seriesEnd;
    this.sStart = start;
    this.sEnd = seriesEnd;
    if (p >= n || (b[p] !== SP && b[p] !== TAB)) this.fail(p, 'expected a blank and a value after the metric');
    while (p < n && (b[p] === SP || b[p] === TAB)) p++;
    let e = p;
    while (e < n && b[e] !== SP && b[e] !== TAB && b[e] !== NL) e++;
    if (e === p) this.fail(p, 'expected a value after the metric');
    const v = parseNumber(b, p, e, true);
    if (numError !== NUM_OK) this.fail(p, numError === NUM_RANGE ? 'value out of range' : `invalid value "${this.latin1Span(p, e)}"`);
    this.val = v;
    while (e < n && (b[e] === SP || b[e] === TAB)) e++;
    this.hasTs = false;
    if (e < n && b[e] !== NL) {
      const ts = e;
      while (e < n && b[e] !== SP && b[e] !== TAB && b[e] !== NL) e++;
      const t = parseIntTimestamp(b, ts, e);
      if (numError !== NUM_OK) this.fail(ts, `invalid timestamp "${this.latin1Span(ts, e)}"`);
      this.ts = t;
      this.hasTs = true;
    }
    this.p = e;
    this.endLine('the sample');
    return Entry.Series;
  }

  private parseLabels(): void {
    const b = this.b;
    const n = this.n;
    // Positions stay in a local; this.p is only synced around scanQuoted().
    let p = this.p + 1;
    for (;;) {
      while (p < n && (b[p] === SP || b[p] === TAB)) p++;
      if (p >= n) this.fail(p, 'unexpected end of input in label set');
      let c = b[p];
      if (c === RBRACE) {
        this.p = p + 1;
        return;
      }
      let ns: number;
      let ne: number;
      let nf = 0;
      if (c === QUOTE) {
        this.p = p;
        nf = this.scanQuoted();
        ns = p + 1;
        ne = this.p - 1;
        const q = p;
        p = this.p;
        while (p < n && (b[p] === SP || b[p] === TAB)) p++;
        c = p < n ? b[p] : 0;
        if (c === COMMA || c === RBRACE) {
          if (this.nStart >= 0) this.fail(q, 'metric name set twice');
          if (ne === ns) this.fail(q, 'empty metric name');
          this.nStart = ns;
          this.nEnd = ne;
          this.nFlags = nf;
          if (c === COMMA) p++;
          continue;
        }
        if (ne === ns) this.fail(q, 'empty label name');
      } else {
        if (!isLabelStart(c)) this.fail(p, 'expected a label name');
        ns = p;
        p++;
        while (p < n && isLabelChar(b[p])) p++;
        ne = p;
        while (p < n && (b[p] === SP || b[p] === TAB)) p++;
      }
      if (p >= n || b[p] !== EQ) this.fail(p, 'expected "=" after label name');
      p++;
      while (p < n && (b[p] === SP || b[p] === TAB)) p++;
      if (p >= n || b[p] !== QUOTE) this.fail(p, 'expected a quoted label value');
      this.p = p;
      const vf = this.scanQuoted();
      this.pushLabel(ns, ne, nf, p + 1, this.p - 1, vf);
      p = this.p;
      while (p < n && (b[p] === SP || b[p] === TAB)) p++;
      if (p < n && b[p] === COMMA) p++;
      else if (p >= n || b[p] !== RBRACE) {
        // Prometheus also reads `{a="1" b="2"}`; strict mode (check metrics) wants the comma.
        if (this.strict || !(isLabelStart(b[p]) || b[p] === QUOTE)) this.fail(p, 'expected "," or "}" after label value');
      }
    }
  }
}
