import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collect } from './collect.js';
import { OpenMetricsParser } from './openmetricsparse.js';
import { Entry, ParseError, type ParserOptions } from './types.js';

const parse = (text: string, opts: ParserOptions = {}) => collect(new OpenMetricsParser(text, opts));

function errorOf(text: string, opts: ParserOptions = { strict: true }): string {
  try {
    parse(text, opts);
  } catch (e) {
    assert.ok(e instanceof ParseError, `not a ParseError: ${String(e)}`);
    return e.message;
  }
  assert.fail(`no error for ${JSON.stringify(text)}`);
}

const EXPOSITION = [
  '# TYPE acme_http_router_request_seconds summary',
  '# UNIT acme_http_router_request_seconds seconds',
  '# HELP acme_http_router_request_seconds Latency \\"though\\" all\\nrouters.',
  'acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32',
  'acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0',
  'acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0',
  '# TYPE foo histogram',
  'foo_bucket{le="0.01"} 0',
  'foo_bucket{le="0.1"} 8 # {} 0.054',
  'foo_bucket{le="1"} 11 # {trace_id="KOO5S4vxi0o"} 0.67',
  'foo_bucket{le="10"} 17 # {trace_id="oHg5SJYRHA0"} 9.8 1520879607.789',
  'foo_bucket{le="+Inf"} 17',
  'foo_count 17',
  'foo_sum 324789.3',
  'foo_created 1520430000.123',
  '# TYPE build info',
  'build_info{version="1.2",name="pretty name"} 1',
  '# TYPE state stateset',
  'state{entity="replica",state="a"} 1.0 1520879607.789',
  'state{entity="replica",state="bb"} 0 1520879607.789',
  '# TYPE "my.dotted" gauge',
  '{"my.dotted","a.b"="c"} 2.5 -1.5',
  '# EOF',
  '',
].join('\n');

test('OpenMetrics: metadata, samples, timestamps in seconds and exemplars', () => {
  const items = parse(EXPOSITION, { strict: true });
  assert.deepEqual(items.slice(0, 4), [
    { kind: 'type', line: 1, name: 'acme_http_router_request_seconds', type: 'summary' },
    { kind: 'unit', line: 2, name: 'acme_http_router_request_seconds', unit: 'seconds' },
    { kind: 'help', line: 3, name: 'acme_http_router_request_seconds', help: 'Latency "though" all\nrouters.' },
    {
      kind: 'series',
      line: 4,
      series: 'acme_http_router_request_seconds_sum{path="/api/v1",method="GET"}',
      labels: { __name__: 'acme_http_router_request_seconds_sum', method: 'GET', path: '/api/v1' },
      value: 9036.32,
    },
  ]);
  const byLine = new Map(items.map((i) => [i.line, i]));
  assert.deepEqual(byLine.get(9), {
    kind: 'series',
    line: 9,
    series: 'foo_bucket{le="0.1"}',
    labels: { __name__: 'foo_bucket', le: '0.1' },
    value: 8,
    exemplar: { labels: [], value: 0.054 },
  });
  assert.deepEqual(byLine.get(10)?.kind === 'series' && byLine.get(10), {
    kind: 'series',
    line: 10,
    series: 'foo_bucket{le="1"}',
    labels: { __name__: 'foo_bucket', le: '1.0' },
    value: 11,
    exemplar: { labels: ['trace_id', 'KOO5S4vxi0o'], value: 0.67 },
  });
  const b10 = byLine.get(11);
  assert.ok(b10?.kind === 'series');
  assert.deepEqual(b10.exemplar, { labels: ['trace_id', 'oHg5SJYRHA0'], value: 9.8, timestamp: 1520879607789 });
  assert.equal(b10.labels.le, '10.0');
  assert.deepEqual(byLine.get(16), { kind: 'type', line: 16, name: 'build', type: 'info' });
  const st = byLine.get(19);
  assert.ok(st?.kind === 'series');
  assert.deepEqual([st.value, st.timestamp, st.labels], [1, 1520879607789, { __name__: 'state', entity: 'replica', state: 'a' }]);
  assert.deepEqual(byLine.get(22), {
    kind: 'series',
    line: 22,
    series: '{"my.dotted","a.b"="c"}',
    labels: { __name__: 'my.dotted', 'a.b': 'c' },
    value: 2.5,
    timestamp: -1500,
  });
  assert.equal(items.length, 22);
});

