/**
 * Resolves label matchers to a postings list with Prometheus's semantics:
 * a matcher that matches the empty string also selects series without the label,
 * `!=`/`!~` are applied by subtracting the series they exclude, and `=~".*"` is a no-op.
 * Works over any index that can list a label's values and the postings of one value,
 * so the head and persisted blocks share it.
 */
import { MatchType, type Matcher } from '../../model/matcher.js';
import { EMPTY_POSTINGS, intersect, merge, without } from './list.js';

export interface PostingsReader {
  /** Sorted refs of every series. */
  allPostings(): Uint32Array;
  /** Sorted refs of the series with name=value (empty when none). */
  postings(name: string, value: string): Uint32Array;
  /** Every value the label has (any order). */
  labelValues(name: string): Iterable<string>;
}

/** Union of the postings of every value `v` of the label for which `pred(v) === want`. */
function postingsWhere(ix: PostingsReader, m: Matcher, want: boolean): Uint32Array {
  const positive = m.type === MatchType.Equal || m.type === MatchType.Regexp;
  // `want` asks for values the underlying equality/regex accepts: look them up directly.
  if (positive === want) {
    if (m.type === MatchType.Equal || m.type === MatchType.NotEqual) return ix.postings(m.name, m.value);
    const set = m.setMatches();
    if (set !== null) return merge(set.map((v) => ix.postings(m.name, v)));
  }
  const prefix = positive === want ? m.literalPrefix() : '';
  const lists: Uint32Array[] = [];
  for (const v of ix.labelValues(m.name)) {
    if (prefix !== '' && !v.startsWith(prefix)) continue;
    if (m.matches(v) === want) lists.push(ix.postings(m.name, v));
  }
  return merge(lists);
}

export function postingsForMatchers(ix: PostingsReader, matchers: readonly Matcher[]): Uint32Array {
  const its: Uint32Array[] = [];
  const nots: Uint32Array[] = [];
  for (const m of matchers) {
    if (m.matchesAll()) continue;
    const isNot = m.type === MatchType.NotEqual || m.type === MatchType.NotRegexp;
    const matchesEmpty = m.matchesEmpty();
    if (isNot && matchesEmpty) {
      // l!="x": drop series whose value is the excluded one.
      nots.push(postingsWhere(ix, m, false));
    } else if (!matchesEmpty) {
      // l="x", l=~"x.+", l!="": series having a value the matcher accepts.
      const p = postingsWhere(ix, m, true);
      if (p.length === 0) return EMPTY_POSTINGS;
      its.push(p);
    } else {
      // l="", l=~"x|": keep series without the label, drop those with a rejected value.
      nots.push(postingsWhere(ix, m, false));
    }
  }
  let result = its.length === 0 ? ix.allPostings() : intersect(its);
  if (nots.length > 0 && result.length > 0) result = without(result, merge(nots));
  return result;
}
