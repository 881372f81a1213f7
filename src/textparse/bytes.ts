/** Byte-level helpers shared by the parsers: character classes and number parsing. */

export const NL = 0x0a;
export const SP = 0x20;
export const TAB = 0x09;
export const QUOTE = 0x22;
export const HASH = 0x23;
export const COMMA = 0x2c;
export const EQ = 0x3d;
export const BACKSLASH = 0x5c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;

const METRIC_START = 1;
const METRIC_CHAR = 2;
const LABEL_START = 4;
const LABEL_CHAR = 8;

const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  const digit = c >= 0x30 && c <= 0x39;
  let k = 0;
  if (alpha || c === 0x5f) k |= METRIC_START | METRIC_CHAR | LABEL_START | LABEL_CHAR;
  if (digit) k |= METRIC_CHAR | LABEL_CHAR;
  if (c === 0x3a) k |= METRIC_START | METRIC_CHAR;
  CLASS[c] = k;
}

export const isMetricStart = (c: number): boolean => (CLASS[c] & METRIC_START) !== 0;
export const isMetricChar = (c: number): boolean => (CLASS[c] & METRIC_CHAR) !== 0;
export const isLabelStart = (c: number): boolean => (CLASS[c] & LABEL_START) !== 0;
export const isLabelChar = (c: number): boolean => (CLASS[c] & LABEL_CHAR) !== 0;

/** Why the last parseNumber/parseIntTimestamp call failed; 0 when it succeeded. */
export const NUM_OK = 0;
export const NUM_SYNTAX = 1;
export const NUM_RANGE = 2;
export let numError = NUM_OK;

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MAX_EXACT = 2 ** 53;

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

function matchWord(b: Uint8Array, i: number, end: number, word: string): boolean {
  if (end - i !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (lower(b[i + k]) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * Parses a float with the syntax Prometheus accepts (Go's decimal ParseFloat without hex
 * or underscores): `[+-]digits[.digits][e[+-]digits]`, `[+-]inf`, `[+-]infinity`, `nan`,
 * case-insensitive. With `specials` false only real numbers are accepted (timestamps).
 * Sets `numError`; the common short decimals are converted without making a string
 * (exact: mantissa below 2^53 and a power of ten up to 1e22 give one correctly rounded
 * IEEE operation).
 */
export function parseNumber(b: Uint8Array, start: number, end: number, specials: boolean): number {
  numError = NUM_OK;
  let i = start;
  if (i >= end) return fail(NUM_SYNTAX);
  let neg = false;
  let c = b[i];
  if (c === 0x2b || c === 0x2d) {
    neg = c === 0x2d;
    i++;
    if (i >= end) return fail(NUM_SYNTAX);
    c = b[i];
  }
  const lc = lower(c);
  if (lc === 0x69 || lc === 0x6e) {
    if (!specials) return fail(NUM_SYNTAX);
    if (lc === 0x69 && (matchWord(b, i, end, 'inf') || matchWord(b, i, end, 'infinity'))) {
      return neg ? -Infinity : Infinity;
    }
    if (lc === 0x6e && i === start && matchWord(b, i, end, 'nan')) return NaN;
    return fail(NUM_SYNTAX);
  }
  let mant = 0;
  let exact = true;
  let digits = 0;
  let exp10 = 0;
  while (i < end && (c = b[i]) >= 0x30 && c <= 0x39) {
    const m = mant * 10 + (c - 0x30);
    if (m <= MAX_EXACT) mant = m;
    else {
      exact = false;
      exp10++;
    }
    digits++;
    i++;
  }
  if (i < end && b[i] === 0x2e) {
    i++;
    while (i < end && (c = b[i]) >= 0x30 && c <= 0x39) {
      const m = mant * 10 + (c - 0x30);
      if (m <= MAX_EXACT && exact) {
        mant = m;
        exp10--;
      } else exact = false;
      digits++;
      i++;
    }
  }
  if (digits === 0) return fail(NUM_SYNTAX);
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    let eneg = false;
    if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) {
      eneg = b[i] === 0x2d;
      i++;
    }
    let e = 0;
    let ed = 0;
    while (i < end && (c = b[i]) >= 0x30 && c <= 0x39) {
      if (e < 100000) e = e * 10 + (c - 0x30);
      ed++;
      i++;
    }
    if (ed === 0) return fail(NUM_SYNTAX);
    exp10 += eneg ? -e : e;
  }
  if (i !== end) return fail(NUM_SYNTAX);
  let v: number;
  if (exact && exp10 >= -22 && exp10 <= 22) {
    v = exp10 >= 0 ? mant * POW10[exp10] : mant / POW10[-exp10];
    if (neg) v = -v;
  } else {
    // Rare long or huge literals: the syntax is already checked and JS accepts the same forms.
    v = Number(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1'));
  }
  if (v === Infinity || v === -Infinity) return fail(NUM_RANGE);
  return v;
}

function fail(code: number): number {
  numError = code;
  return 0;
}

const INT64_MAX = 9223372036854775807;

/** Parses a decimal int64 (`[+-]digits`), as the text format's millisecond timestamps. */
export function parseIntTimestamp(b: Uint8Array, start: number, end: number): number {
  numError = NUM_OK;
  let i = start;
  let neg = false;
  if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) {
    neg = b[i] === 0x2d;
    i++;
  }
  if (i >= end) return fail(NUM_SYNTAX);
  let v = 0;
  for (; i < end; i++) {
    const c = b[i];
    if (c < 0x30 || c > 0x39) return fail(NUM_SYNTAX);
    v = v * 10 + (c - 0x30);
  }
  if (v > INT64_MAX) return fail(NUM_RANGE);
  return neg ? -v : v;
}

/** Undoes `\\`, `\"` and `\n` escapes; other backslashes stay, as Prometheus keeps them. */
export function unescapeLabelValue(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length - 1; i++) {
    if (s.charCodeAt(i) !== BACKSLASH) continue;
    const n = s.charCodeAt(i + 1);
    const rep = n === BACKSLASH ? '\\' : n === QUOTE ? '"' : n === 0x6e ? '\n' : undefined;
    if (rep === undefined) continue;
    out += s.substring(from, i) + rep;
    i++;
    from = i + 1;
  }
  return out + s.substring(from);
}

/** The text format's HELP escapes: only `\\` and `\n`. */
export function unescapeHelp(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length - 1; i++) {
    if (s.charCodeAt(i) !== BACKSLASH) continue;
    const n = s.charCodeAt(i + 1);
    const rep = n === BACKSLASH ? '\\' : n === 0x6e ? '\n' : undefined;
    if (rep === undefined) continue;
    out += s.substring(from, i) + rep;
    i++;
    from = i + 1;
  }
  return out + s.substring(from);
}
