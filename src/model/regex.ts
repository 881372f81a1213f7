/**
 * Prometheus regular expressions are Go RE2 syntax, fully anchored, with `.` matching
 * newlines (Prometheus wraps them as `^(?s:...)$`). JS RegExp differs in both directions,
 * so this module translates RE2 into an equivalent JS RegExp (always in `u` mode) and
 * rejects what RE2 rejects (lookarounds, backreferences, atomic groups, bad escapes,
 * repeat counts over 1000) instead of silently accepting JS-only constructs.
 */

export class RegexSyntaxError extends Error {
  /** `reason` names the offending fragment in backquotes, or else the whole pattern is quoted, as Go does. */
  constructor(pattern: string, reason: string) {
    super(`error parsing regexp: ${reason.includes('`') ? reason : `${reason}: \`${pattern}\``}`);
    this.name = 'RegexSyntaxError';
  }
}

/**
 * Compiles a Prometheus regex into an anchored JS RegExp; throws RegexSyntaxError. The anchored
 * form is translated, not the bare one, so errors quote what Go's compiler saw (`^(?s:(bad)$`).
 */
export function compileAnchoredRegex(src: string): RegExp {
  const anchored = `^(?s:${src})$`;
  const body = translateRe2(anchored);
  try {
    return new RegExp(body, 'su');
  } catch (e) {
    throw new RegexSyntaxError(anchored, (e as Error).message);
  }
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const MAX_REPEAT = 1000;

// RE2's \s is ASCII whitespace without \v; JS's \s is Unicode-wide.
const PERL_CLASSES: Record<string, string> = {
  d: '0-9',
  s: '\\t\\n\\f\\r ',
  w: '0-9A-Za-z_',
};

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

// Single-letter and two-letter Unicode general categories RE2 knows.
const GENERAL_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn',
  'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk',
  'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
]);

const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/'.split(''));

/** A code point as a JS `u`-mode escape usable both inside and outside a class. */
function cp(c: number): string {
  return `\\u{${c.toString(16)}}`;
}

function literalChar(ch: string, fold: boolean): string {
  const c = ch.codePointAt(0)!;
  if (fold) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lo !== up && [...lo].length === 1 && [...up].length === 1) return `[${cp(lo.codePointAt(0)!)}${cp(up.codePointAt(0)!)}]`;
  }
  if (SYNTAX_CHARS.has(ch)) return '\\' + ch;
  if (c < 0x20 || c === 0x7f) return cp(c);
  return ch;
}

/** Translates RE2 syntax into the body of a JS `u`-mode RegExp. */
export function translateRe2(src: string): string {
  const t = new Translator(src);
  return t.run();
}

class Translator {
  private pos = 0;
  private out = '';
  private readonly flagStack: Flags[] = [];
  private flags: Flags = { i: false, m: false, s: true, U: false };
  /** Whether the last emitted item can take a quantifier. */
  private repeatable = false;
  /** Whether the last emitted item was itself a quantifier (RE2 rejects `a**`). */
  private lastWasRepeat = false;
  /** Where the last quantifier began, for the nested-repetition error's fragment. */
  private repeatStart = 0;
  private readonly groupNames = new Set<string>();

  constructor(private readonly src: string) {}

  private fail(reason: string): never {
    throw new RegexSyntaxError(this.src, reason);
  }

