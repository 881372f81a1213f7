import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { parseConfig } from '../../config/config.js';
import { Engine } from '../../promql/engine.js';
import type { ScrapeManager } from '../../scrape/manager.js';
import type { Storage } from '../../storage/interface.js';
import { ApiV1, type ApiResponse } from './api.js';

const CONFIG = `
scrape_configs:
  - job_name: web
    static_configs: [{targets: ['a:80']}]
    relabel_configs:
      - source_labels: [__meta_env]
        regex: prod|staging
        action: keep
      - source_labels: [__address__]
        regex: '([^:]+):\\d+'
        target_label: host
      - action: labelmap
        regex: __meta_(.+)
      - source_labels: [host]
        regex: blocked
        action: drop
      - target_label: team
        replacement: infra
`;

function api(): ApiV1 {
  const cfg = parseConfig(CONFIG, 'test.yml');
  const pools = new Map(cfg.scrape_configs.map((c) => [c.job_name, { cfg: c }]));
  return new ApiV1({
    storage: {} as Storage,
    engine: new Engine(),
    scrape: { pools } as unknown as ScrapeManager,
    configYaml: () => '',
    flags: {},
    startTime: new Date(),
    reload: () => ({ success: true, time: new Date() }),
    version: 'test',
    retention: '15d',
    adminApi: false,
  });
}

function get(a: ApiV1, query: Record<string, string>): Promise<ApiResponse> {
  const url = new URL(`http://localhost/api/v1/targets/relabel_steps?${new URLSearchParams(query)}`);
  return a.handle({ method: 'GET', headers: {} } as IncomingMessage, 'targets/relabel_steps', url);
}

const RULES = [
  { sourceLabels: ['__meta_env'], separator: ';', regex: 'prod|staging', replacement: '$1', action: 'keep' },
  { sourceLabels: ['__address__'], separator: ';', regex: '([^:]+):\\d+', targetLabel: 'host', replacement: '$1', action: 'replace' },
  { separator: ';', regex: '__meta_(.+)', replacement: '$1', action: 'labelmap' },
  { sourceLabels: ['host'], separator: ';', regex: 'blocked', replacement: '$1', action: 'drop' },
  { separator: ';', regex: '(.*)', targetLabel: 'team', replacement: 'infra', action: 'replace' },
];

test('relabel_steps applies the pool rules one by one, with the labels after each', async () => {
  const labels = { __address__: 'web1:80', __meta_env: 'prod', job: 'web' };
  const res = await get(api(), { scrapePool: 'web', labels: JSON.stringify(labels) });
  assert.equal(res.status, 200);
  const after1 = { ...labels, host: 'web1' };
  const after2 = { ...after1, env: 'prod' };
  assert.deepEqual(res.body, {
    status: 'success',
    data: {
      steps: [
        { rule: RULES[0], output: labels, keep: true },
        { rule: RULES[1], output: after1, keep: true },
        { rule: RULES[2], output: after2, keep: true },
        { rule: RULES[3], output: after2, keep: true },
        { rule: RULES[4], output: { ...after2, team: 'infra' }, keep: true },
      ],
    },
  });
});

test('relabel_steps reports the rule that dropped the target and no labels after it', async () => {
  const res = await get(api(), { scrapePool: 'web', labels: JSON.stringify({ __address__: 'blocked:80', __meta_env: 'staging' }) });
  const steps = (res.body as { data: { steps: { output: object; keep: boolean }[] } }).data.steps;
  assert.deepEqual(
    steps.map((s) => s.keep),
    [true, true, true, false, false],
  );
  assert.deepEqual(steps[2]!.output, { __address__: 'blocked:80', __meta_env: 'staging', env: 'staging', host: 'blocked' });
  assert.deepEqual(steps[3]!.output, {});
  const first = await get(api(), { scrapePool: 'web', labels: JSON.stringify({ __address__: 'x:1' }) });
  assert.deepEqual(
    (first.body as { data: { steps: { keep: boolean }[] } }).data.steps.map((s) => s.keep),
    [false, false, false, false, false],
  );
});

test('relabel_steps checks its parameters', async () => {
  const a = api();
  const err = async (q: Record<string, string>) => {
    const res = await get(a, q);
    assert.equal(res.status, 400);
    return (res.body as { error: string }).error;
  };
  assert.equal(await err({ labels: '{}' }), 'no scrapePool parameter provided');
  assert.equal(await err({ scrapePool: 'web' }), 'no labels parameter provided');
  assert.match(await err({ scrapePool: 'web', labels: '{nope' }), /^error parsing labels: /);
  assert.equal(await err({ scrapePool: 'other', labels: '{}' }), 'error retrieving scrape config: scrape pool "other" not found');
});
