/** Helpers shared by the block tests: read a querier's result into plain arrays. */
import type { Matcher } from '../../model/matcher.js';
import { ValueType, type Querier } from '../../storage/interface.js';
import { isStaleNaN } from '../../model/value.js';

export interface SeriesDump {
  labels: string;
  /** Stale markers read as 'stale': JS arrays do not keep NaN payloads. */
  samples: [number, number | 'stale'][];
}

export function collect(q: Querier, matchers: readonly Matcher[]): SeriesDump[] {
  const set = q.select(true, undefined, matchers);
  const out: SeriesDump[] = [];
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const samples: [number, number | 'stale'][] = [];
    while (it.next() === ValueType.Float) {
      const v = it.atV();
      samples.push([it.atT(), isStaleNaN(v) ? 'stale' : v]);
    }
    if (it.err()) throw it.err();
    out.push({ labels: s.labels.toString(), samples });
  }
  if (set.err()) throw set.err();
  return out;
}
