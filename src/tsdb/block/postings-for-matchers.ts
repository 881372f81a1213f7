/**
 * Resolves label matchers to the sorted series refs of one index, with Prometheus's semantics:
 * a matcher that matches the empty string also selects series without that label, and
 * negative matchers are applied by subtracting what their inverse selects.
 */
import { MatchType, type Matcher } from '../../model/matcher.js';
import type { IndexReader } from '../index/reader.js';
import { EMPTY_POSTINGS, intersect, merge, without } from '../postings/list.js';

/** Union of the postings of every value of `name` for which `accept(value)` holds. */
function postingsWhere(ix: IndexReader, name: string, accept: (v: string) => boolean): Uint32Array {
  const values = ix.valuesOf(name);
  const lists: Uint32Array[] = [];
  for (let i = 0; i < values.length; i++) if (accept(values[i]!)) lists.push(ix.postingsAt(name, i));
  return lists.length === 0 ? EMPTY_POSTINGS : merge(lists);
}

function postingsForMatcher(ix: IndexReader, m: Matcher): Uint32Array {
  if (m.type === MatchType.Equal) return ix.postings(m.name, m.value);
  return postingsWhere(ix, m.name, (v) => m.matches(v));
}

/** Series having label `m.name` with a value `m` does not match. */
function inversePostingsForMatcher(ix: IndexReader, m: Matcher): Uint32Array {
  return postingsWhere(ix, m.name, (v) => !m.matches(v));
}

/** Sorted refs of the series matching all matchers; no matchers selects every series. */
export function postingsForMatchers(ix: IndexReader, matchers: readonly Matcher[]): Uint32Array {
  if (matchers.length === 0) return ix.allPostings();
  const mustBeSet = new Set<string>();
  for (const m of matchers) if (!m.matchesEmpty()) mustBeSet.add(m.name);
  const its: Uint32Array[] = [];
  const notIts: Uint32Array[] = [];
  for (const m of matchers) {
    const isNot = m.type === MatchType.NotEqual || m.type === MatchType.NotRegexp;
    if (mustBeSet.has(m.name)) {
      if (isNot && m.matchesEmpty()) {
        // l!="foo" where another matcher requires l: subtract what l="foo" selects.
        notIts.push(inversePostingsForMatcher(ix, m));
      } else {
        // l="a", l=~"a.+", or l!="" (a value the matcher accepts).
        its.push(postingsForMatcher(ix, m));
      }
    } else {
      // The matcher accepts "", so it also selects series lacking the label: subtract those
      // that have a value it rejects.
      notIts.push(inversePostingsForMatcher(ix, m));
    }
    if (its.length > 0 && its[its.length - 1]!.length === 0) return EMPTY_POSTINGS;
  }
  let res = its.length === 0 ? ix.allPostings() : intersect(its);
  for (const n of notIts) {
    if (res.length === 0) break;
    res = without(res, n);
  }
  return res;
}
