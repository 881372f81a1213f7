import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './decode.js';
import { configToData, parseConfig } from './config.js';

test('errors name file, line and column', () => {
  const text = 'global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: a\n    scrape_intervall: 5s\n';
  assert.throws(
    () => parseConfig(text, 'prometheus.yml'),
    (e: unknown) => e instanceof ConfigError && e.line === 5 && e.col === 5 && e.message === 'prometheus.yml:5:5: field scrape_intervall not found in type config.ScrapeConfig',
  );
  assert.throws(() => parseConfig('global: [', 'p.yml'), (e: unknown) => e instanceof ConfigError && e.message.startsWith('p.yml:1:'));
});

test('defaults follow upstream and jobs inherit from global', () => {
  assert.throws(() => parseConfig('global:\n  scrape_interval: 15s\n  scrape_timeout: 20s\n', 'p.yml'), /global scrape timeout greater than scrape interval/);
  const fast = parseConfig('global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: a\n', 'p.yml');
  assert.equal(fast.global.scrape_timeout, 1_000, 'an unset global timeout is capped by the interval');
  assert.equal(fast.scrape_configs[0].scrape_timeout, 1_000);
  const ok = parseConfig('global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: a\n  - job_name: b\n    scrape_interval: 5s\n', 'p.yml');
  const [a, b] = ok.scrape_configs;
  assert.equal(a.scrape_interval, 15_000);
  assert.equal(a.scrape_timeout, 10_000);
  assert.equal(b.scrape_timeout, 5_000, 'timeout is capped by the job interval');
  assert.equal(a.metrics_path, '/metrics');
  assert.equal(a.scheme, 'http');
  assert.equal(a.honor_timestamps, true);
  assert.deepEqual(a.scrape_protocols, ['OpenMetricsText1.0.0', 'OpenMetricsText0.0.1', 'PrometheusText1.0.0', 'PrometheusText0.0.4']);
  assert.equal(ok.global.evaluation_interval, 60_000);
  assert.equal(ok.global.metric_name_validation_scheme, 'utf8');
});

test('secrets never appear in the dump', () => {
  const cfg = parseConfig(
    'scrape_configs:\n  - job_name: a\n    basic_auth:\n      username: u\n      password: hunter2\n    static_configs:\n      - targets: ["localhost:9090"]\n',
    'p.yml',
  );
  const dump = JSON.stringify(configToData(cfg));
  assert.ok(!dump.includes('hunter2'));
  assert.ok(dump.includes('"password":"<secret>"'));
  assert.ok(dump.includes('"scrape_interval":"1m"'));
  assert.equal(cfg.scrape_configs[0].basic_auth?.password?.value, 'hunter2');
});
