import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectDefaultMetrics } from './index.js';
import { Registry } from '../registry.js';

test('registers every default metric with prefix and labels, text and OpenMetrics', async () => {
  const reg = new Registry();
  const d = collectDefaultMetrics({ register: reg, prefix: 'app_', labels: { env: 'test' } });
  try {
    const text = await reg.metrics();
    for (const name of [
      'process_cpu_user_seconds_total', 'process_cpu_system_seconds_total', 'process_cpu_seconds_total',
      'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_heap_size_total_bytes',
      'nodejs_heap_size_used_bytes', 'nodejs_external_memory_bytes', 'nodejs_eventloop_lag_seconds',
      'nodejs_version_info',
    ]) {
      assert.match(text, new RegExp(`^# TYPE app_${name} `, 'm'));
      assert.match(text, new RegExp(`^app_${name}\\{[^}]*env="test"`, 'm'));
    }
    assert.match(text, /^# TYPE app_nodejs_gc_duration_seconds histogram$/m);
    assert.match(text, /^app_nodejs_heap_space_size_used_bytes\{env="test",space="old"\} [\d.e+]+$/m);
    const om = await reg.metrics(Registry.OPENMETRICS_CONTENT_TYPE);
    assert.match(om, /^app_process_cpu_seconds_total\{env="test"\} [\d.e-]+$/m);
    assert.ok(om.endsWith('# EOF\n'));
  } finally {
    d.stop();
  }
  assert.equal(await reg.metrics(), '');
});

test('a second call on one registry fails and leaves the first set intact', async () => {
  const reg = new Registry();
  const d = collectDefaultMetrics({ register: reg });
  try {
    assert.throws(() => collectDefaultMetrics({ register: reg }), /clashes/);
    assert.match(await reg.metrics(), /^process_cpu_seconds_total /m);
  } finally {
    d.stop();
  }
});