test('OpenMetrics: _created samples can be hidden and read as created timestamps', () => {
  const p = new OpenMetricsParser(EXPOSITION, { skipCreatedSeries: true });
  const seen: Array<[string, number | undefined]> = [];
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    if (e === Entry.Series) seen.push([p.series(), p.createdTimestamp()]);
  }
  assert.deepEqual(seen.slice(0, 8), [
    ['acme_http_router_request_seconds_sum{path="/api/v1",method="GET"}', 1605281325000],
    ['acme_http_router_request_seconds_count{path="/api/v1",method="GET"}', 1605281325000],
    ['foo_bucket{le="0.01"}', 1520430000123],
    ['foo_bucket{le="0.1"}', 1520430000123],
    ['foo_bucket{le="1"}', 1520430000123],
    ['foo_bucket{le="10"}', 1520430000123],
    ['foo_bucket{le="+Inf"}', 1520430000123],
    ['foo_count', 1520430000123],
  ]);
  assert.ok(!seen.some(([s]) => s.includes('_created')));
  assert.deepEqual(seen[9], ['build_info{version="1.2",name="pretty name"}', undefined]);

  const kept = parse(EXPOSITION).filter((i) => i.kind === 'series' && i.series.includes('_created'));
  assert.equal(kept.length, 2);
});

test('OpenMetrics: created timestamps match labels and stay within the family', () => {
  const p = new OpenMetricsParser(
    ['# TYPE c counter', 'c_total{a="1"} 1', 'c_total{a="2"} 2', 'c_created{a="2"} 20', '# TYPE d counter', 'd_total 1', 'd_created 5', '# EOF'].join('\n'),
  );
  const cts: Array<number | undefined> = [];
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) if (e === Entry.Series) cts.push(p.createdTimestamp());
  assert.deepEqual(cts, [undefined, 20000, undefined, 5000, undefined]);
});

test('OpenMetrics: grammar errors carry line:column', () => {
  assert.equal(errorOf('a 1\n'), '2:1: data does not end with "# EOF"');
  assert.equal(errorOf('a 1'), '1:4: data does not end with "# EOF"');
  assert.equal(errorOf('a 1\n# EOF\nb 2\n'), '3:1: unexpected data after "# EOF"');
  assert.equal(errorOf('a  1\n# EOF\n'), '1:3: invalid value ""');
  assert.equal(errorOf('a{b="c",} 1\n# EOF\n'), '1:8: trailing comma in label set');
  assert.equal(errorOf('a{b = "c"} 1\n# EOF\n'), '1:4: expected "=" after label name');
  assert.equal(errorOf('a 1 2 # {x="y"}\n# EOF\n'), '1:16: expected a space and a value after the exemplar labels');
  assert.equal(errorOf('# TYPE a untyped\n# EOF\n'), '1:10: invalid metric type "untyped"');
  assert.equal(errorOf('# UNIT a_bytes seconds\n# EOF\n'), '1:16: unit "seconds" is not a suffix of metric "a_bytes"');
  assert.equal(errorOf('# comment\n# EOF\n'), '1:3: expected HELP, TYPE, UNIT or EOF after "# "');
  assert.equal(errorOf('\n# EOF\n'), '1:1: expected a metric name or "{"');
});

test('OpenMetrics: strict mode enforces the semantic rules, lenient mode reads as Prometheus does', () => {
  const cases: Array<[string, string]> = [
    ['# TYPE a counter\na_total -1\n# EOF\n', '2:1: counter total must not be negative'],
    ['# TYPE a counter\na 1\n# EOF\n', '2:1: sample "a" does not fit counter family "a"'],
    ['# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n# EOF\n', '5:1: metric family "a" appears twice (families must not be interleaved)'],
    ['# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\n# EOF\n', '3:1: bucket values must be cumulative'],
    ['# TYPE h histogram\nh_bucket{le="1"} 0\n# EOF\n', '2:1: histogram metric point without a +Inf bucket'],
    ['# TYPE g gauge\ng 1 # {a="b"} 1\n# EOF\n', '2:1: exemplars are only allowed on counter totals and histogram buckets'],
    ['# TYPE g gauge\ng{x="1"} 1\ng{x="2"} 1\ng{x="1"} 1\n# EOF\n', '4:1: metrics of one family must not be interleaved'],
    ['g{x="1",} 1\n# EOF\n', '1:8: trailing comma in label set'],
  ];
  for (const [text, want] of cases) {
    assert.equal(errorOf(text), want);
    assert.ok(parse(text).length > 0, `lenient mode rejected ${JSON.stringify(text)}`);
  }
});
