import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matcher, MatchType } from '../../model/matcher.js';
import { Labels } from '../../model/labels.js';
import { MemPostings } from './mem.js';
import { postingsForMatchers, type PostingsReader } from './matchers.js';

const series: Labels[] = [];
for (let i = 0; i < 60; i++) {
  const kv = ['__name__', i % 3 === 0 ? 'up' : 'http_requests_total', 'instance', `host-${i % 7}`];
  if (i % 2 === 0) kv.push('job', i % 4 === 0 ? 'api' : 'web');
  if (i % 5 === 0) kv.push('env', '');
  if (i % 5 === 1) kv.push('env', 'prod');
  series.push(Labels.fromStrings(...kv));
}

function index(): MemPostings {
  const p = new MemPostings();
  // Insert out of order to exercise sorted insertion.
  for (let i = series.length - 1; i >= 0; i--) p.add(i + 1, series[i].toFlat());
  return p;
}

function reader(p: MemPostings): PostingsReader {
  return {
    allPostings: () => p.allPostings(),
    postings: (n, v) => p.get(n, v),
    labelValues: (n) => p.labelValues(n),
  };
}

function brute(ms: Matcher[]): number[] {
  const out: number[] = [];
  series.forEach((l, i) => {
    if (ms.every((m) => m.matches(l.get(m.name)))) out.push(i + 1);
  });
  return out;
}

const cases: [MatchType, string, string][][] = [
  [[MatchType.Equal, '__name__', 'up']],
  [[MatchType.Equal, 'job', '']],
  [[MatchType.NotEqual, 'job', '']],
  [[MatchType.NotEqual, 'job', 'api']],
  [[MatchType.Regexp, 'job', 'api|web']],
  [[MatchType.Regexp, 'job', 'api|']],
  [[MatchType.Regexp, 'job', '.*']],
  [[MatchType.Regexp, 'job', '.+']],
  [[MatchType.NotRegexp, 'job', '.*']],
  [[MatchType.NotRegexp, 'job', 'a.*']],
  [[MatchType.Regexp, 'instance', 'host-[1-3]']],
  [[MatchType.Regexp, 'instance', 'host-.*']],
  [[MatchType.Regexp, 'instance', '.*-4']],
  [[MatchType.Equal, 'env', 'prod'], [MatchType.Equal, '__name__', 'up']],
  [[MatchType.Equal, '__name__', 'http_requests_total'], [MatchType.NotEqual, 'instance', 'host-1'], [MatchType.Equal, 'env', '']],
  [[MatchType.Equal, 'nonexistent', '']],
  [[MatchType.Equal, 'nonexistent', 'x']],
  [[MatchType.NotRegexp, 'instance', 'host-(1|2)'], [MatchType.Regexp, 'job', 'web|nope']],
  [],
];

test('postingsForMatchers agrees with matching every series', () => {
  const ix = reader(index());
  for (const c of cases) {
    const ms = c.map(([t, n, v]) => Matcher.create(t, n, v));
    assert.deepEqual([...postingsForMatchers(ix, ms)], brute(ms), ms.join(','));
  }
});

test('MemPostings delete removes refs and empty values', () => {
  const p = index();
  p.delete([1, 2, 3], (ref) => series[ref - 1].toFlat());
  assert.deepEqual([...p.allPostings()], series.map((_, i) => i + 1).slice(3));
  assert.equal([...p.get('instance', 'host-0')].includes(1), false);
  assert.ok([...p.labelValues('env')].includes('prod'));
  p.delete(series.map((_, i) => i + 1), (ref) => series[ref - 1].toFlat());
  assert.deepEqual([...p.labelNames()], []);
  assert.deepEqual([...p.allPostings()], []);
});
