import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as client from './index.js';

test('the package entry exports the prom-client style API and the exposition pieces', async () => {
  for (const name of [
    'Registry', 'register', 'Counter', 'Gauge', 'Histogram', 'Summary', 'Info', 'StateSet', 'Enum',
    'linearBuckets', 'exponentialBuckets', 'serialize', 'writeText', 'writeOpenMetrics', 'negotiate', 'acceptsGzip',
    'validateMetricName', 'validateLabelName', 'collectDefaultMetrics', 'metricsHandler', 'Pushgateway', 'AggregatorRegistry',
  ]) {
    assert.equal(typeof (client as Record<string, unknown>)[name] !== 'undefined', true, name);
  }
  assert.equal(client.prometheusContentType, 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(client.openMetricsContentType, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
  // Metrics constructed without `registers` land in the global registry.
  const c = new client.Counter({ name: 'index_test_total', help: 'x' });
  c.inc();
  assert.equal(client.register.getSingleMetric('index_test_total'), c);
  assert.match(await client.register.metrics(), /^index_test_total 1$/m);
  client.register.removeSingleMetric('index_test_total');
});
