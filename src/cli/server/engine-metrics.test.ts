import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '@pyrometer/client';
import { Labels } from '../../model/labels.js';
import { Engine } from '../../promql/engine.js';
import { Head } from '../../tsdb/head/head.js';
import { registerEngineMetrics } from './engine-metrics.js';

test('engine metrics as Prometheus names them', async () => {
  const head = new Head();
  const app = head.appender();
  app.append(0, Labels.fromStrings('__name__', 'up', 'job', 'a'), 0, 1);
  await app.commit();
  const registry = new Registry();
  const engine = new Engine({ maxConcurrency: 7 });
  registerEngineMetrics(registry, engine);
  await engine.instantQueryAsync(head, 'up', 0);
  engine.instantQuery(head, 'up + up', 0);
  const text = await registry.metrics();
  const value = (series: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    assert.ok(line, `${series} missing in\n${text}`);
    return Number(line.slice(series.length + 1));
  };
  assert.equal(value('prometheus_engine_queries'), 0);
  assert.equal(value('prometheus_engine_queries_concurrent_max'), 7);
  assert.equal(value('prometheus_engine_query_samples_total'), 3);
  assert.equal(value('prometheus_engine_query_log_enabled'), 0);
  assert.equal(value('prometheus_engine_query_log_failures_total'), 0);
  for (const slice of ['inner_eval', 'prepare_time', 'queue_time', 'result_sort']) {
    assert.equal(value(`prometheus_engine_query_duration_seconds_count{slice="${slice}"}`), 2);
    for (const q of ['0.5', '0.9', '0.99']) assert.ok(value(`prometheus_engine_query_duration_seconds{slice="${slice}",quantile="${q}"}`) >= 0);
  }
  assert.match(text, /# TYPE prometheus_engine_query_duration_seconds summary/);
});
