/**
 * String literal helpers with Go semantics: unquoting PromQL strings and quoting like Go's
 * strconv.Quote (used by the printer and for error messages).
 *
 * Go strings are byte strings, so `"\xff"` is a valid PromQL string holding one invalid UTF-8
 * byte. JS strings cannot hold raw bytes; we map each byte that is not part of valid UTF-8 to the
 * lone surrogate U+DC00+byte ("surrogate escape"). Such strings fail `isWellFormed()`, which lets
 * the engine reject them as label names or values just as Prometheus rejects invalid UTF-8, and
 * quoteGo() prints them back as `\xHH`.
 */

export class UnquoteError extends Error {}

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
};

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return 16;
}

/** Decodes UTF-8 bytes, mapping bytes of invalid sequences to U+DC00+byte. */
export function decodeUtf8Escaped(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    let need = 0;
    let cp = 0;
    let min = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      min = 0x10000;
    }
    let ok = need > 0 && i + need < bytes.length;
    if (ok) {
      for (let k = 1; k <= need; k++) {
        const b = bytes[i + k]!;
        if ((b & 0xc0) !== 0x80) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (b & 0x3f);
      }
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))) ok = false;
    if (!ok) {
      out += String.fromCharCode(0xdc00 + b0);
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * Unquotes a PromQL string literal (including its quotes): `"..."` and `'...'` with Go escapes,
 * or a raw `` `...` `` string. Throws UnquoteError for malformed input.
 */
export function unquote(s: string): string {
  const q = s[0];
  if (s.length < 2 || s[s.length - 1] !== q) throw new UnquoteError('invalid syntax');
  const body = s.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new UnquoteError('invalid syntax');
    return body;
  }
  if (q !== '"' && q !== "'") throw new UnquoteError('invalid syntax');
  if (!body.includes('\\')) {
    if (body.includes(q) || body.includes('\n')) throw new UnquoteError('invalid syntax');
    return body;
  }
  // Escapes may produce raw bytes (\x, octal), so build UTF-8 bytes and decode once at the end.
  const bytes: number[] = [];
  const pushString = (str: string): void => {
    for (const b of encoder.encode(str)) bytes.push(b);
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === q || c === '\n') throw new UnquoteError('invalid syntax');
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      pushString(body.slice(i, i + len));
      i += len;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) throw new UnquoteError('invalid syntax');
    if (e in SIMPLE_ESCAPES) {
      if ((e === "'" || e === '"') && e !== q) throw new UnquoteError('invalid syntax');
      bytes.push(SIMPLE_ESCAPES[e]!);
      i += 2;
      continue;
    }
    if (e >= '0' && e <= '7') {
      let v = 0;
      for (let k = 1; k <= 3; k++) {
        const d = body.charCodeAt(i + k) - 0x30;
        if (!(d >= 0 && d <= 7)) throw new UnquoteError('invalid syntax');
        v = v * 8 + d;
      }
      if (v > 255) throw new UnquoteError('invalid syntax');
      bytes.push(v);
      i += 4;
      continue;
    }
    const n = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (n === 0) throw new UnquoteError('invalid syntax');
    let v = 0;
    for (let k = 2; k < 2 + n; k++) {
      const d = hexVal(body.charCodeAt(i + k));
      if (d >= 16) throw new UnquoteError('invalid syntax');
      v = v * 16 + d;
    }
    if (e === 'x') bytes.push(v);
    else {
      if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new UnquoteError('invalid syntax');
      pushString(String.fromCodePoint(v));
    }
    i += 2 + n;
  }
  return decodeUtf8Escaped(Uint8Array.from(bytes));
}

/** False when the string holds a lone surrogate, i.e. came from bytes that are not UTF-8. */
export function isWellFormed(s: string): boolean {
  // With the u flag, paired surrogates form one code point and only lone ones are \p{Cs}.
  return !/\p{Cs}/u.test(s);
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const HEX = '0123456789abcdef';

function hex(v: number, width: number): string {
  let s = '';
  for (let i = width - 1; i >= 0; i--) s += HEX[(v >>> (i * 4)) & 0xf];
  return s;
}

function escapeRune(cp: number, quote: number): string {
  if (cp === quote || cp === 0x5c) return '\\' + String.fromCharCode(cp);
  if (cp < 0x80 && cp >= 0x20 && cp !== 0x7f) return String.fromCharCode(cp);
  switch (cp) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  // Lone surrogates stand for raw invalid bytes (see the module comment).
  if (cp >= 0xdc80 && cp <= 0xdcff) return '\\x' + hex(cp - 0xdc00, 2);
  if (cp >= 0xd800 && cp < 0xe000) return '\\ufffd';
  const ch = String.fromCodePoint(cp);
  if (PRINTABLE.test(ch)) return ch;
  if (cp < 0x20 || cp === 0x7f) return '\\x' + hex(cp, 2);
  if (cp < 0x10000) return '\\u' + hex(cp, 4);
  return '\\U' + hex(cp, 8);
}

/** Quotes a string the way Go's strconv.Quote does. */
export function quoteGo(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    out += escapeRune(cp, 0x22);
    i += cp > 0xffff ? 2 : 1;
  }
  return out + '"';
}

/** Quotes one code point like Go's %q verb for a rune: 'x', '\n', '\''. */
export function quoteRuneGo(cp: number): string {
  return "'" + escapeRune(cp, 0x27) + "'";
}

/** Go's %#U verb: `U+0063 'c'` for printable runes, `U+000A` otherwise. */
export function formatRuneU(cp: number): string {
  const code = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  const ch = cp >= 0xd800 && cp < 0xe000 ? '' : String.fromCodePoint(cp);
  return ch !== '' && PRINTABLE.test(ch) ? `${code} '${ch}'` : code;
}
