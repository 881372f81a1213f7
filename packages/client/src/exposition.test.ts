import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricFamily } from './family.js';
import { serialize } from './exposition.js';

const families: MetricFamily[] = [
  {
    name: 'http_requests_total',
    help: 'Requests "served".\nBy path \\ method.',
    type: 'counter',
    metrics: [
      { labels: { path: '/a"b', method: 'GET' }, value: 1027, createdMs: 1520430000123 },
      { labels: { path: 'line\nbreak\\', method: 'POST' }, value: 3, createdMs: 1520430000000, exemplar: { labels: { trace_id: 'KOO5S4vxi0o' }, value: 1, timestampMs: 1520879607789 } },
    ],
  },
  { name: 'temperature_celsius', help: 'Temperature.', type: 'gauge', unit: 'celsius', metrics: [{ labels: {}, value: -3.5, timestampMs: 1520879607789 }] },
  {
    name: 'latency_seconds',
    help: 'Latency.',
    type: 'histogram',
    metrics: [
      {
        labels: { route: '/' },
        bucketBounds: [0.1, 1, Infinity],
        bucketCounts: [2, 5, 6],
        bucketExemplars: [undefined, { labels: {}, value: 0.54 }, undefined],
        sum: 7.25,
        count: 6,
        createdMs: 1520430000000,
      },
    ],
  },
  { name: 'rpc_seconds', help: 'RPC.', type: 'summary', metrics: [{ labels: {}, quantiles: [0.5, 0.99], quantileValues: [0.2, 1000000], sum: 12, count: 40 }] },
  { name: 'build', help: 'Build info.', type: 'info', metrics: [{ labels: { version: '1.2.3' } }] },
  { name: 'mode', help: '', type: 'stateset', metrics: [{ labels: { mode: 'a' }, value: 1 }, { labels: { mode: 'b' }, value: 0 }] },
  { name: 'queue_depth', help: 'Depth.', type: 'unknown', metrics: [{ labels: {}, value: NaN }] },
];

test('Prometheus text format 0.0.4', () => {
  assert.equal(
    serialize(families, 'text'),
    `# HELP http_requests_total Requests "served".\\nBy path \\\\ method.
# TYPE http_requests_total counter
http_requests_total{path="/a\\"b",method="GET"} 1027
http_requests_total{path="line\\nbreak\\\\",method="POST"} 3
# HELP temperature_celsius Temperature.
# TYPE temperature_celsius gauge
temperature_celsius -3.5 1520879607789
# HELP latency_seconds Latency.
# TYPE latency_seconds histogram
latency_seconds_bucket{route="/",le="0.1"} 2
latency_seconds_bucket{route="/",le="1"} 5
latency_seconds_bucket{route="/",le="+Inf"} 6
latency_seconds_sum{route="/"} 7.25
latency_seconds_count{route="/"} 6
# HELP rpc_seconds RPC.
# TYPE rpc_seconds summary
rpc_seconds{quantile="0.5"} 0.2
rpc_seconds{quantile="0.99"} 1e+06
rpc_seconds_sum 12
rpc_seconds_count 40
# HELP build_info Build info.
# TYPE build_info gauge
build_info{version="1.2.3"} 1
# TYPE mode gauge
mode{mode="a"} 1
mode{mode="b"} 0
# HELP queue_depth Depth.
# TYPE queue_depth untyped
queue_depth NaN
`,
  );
});

test('OpenMetrics 1.0', () => {
  assert.equal(
    serialize(families, 'openmetrics'),
    `# TYPE http_requests counter
# HELP http_requests Requests \\"served\\".\\nBy path \\\\ method.
http_requests_total{path="/a\\"b",method="GET"} 1027.0
http_requests_created{path="/a\\"b",method="GET"} 1520430000.123
http_requests_total{path="line\\nbreak\\\\",method="POST"} 3.0 # {trace_id="KOO5S4vxi0o"} 1.0 1520879607.789
http_requests_created{path="line\\nbreak\\\\",method="POST"} 1520430000
# TYPE temperature_celsius gauge
# UNIT temperature_celsius celsius
# HELP temperature_celsius Temperature.
temperature_celsius -3.5 1520879607.789
# TYPE latency_seconds histogram
# HELP latency_seconds Latency.
latency_seconds_bucket{route="/",le="0.1"} 2
latency_seconds_bucket{route="/",le="1.0"} 5 # {} 0.54
latency_seconds_bucket{route="/",le="+Inf"} 6
latency_seconds_count{route="/"} 6
latency_seconds_sum{route="/"} 7.25
latency_seconds_created{route="/"} 1520430000
# TYPE rpc_seconds summary
# HELP rpc_seconds RPC.
rpc_seconds{quantile="0.5"} 0.2
rpc_seconds{quantile="0.99"} 1e+06
rpc_seconds_count 40
rpc_seconds_sum 12.0
# TYPE build info
# HELP build Build info.
build_info{version="1.2.3"} 1
# TYPE mode stateset
mode{mode="a"} 1
mode{mode="b"} 0
# TYPE queue_depth unknown
# HELP queue_depth Depth.
queue_depth NaN
# EOF
`,
  );
});

