import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStaleNaN } from '../../model/value.js';
import { parseSeriesDesc, parseTestDuration } from './series_desc.js';

const values = (line: string): (number | string)[] =>
  parseSeriesDesc(line).items.map((i) => (i.kind === 'value' ? (isStaleNaN(i.v) ? 'stale' : i.v) : i.kind));

test('series descriptions expand value sequences', () => {
  const d = parseSeriesDesc('http_requests{job="api", instance="0"} 0+10x3 _ stale 1e3 -Inf');
  assert.equal(d.labels.toString(), '{__name__="http_requests", instance="0", job="api"}');
  assert.deepEqual(values('m 0+10x3 _ stale 1e3 -Inf'), [0, 10, 20, 30, 'gap', 'stale', 1000, -Infinity]);
  assert.deepEqual(values('m 99-1x2 0x2 _x2 .5'), [99, 98, 97, 0, 0, 0, 'gap', 'gap', 0.5]);
  assert.deepEqual(values('m 2+0x1'), [2, 2]);
});

test('quoted names, escapes and histograms are recognised', () => {
  const d = parseSeriesDesc('{"my.metric", a="x\\"y", b=`raw\\n`} {{schema:0 sum:1 count:1}}x2 3');
  assert.equal(d.labels.metricName(), 'my.metric');
  assert.equal(d.labels.get('a'), 'x"y');
  assert.equal(d.labels.get('b'), 'raw\\n');
  assert.equal(d.histogram, true);
  assert.deepEqual(values('{"my.metric"} {{schema:0 sum:1 count:1}}x2 3'), ['histogram', 'histogram', 'histogram', 3]);
});

test('start-timestamp lines take durations', () => {
  const d = parseSeriesDesc('m{a="1"}@st _ -30s-1mx2 +1m');
  assert.equal(d.startTimestamps, true);
  assert.deepEqual(d.items.map((i) => (i.kind === 'value' ? i.v : i.kind)), ['gap', -30000, -90000, -150000, 60000]);
  assert.equal(parseTestDuration('1h30m'), 5400000);
  assert.equal(parseTestDuration('0'), 0);
});
