/**
 * Series descriptions of the test-script language: `name{label="value", ...} v1 v2 ...`,
 * with the expanding notation for values (`a+bxN`, `a-bxN`, `axN`, `_`, `_xN`, `stale`)
 * and `{{...}}` native histogram samples, which are recognised but not decoded.
 */
import { Labels, LabelsBuilder } from '../../model/labels.js';
import { STALE_NAN } from '../../model/value.js';
import { parseDuration } from '../../model/duration.js';

/** One item of an expanded sequence. */
export type SeqItem =
  | { kind: 'value'; v: number }
  | { kind: 'gap' }
  | { kind: 'histogram' };

export interface SeriesDesc {
  labels: Labels;
  items: SeqItem[];
  /** True when any item was a native histogram. */
  histogram: boolean;
  /** The `@st` suffix marks a line of start-timestamp offsets. */
  startTimestamps: boolean;
}

export class DescError extends Error {}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;

/** Parses the label part of a line; returns the labels and the index after them. */
export function parseSeriesLabels(line: string, pos = 0): { labels: Labels; end: number } {
  const b = new LabelsBuilder();
  let i = skipSpace(line, pos);
  if (NAME_START.test(line[i] ?? '')) {
    const s = i;
    while (i < line.length && NAME_CHAR.test(line[i])) i++;
    b.set('__name__', line.slice(s, i));
  }
  if (line[i] === '{') {
    i++;
    let first = true;
    for (;;) {
      i = skipSpace(line, i);
      if (line[i] === '}') {
        i++;
        break;
      }
      if (!first) {
        if (line[i] !== ',') throw new DescError(`expected "," or "}" at column ${i + 1} in ${JSON.stringify(line)}`);
        i = skipSpace(line, i + 1);
        if (line[i] === '}') {
          i++;
          break;
        }
      }
      first = false;
      let name: string;
      if (line[i] === '"' || line[i] === "'" || line[i] === '`') {
        const q = readQuoted(line, i);
        name = q.value;
        i = skipSpace(line, q.end);
        if (line[i] !== '=') {
          // A bare quoted string inside braces is the metric name.
          b.set('__name__', name);
          continue;
        }
      } else {
        const s = i;
        while (i < line.length && NAME_CHAR.test(line[i])) i++;
        name = line.slice(s, i);
        if (name === '') throw new DescError(`expected label name at column ${i + 1} in ${JSON.stringify(line)}`);
        i = skipSpace(line, i);
      }
      if (line[i] !== '=') throw new DescError(`expected "=" at column ${i + 1} in ${JSON.stringify(line)}`);
      i = skipSpace(line, i + 1);
      const q = readQuoted(line, i);
      b.set(name, q.value);
      i = q.end;
    }
  }
  return { labels: b.labels(), end: i };
}

/** Parses a full `series values...` line. */
export function parseSeriesDesc(line: string): SeriesDesc {
  const { labels, end } = parseSeriesLabels(line);
  let rest = line.slice(end);
  let startTimestamps = false;
  if (rest.startsWith('@st')) {
    startTimestamps = true;
    rest = rest.slice(3);
  }
  const { items, histogram } = parseSequence(rest, startTimestamps);
  return { labels, items, histogram, startTimestamps };
}

const DEC = '[-+]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[iI][nN][fF](?:inity)?|[nN][aA][nN])';
const NUM = `(?:[-+]?0[xX][0-9a-fA-F]+|${DEC})`;
// In sequences `x` means repetition, so hexadecimal numbers are not recognised there.
const ITEM = new RegExp(`^(${DEC})(?:([-+])(${DEC}))?(?:x([0-9]+))?$`);

/** Parses a plain number as the PromQL lexer accepts it (decimal, hex, Inf, NaN). */
export function parseNumber(s: string): number | undefined {
  if (!new RegExp(`^${NUM}$`).test(s)) return undefined;
  return numberValue(s);
}

function numberValue(s: string): number {
  const neg = s[0] === '-';
  const body = s[0] === '-' || s[0] === '+' ? s.slice(1) : s;
  const low = body.toLowerCase();
  let v: number;
  if (low === 'inf' || low === 'infinity') v = Infinity;
  else if (low === 'nan') v = NaN;
  else if (low.startsWith('0x')) v = parseInt(low.slice(2), 16);
  else v = Number(body);
  return neg ? -v : v;
}

/** Splits on whitespace, keeping `{{ ... }}` groups (and `{{..}}xN` / `{{..}}+{{..}}xN`) whole. */
function tokens(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    const start = i;
    let depth = 0;
    while (i < s.length) {
      const c = s[i];
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (depth === 0 && /\s/.test(c)) break;
      i++;
    }
    out.push(s.slice(start, i));
  }
  return out;
}

