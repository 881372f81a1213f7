import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiate, acceptsGzip, formatFromContentType } from './negotiate.js';

test('the Accept header Prometheus 3 sends selects OpenMetrics 1.0.0 with UTF-8 names', () => {
  const accept =
    'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,' +
    'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
  assert.deepEqual(negotiate(accept), {
    format: 'openmetrics',
    escaping: 'allow-utf-8',
    contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8',
  });
});

test('Prometheus 2 style Accept header selects OpenMetrics with underscore escaping', () => {
  const accept = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
  const n = negotiate(accept);
  assert.equal(n.format, 'openmetrics');
  assert.equal(n.escaping, 'underscores');
  assert.equal(n.contentType, 'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores');
});

test('quality order wins over listing order; OpenMetrics 0.0.1 and no version', () => {
  assert.equal(negotiate('application/openmetrics-text;version=1.0.0;q=0.1,text/plain;version=0.0.4').format, 'text');
  assert.equal(negotiate('application/openmetrics-text;version=0.0.1').contentType, 'application/openmetrics-text; version=0.0.1; charset=utf-8; escaping=underscores');
  assert.equal(negotiate('application/openmetrics-text').format, 'openmetrics');
});

test('unknown or absent types fall back to the text format', () => {
  for (const a of [undefined, '', '*/*', 'text/html,application/json', 'application/openmetrics-text;version=2.0.0', 'text/plain;version=1.0.0']) {
    const n = negotiate(a);
    assert.equal(n.format, 'text', String(a));
    assert.equal(n.contentType, 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores');
  }
});

test('an escaping parameter on a skipped range still applies, unknown schemes are ignored', () => {
  assert.equal(negotiate('text/plain;version=1.0.0;escaping=dots,text/plain;version=0.0.4;q=0.5').escaping, 'dots');
  assert.equal(negotiate('text/plain;escaping=bogus').escaping, 'underscores');
  assert.equal(negotiate('text/plain;escaping=values').escaping, 'values');
});

test('acceptsGzip', () => {
  assert.equal(acceptsGzip('gzip'), true);
  assert.equal(acceptsGzip('deflate, gzip;q=1.0, *;q=0.5'), true);
  assert.equal(acceptsGzip('gzip;q=0'), false);
  assert.equal(acceptsGzip('identity'), false);
  assert.equal(acceptsGzip('*'), true);
  assert.equal(acceptsGzip(undefined), false);
});

test('formatFromContentType', () => {
  assert.deepEqual(formatFromContentType('text/plain; version=0.0.4; charset=utf-8'), { format: 'text', escaping: 'underscores' });
  assert.deepEqual(formatFromContentType('application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8'), {
    format: 'openmetrics',
    escaping: 'allow-utf-8',
  });
  assert.throws(() => formatFromContentType('application/json'), /unsupported content type/);
});
