import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createParser, formatFromContentType, sniffFormat } from './create.js';
import { OpenMetricsParser } from './openmetricsparse.js';
import { PromParser } from './promparse.js';

test('the parser follows the Content-Type and defaults to the text format', () => {
  assert.equal(formatFromContentType('application/openmetrics-text; version=1.0.0; charset=utf-8'), 'openmetrics');
  assert.equal(formatFromContentType('Application/OpenMetrics-Text'), 'openmetrics');
  assert.equal(formatFromContentType('text/plain; version=0.0.4; charset=utf-8'), 'text');
  assert.equal(formatFromContentType(undefined), 'text');
  assert.equal(formatFromContentType('application/json'), 'text');
  assert.throws(() => formatFromContentType('application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily'), /unsupported/);
  assert.ok(createParser('application/openmetrics-text', '# EOF\n') instanceof OpenMetricsParser);
  assert.ok(createParser('', 'a 1\n') instanceof PromParser);
});

test('sniffFormat recognises OpenMetrics by # EOF or OpenMetrics-only syntax', () => {
  assert.equal(sniffFormat('a 1\n# EOF\n'), 'openmetrics');
  assert.equal(sniffFormat('a 1\n# EOF'), 'openmetrics');
  assert.equal(sniffFormat('# TYPE a_seconds gauge\n# UNIT a_seconds seconds\na_seconds 1\n'), 'openmetrics');
  assert.equal(sniffFormat('# TYPE a stateset\na{a="x"} 1\n'), 'openmetrics');
  assert.equal(sniffFormat('a_total 1 # {trace_id="x"} 1\n'), 'openmetrics');
  assert.equal(sniffFormat('# HELP a x\n# TYPE a counter\na 1\n'), 'text');
  assert.equal(sniffFormat(Buffer.from('a{b="c"} 1 123\n')), 'text');
});
