import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config/config.js';
import { targetsFromGroups } from './target.js';

function job(yaml: string) {
  return parseConfig(`scrape_configs:\n${yaml}`, 'p.yml').scrape_configs[0];
}

test('default labels, instance from address, __meta_ removed, URL with params', () => {
  const cfg = job('  - job_name: node\n    scrape_interval: 15s\n    params:\n      module: [http_2xx, x]\n');
  const { active } = targetsFromGroups(
    [{ source: '0', labels: { env: 'prod', __meta_x: 'y' }, targets: [{ __address__: 'host:9100' }] }],
    cfg,
  );
  assert.equal(active.length, 1);
  const t = active[0];
  assert.deepEqual(t.seriesLabels().toRecord(), { env: 'prod', instance: 'host:9100', job: 'node' });
  assert.equal(t.labels.get('__meta_x'), '');
  assert.equal(t.discoveredLabels.get('__meta_x'), 'y');
  assert.equal(t.url(), 'http://host:9100/metrics?module=http_2xx&module=x');
  assert.equal(t.intervalMs(), 15_000);
  assert.equal(t.timeoutMs(), 10_000);
});

test('relabeling rewrites the address and can drop targets', () => {
  const cfg = job(
    [
      '  - job_name: blackbox',
      '    metrics_path: /probe',
      '    relabel_configs:',
      '      - source_labels: [__address__]',
      '        target_label: __param_target',
      '      - source_labels: [__param_target]',
      '        target_label: instance',
      '      - target_label: __address__',
      '        replacement: 127.0.0.1:9115',
      '      - source_labels: [instance]',
      '        regex: skip.*',
      '        action: drop',
      '    keep_dropped_targets: 1',
    ].join('\n') + '\n',
  );
  const sync = targetsFromGroups(
    [{ source: '0', labels: {}, targets: [{ __address__: 'example.org' }, { __address__: 'skip.me' }, { __address__: 'skip.too' }] }],
    cfg,
  );
  assert.equal(sync.active.length, 1);
  assert.equal(sync.active[0].url(), 'http://127.0.0.1:9115/probe?target=example.org');
  assert.equal(sync.active[0].seriesLabels().get('instance'), 'example.org');
  assert.equal(sync.droppedTotal, 2);
  assert.equal(sync.dropped.length, 1, 'keep_dropped_targets bounds the kept list');
});

test('invalid per-target interval/timeout overrides are errors', () => {
  const cfg = job('  - job_name: j\n    relabel_configs:\n      - target_label: __scrape_timeout__\n        replacement: 2m\n');
  const sync = targetsFromGroups([{ source: '0', labels: {}, targets: [{ __address__: 'a:1' }] }], cfg);
  assert.equal(sync.active.length, 0);
  assert.match(sync.errors[0], /scrape timeout cannot be greater than scrape interval \("2m" > "1m"\)/);
});