test('histograms without a +Inf bound get one; _created can be turned off; fragments omit EOF', () => {
  const h: MetricFamily[] = [{ name: 'h', help: '', type: 'histogram', metrics: [{ labels: {}, bucketBounds: [1], bucketCounts: [1], sum: 3, count: 2, createdMs: 1000 }] }];
  assert.equal(serialize(h, 'text'), '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n');
  assert.equal(
    serialize(h, 'openmetrics', { created: false, eof: false }),
    '# TYPE h histogram\nh_bucket{le="1.0"} 1\nh_bucket{le="+Inf"} 2\nh_count 2\nh_sum 3.0\n',
  );
});

test('default labels are appended unless the series has the label', () => {
  const f: MetricFamily[] = [{ name: 'g', help: '', type: 'gauge', metrics: [{ labels: { a: '1' }, value: 1 }, { labels: { env: 'own' }, value: 2 }, { labels: {}, value: 3 }] }];
  assert.equal(
    serialize(f, 'text', { defaultLabels: { env: 'prod', 'dc"': 'x' } }),
    '# TYPE g gauge\ng{a="1",env="prod",dc_="x"} 1\ng{env="own",dc_="x"} 2\ng{env="prod",dc_="x"} 3\n',
  );
});

test('UTF-8 names are quoted under allow-utf-8 and escaped otherwise', () => {
  const f: MetricFamily[] = [
    { name: 'my.requests_total', help: 'h', type: 'counter', metrics: [{ labels: { 'http.method': 'GET', code: '200' }, value: 1 }] },
    { name: 'lat.seconds', help: '', type: 'histogram', metrics: [{ labels: {}, bucketBounds: [Infinity], bucketCounts: [1], sum: 1, count: 1 }] },
  ];
  assert.equal(
    serialize(f, 'text', { escaping: 'allow-utf-8' }),
    `# HELP "my.requests_total" h
# TYPE "my.requests_total" counter
{"my.requests_total","http.method"="GET",code="200"} 1
# TYPE "lat.seconds" histogram
{"lat.seconds_bucket",le="+Inf"} 1
{"lat.seconds_sum"} 1
{"lat.seconds_count"} 1
`,
  );
  assert.equal(
    serialize(f, 'openmetrics', { escaping: 'allow-utf-8', eof: false }).split('\n').slice(0, 3).join('\n'),
    '# TYPE "my.requests" counter\n# HELP "my.requests" h\n{"my.requests_total","http.method"="GET",code="200"} 1.0',
  );
  assert.equal(
    serialize(f.slice(0, 1), 'text'),
    '# HELP my_requests_total h\n# TYPE my_requests_total counter\nmy_requests_total{http_method="GET",code="200"} 1\n',
  );
  assert.match(serialize(f.slice(0, 1), 'text', { escaping: 'values' }), /^U__my_2e_requests__total\{U__http_2e_method="GET",code="200"\} 1$/m);
});

test('counter without _total gets the suffix in OpenMetrics only', () => {
  const f: MetricFamily[] = [{ name: 'jobs', help: '', type: 'counter', metrics: [{ labels: {}, value: 0.5 }] }];
  assert.equal(serialize(f, 'text'), '# TYPE jobs counter\njobs 0.5\n');
  assert.equal(serialize(f, 'openmetrics'), '# TYPE jobs counter\njobs_total 0.5\n# EOF\n');
});

test('an empty exposition', () => {
  assert.equal(serialize([], 'text'), '');
  assert.equal(serialize([], 'openmetrics'), '# EOF\n');
});

test('output is the same with the label cache off', () => {
  assert.equal(serialize(families, 'text', { cacheLabels: false }), serialize(families, 'text'));
  assert.equal(serialize(families, 'openmetrics', { cacheLabels: false }), serialize(families, 'openmetrics'));
  assert.equal(
    serialize(families, 'openmetrics', { cacheLabels: false, defaultLabels: { x: '1' }, escaping: 'allow-utf-8' }),
    serialize(families, 'openmetrics', { defaultLabels: { x: '1' }, escaping: 'allow-utf-8' }),
  );
});

test('OpenMetrics leaves out what the specification forbids: sums of histograms with negative values, negative quantiles', () => {
  const f: MetricFamily[] = [
    { name: 'neg_bounds', help: '', type: 'histogram', metrics: [{ labels: {}, bucketBounds: [-1, Infinity], bucketCounts: [1, 2], sum: 3, count: 2 }] },
    { name: 'neg_sum', help: '', type: 'histogram', metrics: [{ labels: {}, bucketBounds: [1, Infinity], bucketCounts: [1, 1], sum: -3, count: 1 }] },
    { name: 's', help: '', type: 'summary', metrics: [{ labels: {}, quantiles: [0.5, 0.9], quantileValues: [-1, 2], sum: NaN, count: 2 }] },
  ];
  assert.equal(
    serialize(f, 'openmetrics'),
    `# TYPE neg_bounds histogram
neg_bounds_bucket{le="-1.0"} 1
neg_bounds_bucket{le="+Inf"} 2
# TYPE neg_sum histogram
neg_sum_bucket{le="1.0"} 1
neg_sum_bucket{le="+Inf"} 1
# TYPE s summary
s{quantile="0.9"} 2.0
s_count 2
# EOF
`,
  );
  // The text format has no such rules and keeps everything.
  assert.match(serialize(f, 'text'), /^neg_sum_sum -3$/m);
  assert.match(serialize(f, 'text'), /^s\{quantile="0.5"\} -1$/m);
});
