import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collect } from './collect.js';
import { PromParser } from './promparse.js';
import { Entry, ParseError } from './types.js';

const parse = (text: string | Buffer) => collect(new PromParser(text));

function errorOf(text: string | Buffer): string {
  try {
    parse(text);
  } catch (e) {
    assert.ok(e instanceof ParseError, `not a ParseError: ${String(e)}`);
    return e.message;
  }
  assert.fail(`no error for ${JSON.stringify(text.toString())}`);
}

test('text format: metadata, comments, samples, escapes and timestamps', () => {
  const body = [
    '# HELP http_requests_total The total number of HTTP requests. Back\\\\slash, new\\nline, \\"kept\\".',
    '# TYPE http_requests_total counter',
    'http_requests_total{method="post",code="200"} 1027 1395066363000',
    'http_requests_total{method="post",code="400"}    3 1395066363000',
    '',
    '# Escaping in label values:',
    'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
    '  metric_without_timestamp_and_labels 12.47',
    'something_weird{problem="division by zero"} +Inf -3982045',
    'nan_metric NaN',
    'trailing_comma{a="1", b = "2" ,} -0.5e-3',
    '{"my.dotted.metric", "label.with.dots"="ü", plain="x"} 7',
    '# TYPE "my.dotted.metric" gauge',
  ].join('\n');
  const items = parse(body);
  assert.deepEqual(items[0], {
    kind: 'help',
    line: 1,
    name: 'http_requests_total',
    help: 'The total number of HTTP requests. Back\\slash, new\nline, \\"kept\\".',
  });
  assert.deepEqual(items[1], { kind: 'type', line: 2, name: 'http_requests_total', type: 'counter' });
  assert.deepEqual(items[2], {
    kind: 'series',
    line: 3,
    series: 'http_requests_total{method="post",code="200"}',
    labels: { __name__: 'http_requests_total', code: '200', method: 'post' },
    value: 1027,
    timestamp: 1395066363000,
  });
  assert.equal(items[3].kind === 'series' && items[3].value, 3);
  assert.deepEqual(items[4], { kind: 'comment', line: 6, text: '# Escaping in label values:' });
  assert.deepEqual(items[5].kind === 'series' && items[5].labels, {
    __name__: 'msdos_file_access_time_seconds',
    error: 'Cannot find file:\n"FILE.TXT"',
    path: 'C:\\DIR\\FILE.TXT',
  });
  assert.equal(items[5].kind === 'series' && items[5].value, 1458255915);
  assert.deepEqual(items[6], {
    kind: 'series',
    line: 8,
    series: 'metric_without_timestamp_and_labels',
    labels: { __name__: 'metric_without_timestamp_and_labels' },
    value: 12.47,
  });
  assert.ok(items[7].kind === 'series' && items[7].value === Infinity && items[7].timestamp === -3982045);
  assert.ok(items[8].kind === 'series' && Number.isNaN(items[8].value));
  assert.deepEqual(items[9].kind === 'series' && [items[9].labels, items[9].value], [{ __name__: 'trailing_comma', a: '1', b: '2' }, -0.0005]);
  assert.deepEqual(items[10], {
    kind: 'series',
    line: 12,
    series: '{"my.dotted.metric", "label.with.dots"="ü", plain="x"}',
    labels: { __name__: 'my.dotted.metric', 'label.with.dots': 'ü', plain: 'x' },
    value: 7,
  });
  assert.deepEqual(items[11], { kind: 'type', line: 13, name: 'my.dotted.metric', type: 'gauge' });
  assert.equal(items.length, 12);
});

test('text format: values follow Go ParseFloat spellings', () => {
  const values = (s: string) => parse(s).map((i) => (i.kind === 'series' ? i.value : undefined));
  assert.deepEqual(values('a inf\nb -Inf\nc +infinity\nd 1.\ne .5\nf 1E3\ng 0001\nh -0\n'), [Infinity, -Infinity, Infinity, 1, 0.5, 1000, 1, -0]);
  assert.equal(values('a 0.1000000000000000055511151231257827\n')[0], 0.1);
  assert.equal(values('a 123456789012345678901234567890\n')[0], 1.2345678901234568e29);
  assert.equal(values('a 9007199254740993\n')[0], 9007199254740992);
  for (const bad of ['0x1p-3', '1_000', '+nan', '1e', 'one', '0x10', '--1']) {
    assert.match(errorOf(`a ${bad}\n`), /^1:3: invalid value/, bad);
  }
  assert.equal(errorOf('a 1e400\n'), '1:3: value out of range');
  assert.equal(errorOf('a 1 1.5\n'), '1:5: invalid timestamp "1.5"');
  assert.equal(errorOf('a 1 99999999999999999999\n'), '1:5: invalid timestamp "99999999999999999999"');
});

