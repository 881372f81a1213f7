import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiesFromOpenMetrics, familiesFromText, lint } from './lint.js';

const problems = (text: string) => lint(familiesFromText(text)).map((p) => `${p.metric} ${p.text}`);

test('lint applies the promlint rules to text-format families', () => {
  const text = [
    '# HELP a_seconds ok',
    '# TYPE a_seconds histogram',
    'a_seconds_bucket{le="1"} 1',
    'a_seconds_bucket{le="+Inf"} 1',
    'a_seconds_sum 1',
    'a_seconds_count 1',
    '# HELP b counter',
    '# TYPE b counter',
    'b{myLabel="x"} 1',
    '# HELP c_total gauge',
    '# TYPE c_total gauge',
    'c_total 1',
    '# HELP d_timestamp_seconds c',
    '# TYPE d_timestamp_seconds counter',
    'd_timestamp_seconds 1',
    '# HELP e_ms g',
    '# TYPE e_ms gauge',
    'e_ms 1',
    'e_ms 2',
    '# HELP f:rate_milliseconds g',
    '# TYPE f:rate_milliseconds gauge',
    'f:rate_milliseconds{quantile="1"} 1',
    '# HELP g_summary_bytes s',
    '# TYPE g_summary_bytes summary',
    'g_summary_bytes{quantile="0.5"} 1',
    'g_summary_bytes_count 1',
    'h_sum 1',
  ].join('\n');
  assert.deepEqual(problems(text), [
    'b counter metrics should have "_total" suffix',
    "b label names should be written in 'snake_case' not 'camelCase'",
    'c_total non-counter metrics should not have "_total" suffix',
    'd_timestamp_seconds counter metrics should have "_total" suffix',
    'd_timestamp_seconds non-gauge metrics should not have "_timestamp_seconds" suffix',
    'e_ms metric names should not contain abbreviated units',
    'e_ms metric not unique',
    "f:rate_milliseconds metric names should not contain ':'",
    'f:rate_milliseconds non-summary metrics should not have "quantile" label',
    'f:rate_milliseconds use base unit "seconds" instead of "milliseconds"',
    "g_summary_bytes metric name should not include type 'summary'",
    'h_sum no help text',
  ]);
});

test('families follow promtool grouping: suffixes join typed histograms and summaries, empty families vanish', () => {
  const fams = familiesFromText('# TYPE a counter\na_total 1\n# TYPE s summary\ns_sum 1\ns_count{x="1"} 1\ns{quantile="0.5",x="1"} 1\n');
  assert.deepEqual(
    fams.map((f) => [f.name, f.type, f.metrics]),
    [
      ['a_total', 'untyped', [[]]],
      ['s', 'summary', [[], ['x', '1']]],
    ],
  );
  assert.throws(() => familiesFromText('a 1\n# TYPE a gauge\n'), /^ParseError: 2:1: second TYPE line/);
  assert.throws(() => familiesFromText('# HELP a x\n# HELP a y\n'), /^ParseError: 2:1: second HELP line/);
});

test('OpenMetrics families are validated strictly and counters are linted by their _total name', () => {
  const fams = familiesFromOpenMetrics('# TYPE a counter\n# HELP a x\na_total 1\na_created 1\n# TYPE i info\ni_info{v="1"} 1\n# EOF\n');
  assert.deepEqual(
    fams.map((f) => [f.name, f.type, f.hasHelp, f.metrics.length]),
    [
      ['a_total', 'counter', true, 1],
      ['i', 'info', false, 1],
    ],
  );
  assert.deepEqual(lint(fams).map((p) => `${p.metric} ${p.text}`), ['i no help text']);
  assert.throws(() => familiesFromOpenMetrics('# TYPE a counter\na_total -1\n# EOF\n'), /2:1: counter total must not be negative/);
});
