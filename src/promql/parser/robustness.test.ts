import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from './errors.js';
import { ALL_FEATURES, parseExpr } from './parser.js';
import { conformanceExpressions } from './testutil.js';

/** Deterministic pseudo-random numbers so that failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

test('damaged queries either parse or fail with a ParseError inside the query', () => {
  const rnd = lcg(42);
  const alphabet = '()[]{}",\'`+-*/%^=!~<>@:#\\ 0123456789.eEx_abcmsoffsetbyon\n';
  const problems: string[] = [];
  let inputs = 0;
  const attempt = (q: string): void => {
    inputs++;
    try {
      parseExpr(q, ALL_FEATURES);
    } catch (e) {
      if (!(e instanceof ParseError)) problems.push(`${JSON.stringify(q)}: ${(e as Error).stack}`);
      else if (e.positionRange.start < 0 || e.positionRange.start > q.length) {
        problems.push(`${JSON.stringify(q)}: position ${JSON.stringify(e.positionRange)} outside the query`);
      }
    }
  };
  const queries = conformanceExpressions().map((c) => c.expr);
  for (let n = 0; n < queries.length; n += 3) {
    const q = queries[n]!;
    // Every prefix: a query cut off anywhere.
    for (let i = 0; i < q.length; i++) attempt(q.slice(0, i));
    // Single-character insertions and replacements.
    for (let k = 0; k < 10; k++) {
      const i = Math.floor(rnd() * q.length);
      const c = alphabet[Math.floor(rnd() * alphabet.length)]!;
      attempt(q.slice(0, i) + c + q.slice(i + (rnd() < 0.5 ? 1 : 0)));
    }
  }
  assert.ok(inputs > 20_000, `only ${inputs} inputs`);
  assert.deepEqual(problems, []);
});

test('long operator chains parse; absurd nesting is a ParseError, not a crash', () => {
  const chain = parseExpr(Array(2000).fill('a').join(' + '), ALL_FEATURES);
  assert.equal(chain.type, 'BinaryExpr');
  const deep = '('.repeat(20_000) + '1' + ')'.repeat(20_000);
  assert.throws(() => parseExpr(deep, ALL_FEATURES), (e: unknown) => e instanceof ParseError && e.reason === 'expression is nested too deeply');
});
