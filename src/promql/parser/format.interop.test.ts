/**
 * Compares our printer with real Prometheus: every conformance expression that the installed
 * Prometheus can parse is sent to its /api/v1/format_query, and the answer must equal prettify().
 * Also checks error messages (and their positions) for invalid queries whose wording has not
 * changed between the installed Prometheus and 3.x.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, requirePeer, startProcess, tempDir, waitForHttp } from '../../testing/peers.js';
import { conformanceExpressions } from './testutil.js';
import { ALL_FEATURES, parseExpr } from './parser.js';
import { prettify } from './prettier.js';
import { formatFloatF } from './printer.js';

/**
 * Prometheus 2.x printed number literals with Go's %v (`1.5e+09`); 3.x prints them in full
 * (`1500000000`) as we do. Rewrite the older form so that only real differences remain.
 */
function numbersAsIn3x(s: string): string {
  return s.replace(/(?<![\w.])\d+(?:\.\d+)?e[+-]\d+/g, (m) => formatFloatF(Number(m)));
}

/** Invalid queries whose error Prometheus 2.42 words as 3.x does (see parser.test.ts for more). */
const STABLE_ERRORS = [
  '# just a comment\n\n', '1+', '0deadbeef', '*1', '((1)', '(', '1 and 1', '1 == 1', '-"string"',
  '-test[5m]', '1 offset 1d', 'foo offset 1s offset 2s', 'a - on(b) ignoring(c) d',
  'foo or on(bar) group_left(baz) bar', 'foo + on(x) group_left(x) bar', 'foo + bool bar',
  'foo @ +Inf', 'foo @ NaN', 'foo @ 1 @ 2', 'rate(x[5m]) @ 1', '{', 'some_metric{a=b}',
  'foo{gibberish}', 'foo{,}', 'foo{__name__="bar" lol}', 'foo{__name__= =}', '{}', '{x=~".*"}',
  'foo{__name__="bar"}', 'foo[5m1h]', 'foo[0m]', 'foo[5m', 'sum by (a) by (b) (x)', 'abs x',
  'rate(x[5m)', 'sum(x) by', 'some_metric OFFSET 1m[5m]', 'some_metric @ 1234 [5m]',
  'some_metric[5m] @', '(foo + bar)[5m]', 'sum without(==)(x)', 'sum without(foo,,)(x)',
  'sum some_metric by (test)', 'sum (some_metric) by test', 'sum () by (test)',
  'sum (x) without (a) by (b)', 'topk(some_metric)', 'topk(some_metric,)', 'topk(a, b)',
  'count_values(5, x)', 'floor()', 'floor(1)', 'hour(a, b, c)', 'label_join(x)',
  'non_existent_function_far_bar()', 'rate(some_metric)', 'rate(x) + y[5m]', 'x + y[5m]',
  'x[5m:1m][5m:1m]', '-=', '++-++-+-+-<', 'a>b()', '`\\``', '"\\', '"abc', 'sum(x)\n  + \n  foo{',
  '"ü" + fo{', 'x{a="b"', 'a +', 'foo @', 'foo[1m:1m:1m]', 'topk(1, x, y)', 'x[5m] @ start',
  'label_replace(x, "a", "b", "c")', 'count_values(x, y)', 'a * on(b) group_left(c) group_right d',
  'x == bool on(a) y', 'abs(x', '{a="b"} offset 1x', 'foo)', 'foo}', 'foo]', 'sum(x,)', 'x[1h:5m:]',
  'vector(1) and 1', 'x unless on(a) group_left y', '1 + "a"', '"a" + x', 'x @ 1 offset 1m @ 2',
  'time() offset 5m', 'a +on(b) c', 'a group_left b', 'quantile(x)', 'foo[5m:]offset 1m offset 2m',
];

interface ApiAnswer {
  status: string;
  data?: string;
  error?: string;
}

test('prettify matches Prometheus format_query', { timeout: 120_000 }, async (t) => {
  const bin = requirePeer('prometheus', t);
  if (bin === undefined) return;
  const dir = tempDir('pyrometer-promql-format-');
  const port = await freePort();
  writeFileSync(join(dir.path, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const proc = startProcess(bin, [
    `--config.file=${join(dir.path, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir.path, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/-/ready`, 30_000, proc);
    const format = async (q: string): Promise<ApiAnswer> => {
      const r = await fetch(`${base}/api/v1/format_query?query=${encodeURIComponent(q)}`);
      return (await r.json()) as ApiAnswer;
    };

    let compared = 0;
    let theirsFailed = 0;
    const mismatches: string[] = [];
    const extra = [
      'sum by (job, instance) (rate(http_requests_total{job="api-server",handler=~"/api/v1/.*",code!~"5.."}[5m])) / on (job) group_left (instance) sum by (job) (rate(http_requests_total[5m]))',
      'histogram_quantile(0.99, sum without (instance, pod, container, namespace) (rate(apiserver_request_duration_seconds_bucket{verb!~"WATCH|CONNECT"}[5m:30s] offset 1h @ 1700000000)))',
      'label_replace(label_replace(up{job="node-exporter-with-a-rather-long-job-name"}, "a", "$1", "instance", "(.*):.*"), "b", "x", "", "")',
      '-(some_metric_with_a_long_name_that_goes_on{label_one="value one", label_two="value two"} * 1000000 + 2 ^ 3 ^ 2)',
      'topk(10, count_values("version", build_info{job=~"prometheus|alertmanager|pushgateway|node|blackbox"})) > bool 1e-7',
      '1e-5 + 0x1F + 0755 - Inf + NaN + -0.0000001 + 12345.678 + 1e6',
      `"\\a\\b\\f\\n\\r\\t\\v\\\\ \\u00e9 \\U0001F600 \\x41 \\101 ☺" + 'x' + \`raw\``,
    ];
    for (const q of [...conformanceExpressions().map((c) => c.expr), ...extra]) {
      const theirs = await format(q);
      if (theirs.status !== 'success') {
        theirsFailed++;
        continue;
      }
      compared++;
      let ours: string;
      try {
        ours = prettify(parseExpr(q, ALL_FEATURES));
      } catch (e) {
        ours = `ERROR ${(e as Error).message}`;
      }
      if (ours !== numbersAsIn3x(theirs.data!)) mismatches.push(`${q}\n    prometheus: ${theirs.data}\n    ours:       ${ours}`);
    }
    console.log(`promql parser: format_query agrees on ${compared - mismatches.length}/${compared} expressions (${theirsFailed} not parseable by this Prometheus)`);
    assert.ok(compared > 1200, `only ${compared} expressions compared`);
    assert.deepEqual(mismatches, []);

    const errorMismatches: string[] = [];
    for (const q of STABLE_ERRORS) {
      const theirs = await format(q);
      const theirError = theirs.status === 'success' ? '(parsed)' : theirs.error!.replace('invalid parameter "query": ', '').trim();
      let ours = '(parsed)';
      try {
        parseExpr(q, ALL_FEATURES);
      } catch (e) {
        ours = (e as Error).message;
      }
      if (ours !== theirError) errorMismatches.push(`${JSON.stringify(q)}\n    prometheus: ${theirError}\n    ours:       ${ours}`);
    }
    console.log(`promql parser: ${STABLE_ERRORS.length - errorMismatches.length}/${STABLE_ERRORS.length} error messages identical to Prometheus`);
    assert.deepEqual(errorMismatches, []);
  } finally {
    await proc.stop();
    dir.remove();
  }
});
