/**
 * PromQL lexer. It is pulled token by token by the parser and keeps the same lexical state as
 * Prometheus's lexer: inside `{...}` every word is an identifier, inside `[...]` only duration
 * expressions are allowed, and unbalanced brackets are reported by the lexer itself.
 */
import { formatRuneU, quoteGo, quoteRuneGo } from './strings.js';

export type TokenType =
  | 'EOF'
  | 'ERROR'
  | 'COMMENT'
  | 'IDENTIFIER'
  | 'METRIC_IDENTIFIER'
  | 'STRING'
  | 'NUMBER'
  | 'DURATION'
  | 'LEFT_PAREN'
  | 'RIGHT_PAREN'
  | 'LEFT_BRACE'
  | 'RIGHT_BRACE'
  | 'LEFT_BRACKET'
  | 'RIGHT_BRACKET'
  | 'COMMA'
  | 'EQL'
  | 'COLON'
  // Operators.
  | 'ADD'
  | 'SUB'
  | 'MUL'
  | 'DIV'
  | 'MOD'
  | 'POW'
  | 'EQLC'
  | 'NEQ'
  | 'LTE'
  | 'LSS'
  | 'GTE'
  | 'GTR'
  | 'TRIM_UPPER'
  | 'TRIM_LOWER'
  | 'EQL_REGEX'
  | 'NEQ_REGEX'
  | 'AT'
  | 'LAND'
  | 'LOR'
  | 'LUNLESS'
  | 'ATAN2'
  // Aggregators.
  | 'AGGREGATOR'
  // Keywords.
  | 'OFFSET'
  | 'SMOOTHED'
  | 'ANCHORED'
  | 'BY'
  | 'WITHOUT'
  | 'ON'
  | 'IGNORING'
  | 'GROUP_LEFT'
  | 'GROUP_RIGHT'
  | 'FILL'
  | 'FILL_LEFT'
  | 'FILL_RIGHT'
  | 'BOOL'
  // Preprocessors and duration functions.
  | 'START'
  | 'END'
  | 'STEP'
  | 'RANGE';

export interface Token {
  type: TokenType;
  /** Source text of the token (for ERROR tokens: the error message). */
  val: string;
  /** Start offset in the query. */
  pos: number;
  /** End offset (exclusive). For ERROR tokens, where the lexer stopped. */
  end: number;
}

const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['and', 'LAND'],
  ['or', 'LOR'],
  ['unless', 'LUNLESS'],
  ['atan2', 'ATAN2'],
  ['sum', 'AGGREGATOR'],
  ['avg', 'AGGREGATOR'],
  ['count', 'AGGREGATOR'],
  ['min', 'AGGREGATOR'],
  ['max', 'AGGREGATOR'],
  ['group', 'AGGREGATOR'],
  ['stddev', 'AGGREGATOR'],
  ['stdvar', 'AGGREGATOR'],
  ['topk', 'AGGREGATOR'],
  ['bottomk', 'AGGREGATOR'],
  ['count_values', 'AGGREGATOR'],
  ['quantile', 'AGGREGATOR'],
  ['limitk', 'AGGREGATOR'],
  ['limit_ratio', 'AGGREGATOR'],
  ['offset', 'OFFSET'],
  ['smoothed', 'SMOOTHED'],
  ['anchored', 'ANCHORED'],
  ['by', 'BY'],
  ['without', 'WITHOUT'],
  ['on', 'ON'],
  ['ignoring', 'IGNORING'],
  ['group_left', 'GROUP_LEFT'],
  ['group_right', 'GROUP_RIGHT'],
  ['fill', 'FILL'],
  ['fill_left', 'FILL_LEFT'],
  ['fill_right', 'FILL_RIGHT'],
  ['bool', 'BOOL'],
  ['start', 'START'],
  ['end', 'END'],
  ['step', 'STEP'],
  ['range', 'RANGE'],
  // Special float values are numbers, whatever their case.
  ['inf', 'NUMBER'],
  ['nan', 'NUMBER'],
]);

