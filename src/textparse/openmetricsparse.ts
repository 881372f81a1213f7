/**
 * Parser for OpenMetrics 1.0 text. The grammar is enforced as the ABNF states it (single
 * spaces, no blank lines or comments, `# EOF` last), plus the quoted UTF-8 names Prometheus 3
 * accepts and, unless strict, the trailing comma in label sets it tolerates. Timestamps are float seconds and come back as integer milliseconds (truncated,
 * as Prometheus does). With `strict`, the specification's semantic rules are checked too.
 */
import type { Exemplar, MetricType } from '../model/value.js';
import { BaseParser, F_ESC, F_UTF8 } from './base.js';
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
  isLabelChar,
  isLabelStart,
  isMetricChar,
  isMetricStart,
  numError,
  parseNumber,
} from './bytes.js';
import { OpenMetricsValidator } from './omvalidate.js';
import { Entry, type ParserOptions } from './types.js';

const OM_TYPES = new Map<string, MetricType>(
  (['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown'] as const).map((t) => [t, t]),
);

/** Types whose metric points may carry a `_created` sample. */
const HAS_CREATED = new Set<MetricType>(['counter', 'histogram', 'summary']);

const EOF_NEEDED = 'data does not end with "# EOF"';

/** Where a look-ahead parser starts: inside `parent`'s body, within its current family. */
interface Resume {
  parent: OpenMetricsParser;
  offset: number;
  line: number;
  famName: string;
  famType: MetricType;
}

const CREATED_SUFFIX = '_created';

export class OpenMetricsParser extends BaseParser {
  private readonly validator: OpenMetricsValidator | undefined;
  private readonly skipCreated: boolean;
  private done = false;
  private tsSec = 0;
  private exLab = new Int32Array(6 * 4);
  private nExLab = -1;
  private exVal = 0;
  private exHasTs = false;
  private exTs = 0;
  private ctCacheStart = -1;
  private ctCacheKey = '';
  private ctCacheValue: number | undefined;
  private famStart = 0;
  /** Reused look-ahead parser for createdTimestamp(). */
  private ahead: OpenMetricsParser | undefined;

  constructor(body: Buffer | Uint8Array | string, opts: ParserOptions = {}, resume?: Resume) {
    super(body, resume);
    this.validator = opts.strict ? new OpenMetricsValidator() : undefined;
    this.skipCreated = opts.skipCreatedSeries ?? false;
    if (resume) {
      this.famName = resume.famName;
      this.famType = resume.famType;
    }
  }

  override next(): Entry {
    for (;;) {
      if (this.done) return (this.entry = Entry.EOF);
      const p = this.p;
      this.entryLine = this.lineNo;
      this.entryStart = p;
      if (p >= this.n) this.fail(p, EOF_NEEDED);
      const e = this.b[p] === HASH ? this.parseHash() : this.parseSeries();
      this.entry = e;
      if (e !== Entry.Series) return e;
      if (this.skipCreated && this.isCreatedSample()) continue;
      return e;
    }
  }

  override help(): string {
    return this.span(this.tStart, this.tEnd, this.tFlags);
  }

  override exemplar(): Exemplar | undefined {
    if (this.nExLab < 0) return undefined;
    const pairs: string[] = [];
    const lab = this.exLab;
    for (let i = 0; i < this.nExLab; i++) {
      const o = i * 6;
      pairs.push(this.span(lab[o], lab[o + 1], lab[o + 2]), this.span(lab[o + 3], lab[o + 4], lab[o + 5]));
    }
    const labels = this.buildLabels(pairs).toFlat();
    return this.exHasTs ? { labels, value: this.exVal, timestamp: this.exTs } : { labels, value: this.exVal };
  }

