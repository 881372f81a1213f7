import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matcher, MatchType } from './matcher.js';

test('matcher kinds and empty-value semantics', () => {
  assert.ok(Matcher.create(MatchType.Equal, 'a', 'x').matches('x'));
  assert.ok(Matcher.create(MatchType.NotEqual, 'a', 'x').matches(''));
  assert.ok(Matcher.create(MatchType.Regexp, 'a', 'x|').matchesEmpty());
  assert.ok(!Matcher.create(MatchType.Regexp, 'a', '.+').matchesEmpty());
  assert.ok(Matcher.create(MatchType.NotRegexp, 'a', 'x.*').matches('yx'));
  assert.ok(!Matcher.create(MatchType.NotRegexp, 'a', 'x.*').matches('xy'));
});

test('fast paths agree with the regex engine', () => {
  const patterns = ['.*', '.+', 'a|b|c', '(a|b)', 'foo.*', '.*bar', '.*oo.*', 'fo+', 'a\\.b|c', '', 'ab*c', 'x(?i)y'];
  const inputs = ['', 'a', 'b', 'ab', 'foo', 'foobar', 'xbar', 'a.b', 'axb', 'c', 'fo', 'ac', 'abbc', 'xY', 'xy', 'oo'];
  for (const p of patterns) {
    const matcher = Matcher.create(MatchType.Regexp, 'l', p);
    const re = new RegExp(`^(?:${p.replace('(?i)', '')})$`, 's');
    for (const v of inputs) {
      const want = p === 'x(?i)y' ? v.toLowerCase() === 'xy' && v[0] === 'x' : re.test(v);
      assert.equal(matcher.matches(v), want, `${p} on ${JSON.stringify(v)}`);
    }
  }
});

test('set and prefix information for the postings index', () => {
  assert.deepEqual(Matcher.create(MatchType.Regexp, 'l', 'a|b|a').setMatches(), ['a', 'b']);
  assert.equal(Matcher.create(MatchType.Regexp, 'l', 'a.+').setMatches(), null);
  assert.equal(Matcher.create(MatchType.Regexp, 'l', 'api.*').literalPrefix(), 'api');
  assert.equal(Matcher.create(MatchType.Regexp, 'l', 'api(x|y)').literalPrefix(), 'api');
  assert.equal(Matcher.create(MatchType.Regexp, 'l', 'ab*').literalPrefix(), 'a');
  assert.equal(Matcher.create(MatchType.Regexp, 'l', 'a|b.*').literalPrefix(), '');
  assert.ok(Matcher.create(MatchType.Regexp, 'l', '.*').matchesAll());
});