test('text format: le and quantile values are normalized for their family type', () => {
  const items = parse(
    [
      '# TYPE h histogram',
      'h_bucket{le="1"} 1',
      'h_bucket{le="0.00001"} 1',
      'h_bucket{le="+inf"} 2',
      '# TYPE s summary',
      's{quantile="0.50"} 1',
      'other{le="1"} 1',
    ].join('\n'),
  );
  const les = items.filter((i) => i.kind === 'series').map((i) => (i.kind === 'series' ? i.labels.le ?? i.labels.quantile : ''));
  assert.deepEqual(les, ['1.0', '1e-05', '+Inf', '0.5', '1']);
  // The series text (the scrape-cache key) stays as written.
  assert.equal(items[1].kind === 'series' && items[1].series, 'h_bucket{le="1"}');
});

test('text format: labels without a comma are read as Prometheus does, unless strict', () => {
  const items = parse('a{b="1" c="2"} 1\n');
  assert.deepEqual(items[0].kind === 'series' && items[0].labels, { __name__: 'a', b: '1', c: '2' });
  assert.throws(() => collect(new PromParser('a{b="1" c="2"} 1\n', { strict: true })), /1:9: expected "," or "}" after label value/);
});

test('text format: errors report line:column', () => {
  assert.equal(errorOf('ok 1\nbad{a="1" 2\n'), '2:11: expected "," or "}" after label value');
  assert.equal(errorOf('a{b="1" c} 1\n'), '1:10: expected "=" after label name');
  assert.equal(errorOf('a{b=c} 1'), '1:5: expected a quoted label value');
  assert.equal(errorOf('a 1 2 3\n'), '1:7: unexpected text after the sample');
  assert.equal(errorOf('\n\n# TYPE a summmary\n'), '3:10: invalid metric type "summmary"');
  assert.equal(errorOf('a{1="x"} 1'), '1:3: expected a label name');
  assert.equal(errorOf('a{b="x"}1'), '1:9: expected a blank and a value after the metric');
  assert.equal(errorOf('{b="x"} 1'), '1:1: metric name not set');
  assert.equal(errorOf('{"a","b"} 1'), '1:6: metric name set twice');
  assert.equal(errorOf('a{b="unterminated} 1\n'), '1:21: newline inside quoted string');
  assert.equal(errorOf('ä{b="x"} 1'), '1:1: expected a metric name or "{"');
  assert.equal(errorOf('x{b="ää"} 1 2 3'), '1:15: unexpected text after the sample');
  assert.equal(errorOf('a{b="1",b="2"} 1'), '1:1: duplicate label name "b"');
  assert.equal(errorOf(Buffer.concat([Buffer.from('a 1\nb{c="ü'), Buffer.from([0xff]), Buffer.from('"} 1\n')])), '2:7: invalid UTF-8');
});

test('text format: series() is the exact key and next() is restartable after EOF', () => {
  const p = new PromParser('a{x="1"} 1\n');
  assert.equal(p.next(), Entry.Series);
  assert.equal(p.series(), 'a{x="1"}');
  assert.equal(p.next(), Entry.EOF);
  assert.equal(p.next(), Entry.EOF);
  assert.equal(new PromParser('').next(), Entry.EOF);
  assert.equal(new PromParser('   \n\t\n').next(), Entry.EOF);
});

test('a series hint skips label parsing only when the line starts with exactly its bytes', () => {
  const body = 'foo {a="1"} 5\nfoo 6 1000\nbar{x="y"}\t7\nbar{x="y"}8 9\n';
  const p = new PromParser(body);
  const hint = (s: string) => {
    const k = Buffer.from(`#${s}`);
    p.hintSeries(new DataView(k.buffer, k.byteOffset, k.length), 1, k.length - 1);
  };
  const series = () => [p.series(), p.value(), p.timestamp(), p.matchedHint()];
  // A hinted bare name must not swallow a label set written after a blank.
  hint('foo');
  assert.equal(p.next(), Entry.Series);
  assert.deepEqual(series(), ['foo {a="1"}', 5, undefined, false]);
  assert.equal(p.labels().toString(), '{__name__="foo", a="1"}');
  hint('foo');
  assert.equal(p.next(), Entry.Series);
  assert.deepEqual(series(), ['foo', 6, 1000, true]);
  hint('bar{x="y"}');
  assert.equal(p.next(), Entry.Series);
  assert.deepEqual(series(), ['bar{x="y"}', 7, undefined, true]);
  // Same prefix but no blank after it: parsed in full (and rejected, as without the hint).
  hint('bar{x="y"}');
  assert.throws(() => p.next(), /expected a blank and a value/);
});

test('hints are used by the next series line only, and a wrong hint changes nothing', () => {
  const body = '# HELP a A.\na{b="c"} 1\na{b="d"} 2\n';
  const p = new PromParser(body);
  const k = new TextEncoder().encode('a{b="c"}');
  p.hintSeries(new DataView(k.buffer), 0, k.length);
  assert.equal(p.next(), Entry.Help);
  assert.equal(p.next(), Entry.Series);
  assert.equal(p.matchedHint(), true);
  assert.equal(p.next(), Entry.Series);
  assert.equal(p.matchedHint(), false);
  assert.deepEqual([p.series(), p.value(), p.labels().toString()], ['a{b="d"}', 2, '{__name__="a", b="d"}']);
});
