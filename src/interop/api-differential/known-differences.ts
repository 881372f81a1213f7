/**
 * Every allowed difference between Pyrometer and Prometheus 2.42 in the API differential test,
 * each with its reason:
 *  - IGNORED_FIELDS: fields removed from both replies of an endpoint before comparing (fields
 *    Prometheus 3.x added, which Pyrometer serves and 2.42 lacks);
 *  - KNOWN_DIFFERENCES: cases (see corpus.ts) whose replies may differ, either because Pyrometer
 *    follows Prometheus 3.x where 3.x answers differently from 2.42 (`kind: 'version'`), or
 *    because of a real bug in code outside this test's API files, left for its owner (`kind: 'bug'`).
 */
import type { ApiCase } from './corpus.js';

export const IGNORED_FIELDS: Array<{ path: string; field: string; reason: string }> = [
  { path: '/api/v1/targets', field: 'data.droppedTargetCounts', reason: 'added in Prometheus 2.48/3.x (dropped targets per pool); 2.42 lacks it' },
  { path: '/api/v1/targets', field: 'data.droppedTargets.*.scrapePool', reason: 'newer than 2.42: dropped targets name their scrape pool (needed by the scrapePool filter)' },
  { path: '/api/v1/status/runtimeinfo', field: 'data.GOMEMLIMIT', reason: 'added after 2.42 (Go runtime memory limit); Pyrometer reports 0' },
  { path: '/api/v1/status/runtimeinfo', field: 'data.hostname', reason: 'added in 3.x for the new UI' },
  { path: '/api/v1/status/runtimeinfo', field: 'data.serverTime', reason: 'added in 3.x for the new UI (clock-skew warning)' },
];

export interface KnownDifference {
  kind: 'version' | 'bug';
  /** The endpoint path(s) the entry covers. */
  paths: string[];
  /** When set, only cases with this `query` parameter. */
  query?: string;
  /** When set, only cases having all these parameters (`*`: with any value). */
  params?: Record<string, string>;
  reason: string;
}