  /**
   * The `_created` time of the current sample's metric point in milliseconds: found by reading
   * ahead through the point's samples (same labels but le/quantile) for `<family>_created`.
   */
  override createdTimestamp(): number | undefined {
    if (this.entry !== Entry.Series || !HAS_CREATED.has(this.famType)) return undefined;
    const fam = this.famName;
    const own = this.metricName();
    if (!this.inFamily(own) || own === fam + '_created') return undefined;
    const key = this.identityKey();
    if (this.ctCacheStart === this.famStart && this.ctCacheKey === key) return this.ctCacheValue;
    let found: number | undefined;
    const ahead = (this.ahead ??= new OpenMetricsParser(this.b, {}, { parent: this, offset: 0, line: 1, famName: '', famType: 'unknown' }));
    ahead.rewind(this.p, this.lineNo, fam, this.famType);
    try {
      // Metric points are contiguous, so the search ends where another label set starts.
      while (ahead.next() === Entry.Series) {
        const name = ahead.metricName();
        if (!this.inFamily(name) || ahead.identityKey() !== key) break;
        if (name === fam + '_created') {
          found = Math.trunc(ahead.value() * 1000);
          break;
        }
      }
    } catch {
      // A syntax error further on surfaces when the main parser reaches it.
    }
    this.ctCacheStart = this.famStart;
    this.ctCacheKey = key;
    this.ctCacheValue = found;
    return found;
  }

  private rewind(offset: number, line: number, famName: string, famType: MetricType): void {
    this.p = offset;
    this.lineNo = line;
    this.famName = famName;
    this.famType = famType;
    this.done = false;
  }

  private inFamily(name: string): boolean {
    const fam = this.famName;
    if (!name.startsWith(fam)) return false;
    const s = name.slice(fam.length);
    switch (this.famType) {
      case 'counter':
        return s === '_total' || s === '_created';
      case 'histogram':
        return s === '_bucket' || s === '_count' || s === '_sum' || s === '_created';
      case 'summary':
        return s === '' || s === '_count' || s === '_sum' || s === '_created';
      default:
        return false;
    }
  }