const OPERATORS: ReadonlySet<TokenType> = new Set<TokenType>([
  'ADD', 'SUB', 'MUL', 'DIV', 'MOD', 'POW', 'EQLC', 'NEQ', 'LTE', 'LSS', 'GTE', 'GTR',
  'TRIM_UPPER', 'TRIM_LOWER', 'EQL_REGEX', 'NEQ_REGEX', 'AT', 'LAND', 'LOR', 'LUNLESS', 'ATAN2',
]);

const KEYWORD_TYPES: ReadonlySet<TokenType> = new Set<TokenType>([
  'OFFSET', 'SMOOTHED', 'ANCHORED', 'BY', 'WITHOUT', 'ON', 'IGNORING', 'GROUP_LEFT',
  'GROUP_RIGHT', 'FILL', 'FILL_LEFT', 'FILL_RIGHT', 'BOOL',
]);

const PUNCTUATION: ReadonlySet<TokenType> = new Set<TokenType>([
  'LEFT_PAREN', 'RIGHT_PAREN', 'LEFT_BRACE', 'RIGHT_BRACE', 'LEFT_BRACKET', 'RIGHT_BRACKET',
  'COMMA', 'EQL', 'COLON', 'START', 'END', 'STEP', 'RANGE',
]);

const TYPE_DESC: Partial<Record<TokenType, string>> = {
  IDENTIFIER: 'identifier',
  METRIC_IDENTIFIER: 'metric identifier',
  STRING: 'string',
  NUMBER: 'number',
  DURATION: 'duration',
  COMMENT: 'comment',
};

/** Go's `%.10q` followed by `...`: the first 10 characters, quoted. */
function truncatedQuote(s: string): string {
  return quoteGo(Array.from(s).slice(0, 10).join('')) + '...';
}