const QUERY = ['/api/v1/query', '/api/v1/query_range'];
const LABELS = ['/api/v1/series', '/api/v1/labels', '/api/v1/label/shard/values'];

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  // Prometheus 3.x behaviour Pyrometer follows.
  { kind: 'version', paths: QUERY, query: 'rate(hist_temperature_celsius[5m])', reason: '3.x returns info annotations ("metric might not be a counter"); 2.42 has no annotations' },
  { kind: 'version', paths: QUERY, query: 'histogram_quantile(0.9, sum by (le) (rate(hist_requests_total[5m])))', reason: '3.x warns about the missing "le" label (BadBucketLabelWarning); 2.42 has no annotations' },
  { kind: 'version', paths: ['/api/v1/query_range'], query: 'sort_desc(hist_shard_load)', reason: '3.x annotates sort functions in range queries as ineffective; 2.42 has no annotations' },
  { kind: 'version', paths: QUERY, query: 'label_replace(vector(1), "0foo", "x", "bar", "(.*)")', reason: '3.x validates label names as UTF-8 ("0foo" is valid); 2.42 requires the legacy [a-zA-Z_] form' },
  { kind: 'version', paths: QUERY, params: { limit: '3' }, reason: 'the query "limit" parameter is 3.x; 2.42 ignores it' },
  { kind: 'version', paths: QUERY, params: { limit: '2' }, reason: 'the query "limit" parameter is 3.x; 2.42 ignores it' },
  { kind: 'version', paths: QUERY, params: { limit: '-1' }, reason: 'the query "limit" parameter is 3.x (rejects negatives); 2.42 ignores it' },
  { kind: 'version', paths: QUERY, params: { limit: 'abc' }, reason: 'the query "limit" parameter is 3.x (rejects non-integers); 2.42 ignores it' },
  { kind: 'version', paths: QUERY, params: { lookback_delta: '1s' }, reason: 'the "lookback_delta" parameter is newer than 2.42, which ignores it' },
  { kind: 'version', paths: QUERY, params: { lookback_delta: 'abc' }, reason: 'the "lookback_delta" parameter is newer than 2.42, which ignores it' },
  { kind: 'version', paths: ['/api/v1/parse_query'], reason: '/api/v1/parse_query is 3.x (the tree view of the new UI); 2.42 answers 404. Checked on Pyrometer alone below' },
  { kind: 'version', paths: LABELS, params: { limit: '3' }, reason: 'the "limit" parameter of series/labels is newer than 2.42, which ignores it' },
  { kind: 'version', paths: LABELS, params: { limit: '2' }, reason: 'the "limit" parameter of series/labels is newer than 2.42, which ignores it' },
  { kind: 'version', paths: LABELS, params: { limit: '5' }, reason: 'the "limit" parameter of series/labels is newer than 2.42, which ignores it' },
  { kind: 'version', paths: LABELS, params: { limit: 'x' }, reason: 'the "limit" parameter of series/labels is newer than 2.42, which ignores it (3.x: strconv.Atoi error)' },
  { kind: 'version', paths: ['/api/v1/label/U__room/values', '/api/v1/label/U__r_6f_om/values'], reason: '3.x decodes U__-escaped UTF-8 label names in the path; 2.42 takes "U__room" literally' },
  { kind: 'version', paths: ['/api/v1/label/0bad/values', '/api/v1/label/caf%C3%A9/values'], reason: '3.x accepts any UTF-8 label name; 2.42 answers 400 "invalid label name"' },
  { kind: 'version', paths: ['/api/v1/status/tsdb'], params: { limit: '*' }, reason: 'the status/tsdb "limit" parameter is newer than 2.42, which ignores it and lists 10 (3.x: "limit must be a positive number")' },
  {
    kind: 'version',
    paths: ['/api/v1/query_range'],
    query: '*parse error*',
    reason: '3.x reports range-query parse errors as `invalid parameter "query": ...` (invalidParamError, as for instant queries); 2.42 omits the prefix for range queries',
  },
  {
    kind: 'version',
    paths: QUERY,
    query: 'foo{bar=~"("}',
    reason: 'regexp errors quote the pattern Prometheus compiles: 2.42 `^(?:()$`, 3.x (and Pyrometer) `^(?s:()$`',
  },
  {
    kind: 'version',
    paths: QUERY,
    query: 'hist_shard_load * on() hist_temperature_celsius',
    reason: '3.x lists the two duplicate series of a many-to-many error in sorted order (upstream operators.test: "must come out in a stable, sorted order"); 2.42 lists them as met',
  },
  {
    kind: 'version',
    paths: ['/api/v1/query', '/api/v1/format_query'],
    query: '',
    reason: 'an empty query: 3.x\'s parser reports "unknown position: parse error: no expression found in input"; 2.42 says "1:1: parse error: ..."',
  },
];

/** The known differences that cover case `c`. */
export function knownFor(c: ApiCase): KnownDifference[] {
  const query = c.params.find(([k]) => k === 'query')?.[1];
  return KNOWN_DIFFERENCES.filter((k) => {
    if (!k.paths.includes(c.path)) return false;
    if (k.query !== undefined) {
      if (query === undefined) return k.query === '' && c.path !== '/api/v1/query_range';
      if (k.query === '*parse error*') return PARSE_ERRORS.includes(query);
      if (k.query !== query) return false;
    }
    return Object.entries(k.params ?? {}).every(([key, v]) => c.params.some(([ck, cv]) => ck === key && (v === '*' || cv === v)));
  });
}

/** Corpus queries that fail to parse (for the range-query error prefix entry). */
const PARSE_ERRORS = [
  'sum(',
  'foo{',
  'rate(hist_requests_total[5m]',
  '1 +',
  '"unterminated',
  'hist_requests_total[5m] + 1',
  'rate(hist_requests_total)',
  'sum by (code) hist_requests_total)',
  '{}',
  'foo{bar=~"("}',
  'avg_over_time(hist_requests_total[5m:0s])',
];
