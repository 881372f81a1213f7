/**
 * Recognises the regex shapes that cover most real matchers, so matching and postings
 * lookups can skip the RegExp engine: `.*`, `.+`, literal alternations `a|b|c`,
 * and a literal with `.*` before and/or after it (prefix, suffix, contains).
 */
export type RegexShape =
  | { kind: 'any' }
  | { kind: 'nonEmpty' }
  | { kind: 'set'; values: string[] }
  | { kind: 'prefix'; literal: string }
  | { kind: 'suffix'; literal: string }
  | { kind: 'contains'; literal: string }
  | { kind: 'general'; prefix: string };

const META = new Set('\\.+*?()|[]{}^$'.split(''));

/** Reads a run of literal characters (with escaped punctuation) from `s` at `i`; returns [text, end]. */
function literalRun(s: string, i: number): [string, number] {
  let out = '';
  while (i < s.length) {
    const ch = s[i];
    if (ch === '\\') {
      const n = s[i + 1];
      if (n !== undefined && n.charCodeAt(0) < 0x80 && !/[A-Za-z0-9]/.test(n)) {
        out += n;
        i += 2;
        continue;
      }
      break;
    }
    if (META.has(ch)) break;
    out += ch;
    i++;
  }
  return [out, i];
}

/** Literal alternatives when the whole pattern is `lit|lit|...` (optionally in one group), else null. */
function literalAlternation(s: string): string[] | null {
  let body = s;
  if (body.startsWith('(') && body.endsWith(')')) {
    const inner = body.startsWith('(?:') ? body.slice(3, -1) : body.slice(1, -1);
    if (!inner.includes('(') && !inner.includes(')')) body = inner;
  }
  const values: string[] = [];
  let i = 0;
  for (;;) {
    const [lit, end] = literalRun(body, i);
    values.push(lit);
    if (end === body.length) return [...new Set(values)];
    if (body[end] !== '|') return null;
    i = end + 1;
  }
}

export function analyzeRegex(src: string): RegexShape {
  if (src.startsWith('(?')) {
    // Flag groups change meaning (case folding, dot); only the trivial forms are safe.
    return { kind: 'general', prefix: '' };
  }
  if (src === '.*') return { kind: 'any' };
  if (src === '.+') return { kind: 'nonEmpty' };
  const set = literalAlternation(src);
  if (set) return { kind: 'set', values: set };
  const leadingAny = src.startsWith('.*');
  const rest = leadingAny ? src.slice(2) : src;
  const [lit, end] = literalRun(rest, 0);
  const tail = rest.slice(end);
  if (lit !== '' && tail === '.*') return leadingAny ? { kind: 'contains', literal: lit } : { kind: 'prefix', literal: lit };
  if (lit !== '' && tail === '' && leadingAny) return { kind: 'suffix', literal: lit };
  // A literal prefix stays valid for any pattern without top-level alternation.
  const prefix = !leadingAny && !hasTopLevelAlternation(src) ? literalPrefixBeforeQuantifier(src) : '';
  return { kind: 'general', prefix };
}

function hasTopLevelAlternation(s: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

/** The literal prefix, minus its last character when a quantifier follows it (`ab*` has prefix `a`). */
function literalPrefixBeforeQuantifier(s: string): string {
  const [lit, end] = literalRun(s, 0);
  const next = s[end];
  if (next === '*' || next === '?' || next === '{') return [...lit].slice(0, -1).join('');
  return lit;
}