/** How Prometheus names a token in "unexpected ..." messages. */
export function describeToken(t: Token): string {
  if (t.type === 'EOF') return 'end of input';
  if (OPERATORS.has(t.type)) return `<op:${t.val}>`;
  if (t.type === 'AGGREGATOR') return `<aggr:${t.val}>`;
  if (KEYWORD_TYPES.has(t.type)) return `<${t.val}>`;
  if (PUNCTUATION.has(t.type)) return t.val.length > 10 ? truncatedQuote(t.val) : quoteGo(t.val);
  const prefix = TYPE_DESC[t.type] ?? 'error';
  if (t.type === 'IDENTIFIER' || t.type === 'METRIC_IDENTIFIER' || t.val.length <= 10) {
    return `${prefix} ${quoteGo(t.val)}`;
  }
  return `${prefix} ${truncatedQuote(t.val)}`;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isAlpha(c: number): boolean {
  return c === 0x5f || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}
function isAlphaNumeric(c: number): boolean {
  return isAlpha(c) || isDigit(c);
}
function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Characters that may start a duration unit. */
const UNIT_START = 'smhdwy';

export class Lexer {
  private pos = 0;
  private parenDepth = 0;
  private braceOpen = false;
  private bracketOpen = false;
  private gotColon = false;
  /**
   * Whether a number was read since `[`. Prometheus's lexer reports some errors inside brackets
   * differently before and after the first number; we keep its wording.
   */
  private bracketNumberSeen = false;
  private done = false;

  constructor(readonly input: string) {}

  private code(i: number): number {
    return i < this.input.length ? this.input.charCodeAt(i) : -1;
  }

  private tok(type: TokenType, start: number): Token {
    return { type, val: this.input.slice(start, this.pos), pos: start, end: this.pos };
  }

  private error(msg: string, start: number): Token {
    this.done = true;
    return { type: 'ERROR', val: msg, pos: start, end: this.input.length };
  }

  /** The rune at i as a code point, for error messages. */
  private runeAt(i: number): number {
    return this.input.codePointAt(i) ?? -1;
  }

  private runeWidth(i: number): number {
    const cp = this.input.codePointAt(i);
    return cp !== undefined && cp > 0xffff ? 2 : 1;
  }

  next(): Token {
    if (this.done) return { type: 'EOF', val: '', pos: this.input.length, end: this.input.length };
    for (;;) {
      const t = this.braceOpen
        ? this.lexInsideBraces()
        : this.bracketOpen
          ? this.lexInsideBrackets()
          : this.lexStatement();
      if (t !== null) {
        if (t.type === 'EOF') this.done = true;
        return t;
      }
    }
  }

  private skipSpaces(): void {
    while (isSpace(this.code(this.pos))) this.pos++;
  }

  private lexComment(start: number): Token {
    while (this.pos < this.input.length) {
      const c = this.code(this.pos);
      if (c === 0x0a || c === 0x0d) break;
      this.pos++;
    }
    return this.tok('COMMENT', start);
  }

  /** Returns null after skipping whitespace. */
  private lexStatement(): Token | null {
    const start = this.pos;
    const c = this.code(this.pos);
    if (c === -1) {
      if (this.parenDepth !== 0) return this.error('unclosed left parenthesis', start);
      return this.tok('EOF', start);
    }
    if (isSpace(c)) {
      this.skipSpaces();
      return null;
    }
    this.pos++;
    switch (c) {
      case 0x23: // #
        return this.lexComment(start);
      case 0x2c:
        return this.tok('COMMA', start);
      case 0x2a:
        return this.tok('MUL', start);
      case 0x2f:
        return this.tok('DIV', start);
      case 0x25:
        return this.tok('MOD', start);
      case 0x2b:
        return this.tok('ADD', start);
      case 0x2d:
        return this.tok('SUB', start);
      case 0x5e:
        return this.tok('POW', start);
      case 0x40:
        return this.tok('AT', start);
      case 0x3d: {
        // =
        const n = this.code(this.pos);
        if (n === 0x3d) {
          this.pos++;
          return this.tok('EQLC', start);
        }
        if (n === 0x7e) return this.error(`unexpected character after '=': ${quoteRuneGo(n)}`, start);
        return this.tok('EQL', start);
      }
      case 0x21: {
        // !
        const n = this.runeAt(this.pos);
        if (n !== 0x3d) return this.error(`unexpected character after '!': ${quoteRuneGo(n === -1 ? 0xfffd : n)}`, start);
        this.pos++;
        return this.tok('NEQ', start);
      }
      case 0x3c: // <
      case 0x3e: {
        // >
        const n = this.code(this.pos);
        if (n === 0x3d || n === 0x2f) this.pos++;
        if (n === 0x3d) return this.tok(c === 0x3c ? 'LTE' : 'GTE', start);
        if (n === 0x2f) return this.tok(c === 0x3c ? 'TRIM_UPPER' : 'TRIM_LOWER', start);
        return this.tok(c === 0x3c ? 'LSS' : 'GTR', start);
      }
      case 0x22:
      case 0x27:
        return this.lexString(start, c);
      case 0x60:
        return this.lexRawString(start);
      case 0x28:
        this.parenDepth++;
        return this.tok('LEFT_PAREN', start);
      case 0x29:
        this.parenDepth--;
        if (this.parenDepth < 0) return this.error("unexpected right parenthesis ')'", this.pos);
        return this.tok('RIGHT_PAREN', start);
      case 0x7b:
        this.braceOpen = true;
        return this.tok('LEFT_BRACE', start);
      case 0x5b:
        this.bracketOpen = true;
        this.gotColon = false;
        this.bracketNumberSeen = false;
        return this.tok('LEFT_BRACKET', start);
      case 0x5d:
        return this.error("unexpected right bracket ']'", start);
    }
    if (isDigit(c) || (c === 0x2e && isDigit(this.code(this.pos)))) {
      this.pos = start;
      return this.lexNumberOrDuration(start);
    }
    if (isAlpha(c) || c === 0x3a) {
      this.pos = start;
      return this.lexKeywordOrIdentifier(start);
    }
    this.pos = start + this.runeWidth(start);
    return this.error(`unexpected character: ${quoteRuneGo(this.runeAt(start))}`, start);
  }

  private lexInsideBraces(): Token | null {
    const start = this.pos;
    const c = this.code(this.pos);
    if (c === -1) return this.error('unexpected end of input inside braces', start);
    if (isSpace(c)) {
      this.skipSpaces();
      return null;
    }
    this.pos++;
    switch (c) {
      case 0x23:
        return this.lexComment(start);
      case 0x2c:
        return this.tok('COMMA', start);
      case 0x22:
      case 0x27:
        return this.lexString(start, c);
      case 0x60:
        return this.lexRawString(start);
      case 0x3d:
        if (this.code(this.pos) === 0x7e) {
          this.pos++;
          return this.tok('EQL_REGEX', start);
        }
        return this.tok('EQL', start);
      case 0x21: {
        const n = this.runeAt(this.pos);
        if (n === 0x7e || n === 0x3d) {
          this.pos++;
          return this.tok(n === 0x7e ? 'NEQ_REGEX' : 'NEQ', start);
        }
        return this.error(
          // Go prints the end of input as the replacement character here.
          `unexpected character after '!' inside braces: ${quoteRuneGo(n === -1 ? 0xfffd : n)}`,
          start,
        );
      }
      case 0x7b:
        return this.error("unexpected left brace '{'", start);
      case 0x7d:
        this.braceOpen = false;
        return this.tok('RIGHT_BRACE', start);
    }
    if (isAlpha(c)) {
      while (isAlphaNumeric(this.code(this.pos))) this.pos++;
      return this.tok('IDENTIFIER', start);
    }
    return this.error(`unexpected character inside braces: ${quoteRuneGo(this.runeAt(start))}`, start);
  }

  /** Inside `[...]`: numbers, durations, arithmetic, `:` and the duration functions. */
  private lexInsideBrackets(): Token | null {
    const start = this.pos;
    const c = this.code(this.pos);
    if (c === -1) {
      if (this.bracketNumberSeen) return this.error('unclosed left bracket', start);
      return this.error('unexpected end of input in duration expression', start);
    }
    if (isSpace(c)) {
      this.skipSpaces();
      return null;
    }
    this.pos++;
    switch (c) {
      case 0x5d:
        this.bracketOpen = false;
        return this.tok('RIGHT_BRACKET', start);
      case 0x3a:
        if (this.gotColon) {
          if (this.bracketNumberSeen) return this.error("unexpected colon ':'", start);
          return this.error('unexpected repeated colon in duration expression', start);
        }
        this.gotColon = true;
        return this.tok('COLON', start);
      case 0x28:
        this.parenDepth++;
        return this.tok('LEFT_PAREN', start);
      case 0x29:
        this.parenDepth--;
        if (this.parenDepth < 0) return this.error("unexpected right parenthesis ')'", this.pos);
        return this.tok('RIGHT_PAREN', start);
      case 0x2b:
        return this.tok('ADD', start);
      case 0x2d:
        return this.tok('SUB', start);
      case 0x2a:
        return this.tok('MUL', start);
      case 0x2f:
        return this.tok('DIV', start);
      case 0x25:
        return this.tok('MOD', start);
      case 0x5e:
        return this.tok('POW', start);
      case 0x2c:
        return this.tok('COMMA', start);
      case 0x5b:
        return this.error("unexpected left bracket '['", start);
    }
    if (isDigit(c) || (c === 0x2e && isDigit(this.code(this.pos)))) {
      this.pos = start;
      this.bracketNumberSeen = true;
      return this.lexNumberOrDuration(start);
    }
    if (isAlpha(c)) {
      while (isAlphaNumeric(this.code(this.pos))) this.pos++;
      const word = this.input.slice(start, this.pos).toLowerCase();
      if (word === 'step') return this.tok('STEP', start);
      if (word === 'range') return this.tok('RANGE', start);
      if (word === 'min_of' || word === 'max_of') return this.tok('IDENTIFIER', start);
      if (this.bracketNumberSeen) {
        this.pos = start + 1;
        return this.error(`unexpected character: ${quoteRuneGo(c)}, expected ':'`, start);
      }
    }
    this.pos = start + this.runeWidth(start);
    return this.error(
      `unexpected character in duration expression: ${quoteRuneGo(this.runeAt(start))}`,
      start,
    );
  }

  private lexKeywordOrIdentifier(start: number): Token {
    let hasColon = false;
    for (;;) {
      const c = this.code(this.pos);
      if (isAlphaNumeric(c)) this.pos++;
      else if (c === 0x3a) {
        hasColon = true;
        this.pos++;
      } else break;
    }
    const word = this.input.slice(start, this.pos);
    // Keywords are case-insensitive; most queries write them in lower case.
    const kw = KEYWORDS.get(word) ?? (/[A-Z]/.test(word) ? KEYWORDS.get(word.toLowerCase()) : undefined);
    if (kw !== undefined) {
      // fill modifiers are keywords only before "(" so that metrics may still be called "fill".
      if ((kw === 'FILL' || kw === 'FILL_LEFT' || kw === 'FILL_RIGHT') && !this.followedByLeftParen()) {
        return this.tok('IDENTIFIER', start);
      }
      return this.tok(kw, start);
    }
    return this.tok(hasColon ? 'METRIC_IDENTIFIER' : 'IDENTIFIER', start);
  }

  private followedByLeftParen(): boolean {
    let i = this.pos;
    while (isSpace(this.code(i))) i++;
    return this.code(i) === 0x28;
  }

  private lexString(start: number, quote: number): Token {
    for (;;) {
      const c = this.code(this.pos);
      if (c === -1 || c === 0x0a) return this.error('unterminated quoted string', start);
      if (!this.skipRune()) return this.error('invalid UTF-8 rune', start);
      if (c === quote) return this.tok('STRING', start);
      if (c === 0x5c) {
        const err = this.lexEscape(quote);
        if (err !== null) return this.error(err, start);
      }
    }
  }

  /**
   * Advances over one character; false for U+FFFD or a lone surrogate, which is what invalid
   * UTF-8 in the original query turns into.
   */
  private skipRune(): boolean {
    const c = this.code(this.pos);
    if (c >= 0xd800 && c < 0xdc00) {
      const lo = this.code(this.pos + 1);
      if (lo < 0xdc00 || lo >= 0xe000) return false;
      this.pos += 2;
      return true;
    }
    this.pos++;
    return c !== 0xfffd && !(c >= 0xdc00 && c < 0xe000);
  }

  /** Validates one escape sequence after a backslash; returns an error message or null. */
  private lexEscape(quote: number): string | null {
    const c = this.code(this.pos);
    if (c === -1) return 'escape sequence not terminated';
    const simple = 'abfnrtv\\';
    if (simple.includes(String.fromCharCode(c)) || c === quote) {
      this.pos++;
      return null;
    }
    let n: number;
    let base: number;
    let max: number;
    if (c >= 0x30 && c <= 0x37) {
      n = 3;
      base = 8;
      max = 255;
    } else if (c === 0x78 || c === 0x75 || c === 0x55) {
      this.pos++;
      n = c === 0x78 ? 2 : c === 0x75 ? 4 : 8;
      base = 16;
      max = c === 0x78 ? 255 : 0x10ffff;
    } else {
      return `unknown escape sequence ${formatRuneU(this.runeAt(this.pos))}`;
    }
    let x = 0;
    for (; n > 0; n--) {
      const d = this.code(this.pos);
      if (d === -1) return 'escape sequence not terminated';
      const v = base === 8 ? (d >= 0x30 && d <= 0x37 ? d - 0x30 : 99) : isHexDigit(d) ? parseInt(String.fromCharCode(d), 16) : 99;
      if (v >= base) return `illegal character ${formatRuneU(this.runeAt(this.pos))} in escape sequence`;
      x = x * base + v;
      this.pos++;
    }
    if (x > max || (x >= 0xd800 && x < 0xe000 && base === 16 && max > 255)) {
      return 'escape sequence is an invalid Unicode code point';
    }
    return null;
  }

  private lexRawString(start: number): Token {
    for (;;) {
      const c = this.code(this.pos);
      if (c === -1) return this.error('unterminated raw string', start);
      if (!this.skipRune()) return this.error('invalid UTF-8 rune', start);
      if (c === 0x60) return this.tok('STRING', start);
    }
  }

  private lexNumberOrDuration(start: number): Token {
    if (this.scanNumber()) return this.tok('NUMBER', start);
    if (this.acceptRemainingDuration()) {
      this.pos--;
      return this.tok('DURATION', start);
    }
    return this.error(`bad number or duration syntax: ${quoteGo(this.input.slice(start, this.pos))}`, start);
  }

  /** Consumes the next character if `chars` contains it (chars are ASCII). */
  private accept(chars: string): boolean {
    if (this.is(chars)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private is(chars: string): boolean {
    const c = this.code(this.pos);
    if (c < 0 || c > 0x7f) return false;
    for (let i = 0; i < chars.length; i++) if (chars.charCodeAt(i) === c) return true;
    return false;
  }

  /**
   * After the digits of a number, tries to read duration units (`5m`, `1h30m`, `10s53ms`). Only
   * the shape is checked here; parseDuration rejects bad unit orders. Leaves pos one past the
   * first character that is not part of the duration.
   */
  private acceptRemainingDuration(): boolean {
    if (!this.accept(UNIT_START)) return false;
    this.accept('s');
    while (this.accept('0123456789')) {
      while (this.accept('0123456789'));
      if (!this.accept('smhdw')) return false;
      this.accept('s');
    }
    const c = this.code(this.pos);
    this.pos++;
    return !isAlphaNumeric(c);
  }

  /**
   * Scans decimal, hexadecimal and octal integers and decimal floats with optional exponents and
   * `_` digit separators. Returns false (with pos after the offending character) when the text is
   * not a well-formed number or is directly followed by a letter or digit.
   */
  private scanNumber(): boolean {
    const initial = this.pos;
    let digits = '0123456789';
    if (this.accept('0') && this.accept('xX')) {
      this.accept('_');
      digits = '0123456789abcdefABCDEF';
    }
    this.accept('.');
    this.accept(digits);
    let dot = false;
    let exponent = false;
    while (this.is(digits + '._eE')) {
      if (this.is('.') && dot) {
        this.pos++;
        return false;
      }
      if (this.is('eE') && exponent && digits.length === 10) {
        this.pos++;
        return false;
      }
      if (this.accept('.')) {
        dot = true;
        if (this.accept('_.')) return false;
        if (digits.length > 10) return false;
        continue;
      }
      if (digits.length === 10 && this.accept('eE')) {
        exponent = true;
        this.accept('+-');
        if (this.accept('._eE') || this.pos >= this.input.length) return false;
        continue;
      }
      if (this.accept('_')) {
        if (this.accept('._eE') || this.pos >= this.input.length) return false;
        continue;
      }
      while (this.accept(digits));
    }
    if (this.pos === initial) return false;
    return !isAlphaNumeric(this.code(this.pos));
  }
}