  /** The labels that identify a metric point: all but le and quantile, in written order. */
  private identityKey(): string {
    const pairs = this.labelPairs();
    let key = '';
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] === 'le' || pairs[i] === 'quantile') continue;
      key += pairs[i] + '\u0000' + pairs[i + 1] + '\u0001';
    }
    return key;
  }

  private isCreatedSample(): boolean {
    if (!HAS_CREATED.has(this.famType)) return false;
    const fam = this.famName;
    const created = fam.length + 8;
    if (this.nEnd - this.nStart < created || this.nFlags !== 0) return this.metricName() === fam + '_created';
    if (this.nEnd - this.nStart !== created) return false;
    // Compared in place: a string per sample line would be garbage on every scrape.
    const b = this.b;
    const at = this.nStart;
    for (let i = 0; i < fam.length; i++) if (b[at + i] !== fam.charCodeAt(i)) return false;
    for (let i = 0; i < 8; i++) if (b[at + fam.length + i] !== CREATED_SUFFIX.charCodeAt(i)) return false;
    return true;
  }

  private parseHash(): Entry {
    const b = this.b;
    const n = this.n;
    const p = this.p;
    if (p + 1 >= n || b[p + 1] !== SP) this.fail(p, 'expected "# " to start a metadata line');
    const k = p + 2;
    if (k + 2 < n && b[k] === 0x45 && b[k + 1] === 0x4f && b[k + 2] === 0x46) {
      let e = k + 3;
      if (e < n && b[e] === NL) e++;
      else if (e < n) this.fail(e, 'unexpected text after "# EOF"');
      if (e < n) {
        this.entryLine++;
        this.entryStart = e;
        this.fail(e, 'unexpected data after "# EOF"');
      }
      this.p = e;
      this.done = true;
      this.validator?.end();
      return Entry.EOF;
    }
    let kind: 'HELP' | 'TYPE' | 'UNIT' | undefined;
    if (k + 4 < n && b[k + 4] === SP) {
      const w = this.latin1Span(k, k + 4);
      if (w === 'HELP' || w === 'TYPE' || w === 'UNIT') kind = w;
    }
    if (!kind) this.fail(k, 'expected HELP, TYPE, UNIT or EOF after "# "');
    this.p = k + 5;
    this.parseMetaName(kind);
    if (this.p >= n) this.fail(this.p, EOF_NEEDED);
    if (b[this.p] !== SP) this.fail(this.p, `expected a space after the metric name in ${kind}`);
    const ts = this.p + 1;
    let e = b.indexOf(NL, ts);
    if (e < 0) e = n;
    let flags = 0;
    for (let i = ts; i < e; i++) {
      const c = b[i];
      if (c >= 0x80) flags |= F_UTF8;
      else if (c === 0x5c) flags |= F_ESC;
    }
    this.tStart = ts;
    this.tEnd = e;
    this.tFlags = flags;
    this.p = e;
    if (e >= n) this.fail(e, EOF_NEEDED);
    const name = this.metaName();
    if (name !== this.famName) {
      this.famName = name;
      this.famType = 'unknown';
      this.famStart = this.entryStart;
    }
    let entry: Entry;
    if (kind === 'TYPE') {
      const t = OM_TYPES.get(this.latin1Span(ts, e));
      if (t === undefined) this.fail(ts, `invalid metric type "${this.span(ts, e, flags & F_UTF8)}"`);
      this.mtype = t;
      this.famType = t;
      this.validator?.meta('TYPE', name, t, this.entryLine);
      entry = Entry.Type;
    } else if (kind === 'UNIT') {
      for (let i = ts; i < e; i++) if (!isMetricChar(b[i])) this.fail(i, 'invalid character in unit');
      const unit = this.latin1Span(ts, e);
      if (unit !== '' && !(name.length > unit.length + 1 && name.endsWith('_' + unit))) {
        this.fail(ts, `unit "${unit}" is not a suffix of metric "${name}"`);
      }
      this.validator?.meta('UNIT', name, unit, this.entryLine);
      entry = Entry.Unit;
    } else {
      this.validator?.meta('HELP', name, '', this.entryLine);
      entry = Entry.Help;
    }
    this.p = e + 1;
    this.lineNo++;
    return entry;
  }

  private parseSeries(): Entry {
    const b = this.b;
    const n = this.n;
    const start = this.p;
    this.nLab = 0;
    this.nStart = -1;
    this.nFlags = 0;
    this.nExLab = -1;
    let p = start;
    if (b[p] !== LBRACE) {
      if (!isMetricStart(b[p])) this.fail(p, 'expected a metric name or "{"');
      p++;
      while (p < n && isMetricChar(b[p])) p++;
      this.nStart = start;
      this.nEnd = p;
      this.p = p;
    }
    if (p < n && b[p] === LBRACE) {
      this.parseLabels(false);
      p = this.p;
    }
    if (this.nStart < 0) this.fail(start, 'metric name not set');
    this.sStart = start;
    this.sEnd = p;
    if (p >= n) this.fail(p, EOF_NEEDED);
    if (b[p] !== SP) this.fail(p, 'expected a space and a value after the metric');
    p++;
    let e = p;
    while (e < n && b[e] !== SP && b[e] !== NL) e++;
    const v = parseNumber(b, p, e, true);
    if (numError !== NUM_OK) this.fail(p, numError === NUM_RANGE ? 'value out of range' : `invalid value "${this.span(p, e, F_UTF8)}"`);
    this.val = v;
    this.hasTs = false;
    if (e < n && b[e] === SP) {
      e++;
      if (e < n && b[e] === HASH) e = this.parseExemplar(e);
      else {
        const ts = e;
        while (e < n && b[e] !== SP && b[e] !== NL) e++;
        const t = parseNumber(b, ts, e, false);
        if (numError !== NUM_OK) this.fail(ts, `invalid timestamp "${this.span(ts, e, F_UTF8)}"`);
        this.tsSec = t;
        this.ts = Math.trunc(t * 1000);
        this.hasTs = true;
        if (e < n && b[e] === SP) {
          e++;
          if (e >= n || b[e] !== HASH) this.fail(e, 'expected an exemplar ("# {") after the timestamp');
          e = this.parseExemplar(e);
        }
      }
    }
    if (e >= n) this.fail(e, EOF_NEEDED);
    if (b[e] !== NL) this.fail(e, 'expected a line break after the sample');
    this.p = e + 1;
    this.lineNo++;
    if (this.validator) this.validate();
    return Entry.Series;
  }

  private validate(): void {
    let ex: { labelCodePoints: number } | undefined;
    if (this.nExLab >= 0) {
      let cps = 0;
      const lab = this.exLab;
      for (let i = 0; i < this.nExLab; i++) {
        const o = i * 6;
        cps += [...this.span(lab[o], lab[o + 1], lab[o + 2])].length + [...this.span(lab[o + 3], lab[o + 4], lab[o + 5])].length;
      }
      ex = { labelCodePoints: cps };
    }
    this.validator!.sample(this.metricName(), this.labelPairs(), this.val, this.hasTs ? this.tsSec : undefined, ex, this.entryLine);
  }

  /** Parses ` # {labels} value [timestamp]` from the `#`; returns the offset of the line end. */
  private parseExemplar(at: number): number {
    const b = this.b;
    const n = this.n;
    if (!(at + 2 < n && b[at + 1] === SP && b[at + 2] === LBRACE)) this.fail(at, 'expected "# {" to start an exemplar');
    // Exemplar labels go to their own offsets; the series' labels stay untouched.
    const seriesLab = this.lab;
    const seriesN = this.nLab;
    this.lab = this.exLab;
    this.nLab = 0;
    this.p = at + 2;
    try {
      this.parseLabels(true);
    } finally {
      this.exLab = this.lab;
      this.nExLab = this.nLab;
      this.lab = seriesLab;
      this.nLab = seriesN;
    }
    let p = this.p;
    if (p >= n || b[p] !== SP) this.fail(p, 'expected a space and a value after the exemplar labels');
    p++;
    let e = p;
    while (e < n && b[e] !== SP && b[e] !== NL) e++;
    const v = parseNumber(b, p, e, true);
    if (numError !== NUM_OK) this.fail(p, `invalid exemplar value "${this.span(p, e, F_UTF8)}"`);
    this.exVal = v;
    this.exHasTs = false;
    if (e < n && b[e] === SP) {
      const ts = ++e;
      while (e < n && b[e] !== SP && b[e] !== NL) e++;
      const t = parseNumber(b, ts, e, false);
      if (numError !== NUM_OK) this.fail(ts, `invalid exemplar timestamp "${this.span(ts, e, F_UTF8)}"`);
      this.exTs = Math.trunc(t * 1000);
      this.exHasTs = true;
    }
    return e;
  }

  /** OpenMetrics label sets: no blanks; quoted names allowed; a trailing comma only when not strict. */
  private parseLabels(exemplar: boolean): void {
    const b = this.b;
    const n = this.n;
    let p = this.p + 1;
    if (p < n && b[p] === RBRACE) {
      this.p = p + 1;
      return;
    }
    for (;;) {
      if (p >= n) this.fail(p, 'unexpected end of input in label set');
      let ns: number;
      let ne: number;
      let nf = 0;
      if (b[p] === QUOTE) {
        this.p = p;
        nf = this.scanQuoted();
        ns = p + 1;
        ne = this.p - 1;
        const c = this.p < n ? b[this.p] : 0;
        if (c === COMMA || c === RBRACE) {
          if (exemplar) this.fail(p, 'exemplar labels cannot name a metric');
          if (this.nStart >= 0) this.fail(p, 'metric name set twice');
          if (ne === ns) this.fail(p, 'empty metric name');
          this.nStart = ns;
          this.nEnd = ne;
          this.nFlags = nf;
          p = this.afterLabel();
          if (p < 0) return;
          continue;
        }
        if (ne === ns) this.fail(p, 'empty label name');
        p = this.p;
      } else {
        if (!isLabelStart(b[p])) this.fail(p, 'expected a label name');
        ns = p;
        p++;
        while (p < n && isLabelChar(b[p])) p++;
        ne = p;
      }
      if (p >= n || b[p] !== EQ) this.fail(p, 'expected "=" after label name');
      p++;
      if (p >= n || b[p] !== QUOTE) this.fail(p, 'expected a quoted label value');
      this.p = p;
      const vf = this.scanQuoted();
      this.pushLabel(ns, ne, nf, p + 1, this.p - 1, vf);
      p = this.afterLabel();
      if (p < 0) return;
    }
  }

  /** After a label: `,` then another label, or `}`. Returns the next label's offset, or -1 at the end. */
  private afterLabel(): number {
    const b = this.b;
    const p = this.p;
    if (p < this.n && b[p] === RBRACE) {
      this.p = p + 1;
      return -1;
    }
    if (p >= this.n || b[p] !== COMMA) this.fail(p, 'expected "," or "}" after label');
    if (p + 1 < this.n && b[p + 1] === RBRACE) {
      // The ABNF has no trailing comma, but Prometheus accepts one when scraping.
      if (this.validator) this.fail(p, 'trailing comma in label set');
      this.p = p + 2;
      return -1;
    }
    return p + 1;
  }
}
