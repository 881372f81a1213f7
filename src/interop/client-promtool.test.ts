/**
 * The client library's text exposition, for a registry holding every metric type, passes the
 * real `promtool check metrics` (parse and lint) with exit code 0 and no findings. promtool
 * reads only the text format, so the OpenMetrics rendering of the same registry goes through the
 * server's strict OpenMetrics parser instead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Counter, Enum, Gauge, Histogram, Info, Registry, StateSet, Summary, exponentialBuckets } from '@pyrometer/client';
import { requirePeer } from '../testing/peers.js';
import { OpenMetricsParser } from '../textparse/index.js';
import { collect } from '../textparse/collect.js';

function everyTypeRegistry(): Registry {
  const registers = [new Registry(Registry.PROMETHEUS_CONTENT_TYPE, { createdSamples: true })];
  const requests = new Counter({ name: 'app_http_requests_total', help: 'Requests handled, by method and code.', labelNames: ['method', 'code'], registers });
  requests.labels('GET', '200').inc(41);
  requests.inc({ method: 'POST', code: '500' });
  requests.labels('GET', '404').incWithExemplar({ trace_id: 'abc123' }, 2);
  new Counter({ name: 'app_sent_bytes_total', help: 'Bytes "sent" \\ with escapes\nin help.', unit: 'bytes', registers }).inc(1e21);
  const queue = new Gauge({ name: 'app_queue_length', help: 'Items waiting.', labelNames: ['queue'], registers });
  queue.set({ queue: 'a "quoted"\\ value\nwith newline' }, -3);
  queue.labels('b').set(NaN);
  queue.labels('c').set(Infinity);
  new Gauge({ name: 'app_start_time_seconds', help: 'Start time.', registers }).setToCurrentTime();
  const lat = new Histogram({ name: 'app_request_duration_seconds', help: 'Request latency.', labelNames: ['route'], buckets: exponentialBuckets(0.001, 4, 8), registers });
  for (const v of [0.0005, 0.002, 0.3, 7, 100]) lat.observe({ route: '/api' }, v);
  lat.labels('/health').observeWithExemplar({ trace_id: 'x' }, 0.01);
  const size = new Summary({ name: 'app_response_size_bytes', help: 'Response sizes.', labelNames: ['route'], percentiles: [0.5, 0.9, 0.99], registers });
  for (let i = 0; i < 1000; i++) size.observe({ route: '/api' }, i * 10);
  size.labels('/empty');
  new Info({ name: 'app_build', help: 'Build information.', registers }).set({ version: '1.2.3', revision: 'deadbeef' });
  new StateSet({ name: 'app_feature', help: 'Feature flags.', states: ['alpha', 'beta'], registers }).setState('beta', true);
  new Enum({ name: 'app_phase', help: 'Lifecycle phase.', states: ['starting', 'running'], registers }).state('running');
  new Gauge({ name: 'app.utf8.temperature', help: 'A UTF-8 name.', labelNames: ['sensor.id'], registers }).set({ 'sensor.id': 'a' }, 21.5);
  return registers[0];
}

test('promtool check metrics accepts the text exposition of every metric type', async (t) => {
  const promtool = requirePeer('promtool', t);
  if (!promtool) return;
  const text = await everyTypeRegistry().metrics();
  // Sanity: every type made it into the exposition.
  for (const type of ['counter', 'gauge', 'histogram', 'summary']) assert.match(text, new RegExp(`^# TYPE \\S+ ${type}$`, 'm'));
  assert.match(text, /^app_build_info\{version="1\.2\.3",revision="deadbeef"\} 1$/m);
  const r = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.error, undefined);
  assert.equal(`${r.stdout}${r.stderr}`, '', `promtool findings for:\n${text}`);
  assert.equal(r.status, 0);
});

test('promtool rejects a broken exposition (the check can fail)', async (t) => {
  const promtool = requirePeer('promtool', t);
  if (!promtool) return;
  const text = (await everyTypeRegistry().metrics()).replace('app_queue_length{queue="b"} NaN', 'app_queue_length{queue="b"} not-a-number');
  const r = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
  assert.notEqual(r.status, 0);
});

test('the OpenMetrics rendering passes the strict OpenMetrics parser, with and without UTF-8 names', async () => {
  const reg = everyTypeRegistry();
  for (const escaping of ['underscores', 'allow-utf-8']) {
    const text = await reg.metrics(`application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=${escaping}`);
    const items = collect(new OpenMetricsParser(text, { strict: true }));
    const types = new Set(items.flatMap((i) => (i.kind === 'type' ? [i.type] : [])));
    assert.deepEqual([...types].sort(), ['counter', 'gauge', 'histogram', 'info', 'stateset', 'summary']);
    const exemplars = items.filter((i) => i.kind === 'series' && i.exemplar);
    assert.equal(exemplars.length, 2);
    const utf8 = items.find((i) => i.kind === 'series' && i.value === 21.5);
    assert.ok(utf8 && utf8.kind === 'series');
    assert.equal(utf8.series.includes(escaping === 'allow-utf-8' ? 'app.utf8.temperature' : 'app_utf8_temperature'), true, utf8.series);
  }
});
