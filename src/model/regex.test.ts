import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileAnchoredRegex, RegexSyntaxError } from './regex.js';

function m(re: string, s: string): boolean {
  return compileAnchoredRegex(re).test(s);
}

test('anchored, and dot matches newline as in Prometheus', () => {
  assert.ok(m('foo', 'foo'));
  assert.ok(!m('foo', 'xfoo'));
  assert.ok(!m('foo', 'foox'));
  assert.ok(m('a|b', 'b'));
  assert.ok(!m('a|b', 'ab'));
  assert.ok(m('.*', 'a\nb'));
  assert.ok(!m('(?-s:.*)', 'a\nb'));
});

test('RE2 syntax that JS spells differently', () => {
  const cases: [string, string, boolean][] = [
    ['(?i)foo', 'FoO', true],
    ['(?i:fo)o', 'FOo', true],
    ['(?i:fo)o', 'FOO', false],
    ['x(?i)ab', 'xAB', true],
    ['x(?i)ab', 'XAB', false],
    ['(?i)[a-c]+', 'AbC', true],
    ['(?P<name>a+)b', 'aab', true],
    ['[[:alpha:]]+', 'abZ', true],
    ['[[:digit:]]', 'a', false],
    ['[[:^digit:]]', 'a', true],
    ['\\pL+', 'héllo', true],
    ['\\p{Greek}+', 'αβγ', true],
    ['\\PL', 'a', false],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['\\x{41}', 'A', true],
    ['\\101', 'A', true],
    ['\\Aab\\z', 'ab', true],
    ['\\s', '\v', false],
    ['\\s', '\t', true],
    ['[\\S]', '\t', false],
    ['\\#\\:\\-', '#:-', true],
    ['a{2,3}', 'aaa', true],
    ['a{2,3}', 'aaaa', false],
    ['a{,2}', 'a{,2}', true],
    ['x{', 'x{', true],
    ['[]a]', ']', true],
    ['a]', 'a]', true],
    ['(?U)a+', 'aa', true],
    ['(?m)a$', 'a', true],
  ];
  for (const [re, s, want] of cases) assert.equal(m(re, s), want, `${re} on ${JSON.stringify(s)}`);
});

test('syntax RE2 rejects is rejected with a reason', () => {
  for (const re of ['(?=a)', '(?!a)', '(?<=a)b', '(?<!a)b', '(a)\\1', '(?>a)', 'a**', 'a{1001}', 'a{3,2}', '\\Z', '\\k<x>', '(', ')', '[a', '\\', '*a', '(?<n>a)(?<n>b)', '\\p{Nope}', '\\q']) {
    assert.throws(() => compileAnchoredRegex(re), RegexSyntaxError, re);
  }
});

test('error messages quote what Go quotes: the offending fragment, else the anchored pattern', () => {
  // Fragment cases as Prometheus 2.42 answers them; whole-pattern ones use 3.x's `^(?s:...)$` anchoring.
  const cases: [string, string][] = [
    ['a\\q', 'invalid escape sequence: `\\q`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a+{2}', 'invalid nested repetition operator: `+{2}`'],
    ['a{2}*', 'invalid nested repetition operator: `{2}*`'],
    ['*', 'missing argument to repetition operator: `*`'],
    ['[a', 'missing closing ]: `[a)$`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['(', 'missing closing ): `^(?s:()$`'],
    ['a)', 'unexpected ): `^(?s:a))$`'],
    ['x\\', 'missing closing ): `^(?s:x\\)$`'],
  ];
  for (const [re, want] of cases) {
    assert.throws(() => compileAnchoredRegex(re), { message: `error parsing regexp: ${want}` }, re);
  }
});