  run(): string {
    const s = this.src;
    while (this.pos < s.length) {
      const ch = s[this.pos];
      switch (ch) {
        case '(':
          this.openGroup();
          break;
        case ')':
          if (this.flagStack.length === 0) this.fail('unexpected )');
          this.flags = this.flagStack.pop()!;
          this.out += ')';
          this.pos++;
          this.item();
          break;
        case '|':
          this.out += '|';
          this.pos++;
          this.noItem();
          break;
        case '[':
          this.charClass();
          this.item();
          break;
        case '*':
        case '+':
        case '?':
          this.quantifier(ch);
          break;
        case '{': {
          const rep = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.pos));
          if (rep) this.repeatCount(rep);
          else {
            this.out += '\\{';
            this.pos++;
            this.item();
          }
          break;
        }
        case '}':
        case ']':
          this.out += '\\' + ch;
          this.pos++;
          this.item();
          break;
        case '.':
          this.out += this.flags.s ? '.' : '[^\\n]';
          this.pos++;
          this.item();
          break;
        case '^':
          this.out += this.flags.m ? '(?:^|(?<=\\n))' : '^';
          this.pos++;
          this.noItem();
          break;
        case '$':
          this.out += this.flags.m ? '(?:$|(?=\\n))' : '$';
          this.pos++;
          this.noItem();
          break;
        case '\\':
          this.escape();
          break;
        default: {
          const c = s.codePointAt(this.pos)!;
          const chStr = String.fromCodePoint(c);
          this.out += literalChar(chStr, this.flags.i);
          this.pos += chStr.length;
          this.item();
        }
      }
    }
    if (this.flagStack.length > 0) this.fail('missing closing )');
    return this.out;
  }

  private item(): void {
    this.repeatable = true;
    this.lastWasRepeat = false;
  }

  private noItem(): void {
    this.repeatable = false;
    this.lastWasRepeat = false;
  }

  private quantifier(op: string): void {
    if (this.lastWasRepeat) this.fail(`invalid nested repetition operator: \`${this.src.slice(this.repeatStart, this.pos + 1)}\``);
    if (!this.repeatable) this.fail(`missing argument to repetition operator: \`${op}\``);
    this.repeatStart = this.pos;
    this.pos++;
    let lazy = false;
    if (this.src[this.pos] === '?') {
      lazy = true;
      this.pos++;
    }
    if (this.flags.U) lazy = !lazy;
    this.out += op + (lazy ? '?' : '');
    this.repeatable = false;
    this.lastWasRepeat = true;
  }

  private repeatCount(rep: RegExpExecArray): void {
    const text = rep[0];
    if (this.lastWasRepeat) this.fail(`invalid nested repetition operator: \`${this.src.slice(this.repeatStart, this.pos + text.length)}\``);
    if (!this.repeatable) this.fail(`missing argument to repetition operator: \`${text}\``);
    this.repeatStart = this.pos;
    const min = Number(rep[1]);
    const max = rep[2] === undefined ? min : rep[3] === '' ? -1 : Number(rep[3]);
    if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && max < min)) {
      this.fail(`invalid repeat count: \`${text}\``);
    }
    this.pos += text.length;
    let lazy = false;
    if (this.src[this.pos] === '?') {
      lazy = true;
      this.pos++;
    }
    if (this.flags.U) lazy = !lazy;
    this.out += text + (lazy ? '?' : '');
    this.repeatable = false;
    this.lastWasRepeat = true;
  }

  private openGroup(): void {
    const s = this.src;
    const rest = s.slice(this.pos);
    if (rest.startsWith('(?')) {
      const named = /^\(\?P?<([A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        const name = named[1];
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) this.fail(`invalid named capture: \`${named[0]}\``);
        if (this.groupNames.has(name)) this.fail(`duplicate capture group name: \`${name}\``);
        this.groupNames.add(name);
        this.flagStack.push({ ...this.flags });
        this.out += `(?<${name}>`;
        this.pos += named[0].length;
        this.noItem();
        return;
      }
      const fl = /^\(\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(rest);
      if (!fl || (fl[2] !== undefined && fl[2] === '') || (fl[1] === '' && fl[2] === undefined && fl[3] === ')')) {
        this.fail(`invalid or unsupported Perl syntax: \`${rest.slice(0, 3)}\``);
      }
      const next = { ...this.flags };
      for (const f of fl[1]) next[f as keyof Flags] = true;
      for (const f of fl[2] ?? '') next[f as keyof Flags] = false;
      this.pos += fl[0].length;
      if (fl[3] === ')') {
        // `(?i)` changes flags until the end of the enclosing group.
        this.flags = next;
        this.noItem();
      } else {
        this.flagStack.push(this.flags);
        this.flags = next;
        this.out += '(?:';
        this.noItem();
      }
      return;
    }
    this.flagStack.push({ ...this.flags });
    this.out += '(';
    this.pos++;
    this.noItem();
  }

  /** Parses an escape outside a class; emits its JS form. */
  private escape(): void {
    const s = this.src;
    const next = s[this.pos + 1];
    if (next === undefined) this.fail('trailing backslash at end of expression');
    switch (next) {
      case 'A':
        this.out += '^';
        this.pos += 2;
        this.noItem();
        return;
      case 'z':
        this.out += '$';
        this.pos += 2;
        this.noItem();
        return;
      case 'b':
      case 'B':
        this.out += '\\' + next;
        this.pos += 2;
        this.noItem();
        return;
      case 'Q': {
        const end = s.indexOf('\\E', this.pos + 2);
        const lit = end < 0 ? s.slice(this.pos + 2) : s.slice(this.pos + 2, end);
        for (const ch of lit) this.out += literalChar(ch, this.flags.i);
        this.pos = end < 0 ? s.length : end + 2;
        if (lit.length > 0) this.item();
        return;
      }
      case 'E':
        // A stray \E (no \Q) is accepted and ignored by RE2.
        this.pos += 2;
        return;
    }
    const cls = this.classEscape(false);
    if (cls !== null) {
      this.out += cls;
      this.item();
      return;
    }
    const c = this.charEscape();
    this.out += literalChar(String.fromCodePoint(c), this.flags.i);
    this.item();
  }

  /**
   * Perl (\d \s \w and negations) and Unicode (\pL, \p{Greek}, \PL, \p{^L}) classes.
   * Returns null when the escape at pos is not a class. Inside a bracket expression
   * negated classes are expanded to ranges because JS cannot nest them there.
   */
  private classEscape(inClass: boolean): string | null {
    const s = this.src;
    const e = s[this.pos + 1];
    const lower = e.toLowerCase();
    if (lower in PERL_CLASSES && (e === lower || e === e.toUpperCase())) {
      const set = PERL_CLASSES[lower];
      this.pos += 2;
      const neg = e !== lower;
      if (!neg) return inClass ? set : `[${set}]`;
      return inClass ? complementRanges(set) : `[^${set}]`;
    }
    if (e === 'p' || e === 'P') {
      let name: string;
      if (s[this.pos + 2] === '{') {
        const end = s.indexOf('}', this.pos + 3);
        if (end < 0) this.fail(`invalid character class range: \`${s.slice(this.pos)}\``);
        name = s.slice(this.pos + 3, end);
        this.pos = end + 1;
      } else {
        name = s[this.pos + 2] ?? '';
        this.pos += 3;
      }
      let neg = e === 'P';
      if (name.startsWith('^')) {
        neg = !neg;
        name = name.slice(1);
      }
      let prop: string;
      if (name === 'Any') prop = neg ? '' : '\\u{0}-\\u{10ffff}';
      else {
        if (!/^[A-Za-z_]+$/.test(name)) this.fail(`invalid character class range: \`\\p{${name}}\``);
        prop = GENERAL_CATEGORIES.has(name) ? `\\p{${name}}` : `\\p{Script=${name}}`;
        try {
          new RegExp(prop, 'u');
        } catch {
          this.fail(`invalid character class range: \`\\p{${name}}\``);
        }
        if (neg) prop = prop.replace('\\p', '\\P');
      }
      if (name === 'Any' && neg) return inClass ? '' : '[^\\u{0}-\\u{10ffff}]';
      return inClass ? prop : `[${prop}]`;
    }
    return null;
  }

  /** A single-character escape; returns its code point and advances. */
  private charEscape(): number {
    const s = this.src;
    const e = s[this.pos + 1];
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (e in simple) {
      this.pos += 2;
      return simple[e];
    }
    if (e === 'x') {
      if (s[this.pos + 2] === '{') {
        const end = s.indexOf('}', this.pos + 3);
        const hex = end < 0 ? '' : s.slice(this.pos + 3, end);
        if (!/^[0-9A-Fa-f]{1,8}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) {
          this.fail(`invalid escape sequence: \`${s.slice(this.pos, end < 0 ? s.length : end + 1)}\``);
        }
        this.pos = end + 1;
        return parseInt(hex, 16);
      }
      const hex = s.slice(this.pos + 2, this.pos + 4);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) this.fail(`invalid escape sequence: \`${s.slice(this.pos, this.pos + 4)}\``);
      this.pos += 4;
      return parseInt(hex, 16);
    }
    if (e >= '0' && e <= '7') {
      // RE2 has no backreferences: `\1` alone is an error; `\0`, `\12`, `\123` are octal.
      const oct = /^[0-7]{1,3}/.exec(s.slice(this.pos + 1))![0];
      if (e !== '0' && oct.length === 1) this.fail(`invalid escape sequence: \`\\${e}\``);
      this.pos += 1 + oct.length;
      return parseInt(oct, 8);
    }
    const c = e.codePointAt(0)!;
    if (c < 0x80 && !/[A-Za-z0-9]/.test(e)) {
      this.pos += 2;
      return c;
    }
    this.fail(`invalid escape sequence: \`\\${e}\``);
  }

  /** A bracket expression `[...]`, translated to a JS class. */
  private charClass(): void {
    const s = this.src;
    const start = this.pos;
    this.pos++;
    let neg = false;
    if (s[this.pos] === '^') {
      neg = true;
      this.pos++;
    }
    let body = '';
    let first = true;
    for (;;) {
      if (this.pos >= s.length) this.fail(`missing closing ]: \`${s.slice(start)}\``);
      const ch = s[this.pos];
      if (ch === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (ch === '[' && s[this.pos + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(s.slice(this.pos));
        if (m) {
          const set = POSIX_CLASSES[m[2]];
          if (!set) this.fail(`invalid character class range: \`${m[0]}\``);
          body += m[1] ? complementRanges(set) : set;
          this.pos += m[0].length;
          continue;
        }
      }
      if (ch === '\\') {
        const cls = this.classEscape(true);
        if (cls !== null) {
          body += cls;
          continue;
        }
      }
      const lo = this.classChar();
      if (s[this.pos] === '-' && s[this.pos + 1] !== ']' && this.pos + 1 < s.length) {
        this.pos++;
        const hi = this.classChar();
        if (hi < lo) this.fail(`invalid character class range: \`${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}\``);
        body += `${cp(lo)}-${cp(hi)}`;
        if (this.flags.i) body += foldRange(lo, hi);
      } else {
        body += cp(lo);
        if (this.flags.i) body += foldRange(lo, lo);
      }
    }
    if (body === '' && !neg) {
      // `[^\x00-\x{10FFFF}]`-like empty classes match nothing.
      this.out += '[]';
      return;
    }
    this.out += `[${neg ? '^' : ''}${body}]`;
  }

  /** One literal character inside a class (possibly escaped); returns its code point. */
  private classChar(): number {
    const s = this.src;
    if (s[this.pos] === '\\') {
      if (s[this.pos + 1] === undefined) this.fail('trailing backslash at end of expression');
      return this.charEscape();
    }
    const c = s.codePointAt(this.pos)!;
    this.pos += c > 0xffff ? 2 : 1;
    return c;
  }
}

/** Case variants of the letters in [lo, hi], as extra class items. */
function foldRange(lo: number, hi: number): string {
  let extra = '';
  // Folding every code point of a huge range is pointless; ASCII and Latin-1 cover what users write.
  const top = Math.min(hi, 0x24f);
  for (let c = lo; c <= top; c++) {
    const ch = String.fromCodePoint(c);
    for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
      if (v !== ch && [...v].length === 1) extra += cp(v.codePointAt(0)!);
    }
  }
  return extra;
}

/** The complement of a set of ASCII ranges written as class items, as class items. */
function complementRanges(set: string): string {
  const re = new RegExp(`[${set}]`, 'u');
  let out = '';
  let runStart = -1;
  for (let c = 0; c <= 0x80; c++) {
    const inSet = c < 0x80 && re.test(String.fromCharCode(c));
    if (!inSet && c < 0x80) {
      if (runStart < 0) runStart = c;
    } else if (runStart >= 0) {
      out += runStart === c - 1 ? cp(runStart) : `${cp(runStart)}-${cp(c - 1)}`;
      runStart = -1;
    }
  }
  return out + '\\u{80}-\\u{10ffff}';
}
