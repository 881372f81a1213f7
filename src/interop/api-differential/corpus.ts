/**
 * The requests the API differential test sends to both servers. Each case has a stable id (used
 * by known-differences.ts) and an endpoint group (used for the per-endpoint report).
 */
import { HISTORY_START_MS } from './history.js';

export interface ApiCase {
  id: string;
  /** Report group, e.g. `query`, `series`, `targets`. */
  endpoint: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  params: Array<[string, string]>;
}

const MIN = 60_000;
const sec = (ms: number): string => (ms / 1000).toFixed(3);
/** Inside the historical block, never on a sample (samples sit on whole 15 s). */
export const HIST_TIME = sec(HISTORY_START_MS + 20 * MIN + 7_300);
const HIST_RANGE = { start: sec(HISTORY_START_MS + 5 * MIN + 300), end: sec(HISTORY_START_MS + 55 * MIN + 300), step: '60' };
const HIST_WINDOW: Array<[string, string]> = [
  ['start', sec(HISTORY_START_MS)],
  ['end', sec(HISTORY_START_MS + 60 * MIN)],
];

/** Expressions evaluated as instant and range queries, GET and POST. */
const EXPRESSIONS = [
  // scalars and special values
  '1',
  '-2.5',
  'NaN',
  '+Inf',
  '-Inf',
  '1/0',
  '-1/0',
  '0/0',
  'time()',
  'scalar(hist_requests_total{code="500"})',
  'scalar(hist_shard_load)',
  // vectors
  'hist_requests_total',
  'hist_special',
  'hist_temperature_celsius',
  'hist_temperature_celsius{room="café"}',
  '{__name__=~"hist_.+", room!=""}',
  'sum(hist_shard_load)',
  'sum by (code) (rate(hist_requests_total[5m]))',
  'hist_shard_load > 10',
  'topk(3, hist_shard_load)',
  'sort_desc(hist_shard_load)',
  'hist_special * 0',
  'vector(1)',
  'absent(nonexistent_metric)',
  'nonexistent_metric',
  'label_replace(hist_requests_total, "status", "$1xx", "code", "(.).*")',
  'count_values("v", hist_shard_load)',
  'histogram_quantile(0.9, sum by (le) (rate(hist_requests_total[5m])))',
  // infos (3.x annotations)
  'rate(hist_temperature_celsius[5m])',
];

/** Instant-only expressions: strings and range vectors. */
const INSTANT_ONLY = ['"hello"', 'hist_requests_total[1m]', 'hist_special[30s]', 'hist_shard_load[1m] offset 5m'];

/** Expressions that fail, in parsing or evaluation. */
const BAD_EXPRESSIONS = [
  'sum(',
  'foo{',
  'rate(hist_requests_total[5m]',
  '1 +',
  '"unterminated',
  'hist_requests_total[5m] + 1',
  'rate(hist_requests_total)',
  'foo{bar=~"("}',
  'sum by (code) hist_requests_total)',
  'hist_shard_load * on() hist_temperature_celsius',
  'label_replace(vector(1), "foo", "x", "bar", "(")',
  'label_replace(vector(1), "0foo", "x", "bar", "(.*)")',
  '{}',
  'avg_over_time(hist_requests_total[5m:0s])',
];

/** Live series (scraped from the shared exporter), queried at `liveTime`. */
const LIVE_EXPRESSIONS = [
  'up',
  'app_requests_total',
  'app_special',
  'app_temperature_celsius',
  'app_latency_seconds_bucket',
  'histogram_quantile(0.5, sum by (le) (app_latency_seconds_bucket))',
  'count by (__name__) ({job="app"})',
  'scrape_samples_scraped',
  'scrape_series_added',
  'count(scrape_duration_seconds)',
];

function add(list: ApiCase[], c: Omit<ApiCase, 'id'> & { id?: string }): void {
  const q = c.params.map(([k, v]) => `${k}=${v}`).join('&');
  list.push({ ...c, id: c.id ?? `${c.method} ${c.path}${q ? `?${q}` : ''}` });
}