/**
 * Expands a value sequence. With `durations`, items are durations (start-timestamp offsets)
 * returned in milliseconds.
 */
export function parseSequence(s: string, durations = false): { items: SeqItem[]; histogram: boolean } {
  const items: SeqItem[] = [];
  let histogram = false;
  for (const tok of tokens(s)) {
    if (tok.startsWith('{{')) {
      histogram = true;
      const m = /x([0-9]+)$/.exec(tok);
      const n = m && tok.slice(0, m.index).endsWith('}}') ? Number(m[1]) + 1 : 1;
      for (let k = 0; k < n; k++) items.push({ kind: 'histogram' });
      continue;
    }
    if (tok === '_') {
      items.push({ kind: 'gap' });
      continue;
    }
    const gapRep = /^_x([0-9]+)$/.exec(tok);
    if (gapRep) {
      for (let k = 0; k < Number(gapRep[1]); k++) items.push({ kind: 'gap' });
      continue;
    }
    if (tok === 'stale') {
      items.push({ kind: 'value', v: STALE_NAN });
      continue;
    }
    if (durations) {
      expandDurations(tok, items);
      continue;
    }
    const m = ITEM.exec(tok);
    if (!m) throw new DescError(`invalid value ${JSON.stringify(tok)}`);
    const a = numberValue(m[1]);
    if (m[4] === undefined) {
      if (m[2] !== undefined) throw new DescError(`invalid value ${JSON.stringify(tok)}`);
      items.push({ kind: 'value', v: a });
      continue;
    }
    const n = Number(m[4]);
    const b = m[2] === undefined ? 0 : m[2] === '-' ? -numberValue(m[3]) : numberValue(m[3]);
    // Accumulate like upstream (repeated addition), so float rounding matches.
    let v = a;
    items.push({ kind: 'value', v });
    for (let k = 0; k < n; k++) {
      v += b;
      items.push({ kind: 'value', v });
    }
  }
  return { items, histogram };
}

/** A Prometheus duration, optionally negative (start-timestamp offsets), in ms. */
export function parseTestDuration(s: string): number {
  if (s[0] === '+') return parseDuration(s.slice(1));
  return s[0] === '-' ? -parseDuration(s.slice(1)) : parseDuration(s);
}

function expandDurations(tok: string, items: SeqItem[]): void {
  const m = /^([-+]?[0-9a-z]+?)(?:([-+])([0-9a-z]+?))?(?:x([0-9]+))?$/.exec(tok);
  if (!m) throw new DescError(`invalid duration item ${JSON.stringify(tok)}`);
  const a = parseTestDuration(m[1]);
  const n = m[4] === undefined ? 0 : Number(m[4]);
  const b = m[2] === undefined ? 0 : (m[2] === '-' ? -1 : 1) * parseTestDuration(m[3]);
  for (let k = 0; k <= n; k++) items.push({ kind: 'value', v: a + k * b });
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

/** Reads a Go-style quoted string ("..." or '...' with escapes, `...` raw). */
export function readQuoted(s: string, i: number): { value: string; end: number } {
  const q = s[i];
  if (q !== '"' && q !== "'" && q !== '`') throw new DescError(`expected quoted string at column ${i + 1} in ${JSON.stringify(s)}`);
  let j = i + 1;
  if (q === '`') {
    const e = s.indexOf('`', j);
    if (e < 0) throw new DescError('unterminated raw string');
    return { value: s.slice(j, e), end: e + 1 };
  }
  let out = '';
  while (j < s.length && s[j] !== q) {
    const c = s[j];
    if (c !== '\\') {
      out += c;
      j++;
      continue;
    }
    const e = s[j + 1];
    j += 2;
    switch (e) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case "'": out += "'"; break;
      case 'x': out += String.fromCharCode(parseInt(s.slice(j, j + 2), 16)); j += 2; break;
      case 'u': out += String.fromCodePoint(parseInt(s.slice(j, j + 4), 16)); j += 4; break;
      case 'U': out += String.fromCodePoint(parseInt(s.slice(j, j + 8), 16)); j += 8; break;
      default:
        if (e >= '0' && e <= '7') {
          out += String.fromCharCode(parseInt(s.slice(j - 1, j + 2), 8));
          j += 2;
        } else throw new DescError(`invalid escape \\${e}`);
    }
  }
  if (j >= s.length) throw new DescError('unterminated string');
  return { value: out, end: j + 1 };
}