/** The whole corpus; `liveTime` (Unix seconds) is when both servers hold scraped live data. */
export function buildCorpus(liveTime: string): ApiCase[] {
  const cs: ApiCase[] = [];
  const both = (endpoint: string, path: string, params: Array<[string, string]>) => {
    add(cs, { endpoint, method: 'GET', path, params });
    add(cs, { endpoint, method: 'POST', path, params });
  };
  const instant = (q: string, extra: Array<[string, string]> = [], time = HIST_TIME) => both('query', '/api/v1/query', [['query', q], ['time', time], ...extra]);
  const range = (q: string, extra: Array<[string, string]> = []) =>
    both('query_range', '/api/v1/query_range', [['query', q], ['start', HIST_RANGE.start], ['end', HIST_RANGE.end], ['step', HIST_RANGE.step], ...extra]);

  for (const q of EXPRESSIONS) {
    instant(q);
    range(q);
  }
  for (const q of INSTANT_ONLY) {
    instant(q);
    range(q); // an error for strings and range vectors
  }
  for (const q of BAD_EXPRESSIONS) {
    instant(q);
    range(q);
  }
  for (const q of LIVE_EXPRESSIONS) instant(q, [], liveTime);

  // Parameters: limit, stats, timeouts, lookback, times.
  instant('hist_shard_load', [['limit', '3']]);
  instant('hist_shard_load', [['limit', '0']]);
  instant('hist_shard_load', [['limit', '-1']]);
  instant('hist_shard_load', [['limit', 'abc']]);
  range('hist_shard_load', [['limit', '2']]);
  instant('sum(hist_shard_load)', [['stats', 'all']]);
  instant('sum(hist_shard_load)', [['stats', 'true']]);
  range('sum(hist_shard_load)', [['stats', 'all']]);
  instant('hist_shard_load', [['timeout', 'abc']]);
  instant('hist_shard_load', [['timeout', '1ns']]);
  instant('hist_shard_load', [['timeout', '30s']]);
  // Go durations have no "ns"/"us" unit: tiny timeouts are given as float seconds.
  instant('hist_shard_load', [['timeout', '0.000001']]);
  instant('count_over_time(hist_shard_load[1h:1s])', [['timeout', '0.000001']]);
  range('hist_shard_load', [['timeout', '0.000001']]);
  instant('hist_shard_load', [['timeout', '-1s']]);
  instant('hist_shard_load', [['lookback_delta', '1s']]);
  instant('hist_shard_load', [['lookback_delta', 'abc']]);
  instant('hist_shard_load', [], 'abc');
  instant('hist_shard_load', [], '2026-01-01T00:20:07.3Z');
  instant('hist_shard_load', [], '-1');
  add(cs, { endpoint: 'query', method: 'GET', path: '/api/v1/query', params: [] });
  add(cs, { endpoint: 'query', method: 'GET', path: '/api/v1/query', params: [['query', '']] });
  for (const m of ['PUT', 'DELETE', 'PATCH'] as const) add(cs, { endpoint: 'query', method: m, path: '/api/v1/query', params: [['query', '1']] });

  const rangeParams = (start: string, end: string, step: string): Array<[string, string]> => [['query', 'vector(1)'], ['start', start], ['end', end], ['step', step]];
  for (const [start, end, step] of [
    ['abc', HIST_RANGE.end, '60'],
    [HIST_RANGE.start, 'abc', '60'],
    [HIST_RANGE.start, HIST_RANGE.end, 'abc'],
    [HIST_RANGE.start, HIST_RANGE.end, '0'],
    [HIST_RANGE.start, HIST_RANGE.end, '-60'],
    [HIST_RANGE.end, HIST_RANGE.start, '60'],
    [HIST_RANGE.start, HIST_RANGE.end, '1m'],
    [HIST_RANGE.start, HIST_RANGE.end, '0.25'],
    ['0', '100000', '1'],
    ['0', '11000', '1'],
    ['2026-01-01T00:05:00Z', '2026-01-01T00:10:00Z', '30s'],
  ]) {
    both('query_range', '/api/v1/query_range', rangeParams(start, end, step));
  }
  add(cs, { endpoint: 'query_range', method: 'GET', path: '/api/v1/query_range', params: [['query', 'vector(1)'], ['start', HIST_RANGE.start], ['end', HIST_RANGE.end]] });
  add(cs, { endpoint: 'query_range', method: 'GET', path: '/api/v1/query_range', params: [['query', 'vector(1)'], ['step', '60']] });
  add(cs, { endpoint: 'query_range', method: 'PUT', path: '/api/v1/query_range', params: rangeParams(HIST_RANGE.start, HIST_RANGE.end, '60') });

  // format_query and parse_query
  for (const q of ['sum(rate(x[5m]))by(job)', 'a+b*on(x)group_left c', 'foo{bar="baz",a=~"b.*"}[5m:1m] offset 1h', '-(1)', 'x @ 100', 'sum(', '', 'hist_special']) {
    both('format_query', '/api/v1/format_query', [['query', q]]);
  }
  for (const q of ['sum by (job) (rate(x[5m]))', 'sum(']) both('parse_query', '/api/v1/parse_query', [['query', q]]);

  // series
  const series = (params: Array<[string, string]>) => both('series', '/api/v1/series', params);
  series([['match[]', 'hist_requests_total']]);
  series([['match[]', 'hist_requests_total'], ['match[]', 'hist_special']]);
  series([['match[]', 'hist_requests_total'], ['match[]', '{code="200"}']]);
  series([['match[]', '{__name__=~"hist_.*"}'], ...HIST_WINDOW]);
  series([['match[]', '{room="café"}']]);
  series([['match[]', 'up']]);
  series([['match[]', '{job="app"}']]);
  series([['match[]', 'hist_shard_load'], ['limit', '3']]);
  series([['match[]', 'hist_shard_load'], ['limit', '100']]);
  series([['match[]', 'hist_shard_load'], ['limit', 'x']]);
  series([['match[]', 'hist_requests_total'], ['start', sec(HISTORY_START_MS - 120 * MIN)], ['end', sec(HISTORY_START_MS - 60 * MIN)]]);
  series([['match[]', 'hist_requests_total'], ['start', 'abc']]);
  series([['match[]', 'hist_requests_total'], ['end', 'abc']]);
  series([['match[]', 'hist_requests_total'], ['start', sec(HISTORY_START_MS + 60 * MIN)], ['end', sec(HISTORY_START_MS)]]);
  series([]);
  series([['match[]', '{']]);
  series([['match[]', '{}']]);
  series([['match[]', '{foo=""}']]);
  series([['match[]', 'nonexistent_metric']]);
  add(cs, { endpoint: 'series', method: 'PUT', path: '/api/v1/series', params: [['match[]', 'up']] });
  add(cs, { endpoint: 'series', method: 'DELETE', path: '/api/v1/series', params: [['match[]', 'up']] });

  // labels
  const labels = (params: Array<[string, string]>) => both('labels', '/api/v1/labels', params);
  labels([]);
  labels([['match[]', 'hist_special']]);
  labels([['match[]', 'hist_special'], ['match[]', 'hist_temperature_celsius']]);
  labels([['match[]', '{job="app"}']]);
  labels(HIST_WINDOW);
  labels([['limit', '2']]);
  labels([['start', 'abc']]);
  labels([['match[]', '{']]);
  labels([['start', sec(HISTORY_START_MS - 120 * MIN)], ['end', sec(HISTORY_START_MS - 60 * MIN)]]);

  // label values
  const values = (name: string, params: Array<[string, string]>) => add(cs, { endpoint: 'label_values', method: 'GET', path: `/api/v1/label/${name}/values`, params });
  for (const name of ['__name__', 'code', 'room', 'shard', 'job', 'instance', 'le', 'nonexistent', 'U__room', 'U__r_6f_om', '0bad', 'caf%C3%A9']) values(name, []);
  values('__name__', [['match[]', '{job="app"}']]);
  values('__name__', HIST_WINDOW);
  values('shard', [['limit', '5']]);
  values('shard', [['limit', 'x']]);
  values('room', [['match[]', 'hist_temperature_celsius']]);
  values('room', [['match[]', 'app_temperature_celsius'], ['match[]', 'hist_temperature_celsius']]);
  values('code', [['start', sec(HISTORY_START_MS - 120 * MIN)], ['end', sec(HISTORY_START_MS - 60 * MIN)]]);
  values('code', [['start', 'abc']]);
  values('code', [['match[]', '{']]);
  add(cs, { endpoint: 'label_values', method: 'POST', path: '/api/v1/label/code/values', params: [] });

  // targets
  const targets = (params: Array<[string, string]>) => add(cs, { endpoint: 'targets', method: 'GET', path: '/api/v1/targets', params });
  targets([]);
  for (const state of ['active', 'dropped', 'any', 'ACTIVE', 'bogus']) targets([['state', state]]);
  targets([['scrapePool', 'app']]);
  targets([['scrapePool', 'filtered']]);
  targets([['scrapePool', 'nonexistent']]);
  targets([['scrapePool', 'filtered'], ['state', 'dropped']]);
  add(cs, { endpoint: 'targets', method: 'GET', path: '/api/v1/scrape_pools', params: [] });

  // metadata
  const tmeta = (params: Array<[string, string]>) => add(cs, { endpoint: 'targets/metadata', method: 'GET', path: '/api/v1/targets/metadata', params });
  tmeta([]);
  tmeta([['metric', 'app_temperature_celsius']]);
  tmeta([['metric', 'app_latency_seconds']]);
  tmeta([['match_target', '{job="app"}']]);
  tmeta([['match_target', '{job="filtered"}'], ['metric', 'app_queue_length']]);
  tmeta([['match_target', '{']]);
  tmeta([['limit', '1']]);
  tmeta([['metric', 'nonexistent']]);
  const meta = (params: Array<[string, string]>) => add(cs, { endpoint: 'metadata', method: 'GET', path: '/api/v1/metadata', params });
  meta([]);
  meta([['metric', 'app_latency_seconds']]);
  meta([['metric', 'app_requests']]);
  meta([['metric', 'nonexistent']]);
  meta([['limit', '1']]);
  meta([['limit', '0']]);
  meta([['limit', '-1']]);
  meta([['limit_per_metric', '1']]);
  meta([['limit', 'x']]);

  // rules, alerts, alertmanagers
  for (const [path, params] of [
    ['/api/v1/rules', []],
    ['/api/v1/rules', [['type', 'alert']]],
    ['/api/v1/rules', [['type', 'record']]],
    ['/api/v1/rules', [['type', 'bogus']]],
    ['/api/v1/alerts', []],
    ['/api/v1/alertmanagers', []],
  ] as Array<[string, Array<[string, string]>]>) {
    add(cs, { endpoint: path.slice('/api/v1/'.length), method: 'GET', path, params });
  }

  // status
  for (const s of ['config', 'flags', 'runtimeinfo', 'buildinfo', 'tsdb', 'walreplay']) {
    add(cs, { endpoint: `status/${s}`, method: 'GET', path: `/api/v1/status/${s}`, params: [] });
  }
  for (const limit of ['2', '0', 'x']) add(cs, { endpoint: 'status/tsdb', method: 'GET', path: '/api/v1/status/tsdb', params: [['limit', limit]] });

  // unknown endpoints
  for (const path of ['/api/v1/nope', '/api/v1/status/nope', '/api/v1/', '/api/v1/label/code', '/api/v2/query']) {
    add(cs, { endpoint: 'unknown', method: 'GET', path, params: [] });
  }

  // federation
  const federate = (params: Array<[string, string]>) => add(cs, { endpoint: 'federate', method: 'GET', path: '/federate', params });
  federate([['match[]', '{job="app"}']]);
  federate([['match[]', 'app_special'], ['match[]', 'app_requests_total']]);
  federate([['match[]', 'up'], ['match[]', '{__name__="up"}']]);
  federate([['match[]', 'hist_requests_total']]);
  federate([]);
  federate([['match[]', '{']]);
  return cs;
}
