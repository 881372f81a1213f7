import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../config/config.js';
import { errDuplicateSample, errOutOfBounds, errOutOfOrderSample, type Appendable } from '../storage/interface.js';
import { nopLogger } from '../util/log.js';
import type { Fetcher } from './loop.js';
import { ScrapeManager } from './manager.js';
import { goDuration, MeteredScrapeLoop, ScrapeMetrics } from './metrics.js';
import { targetsFromGroups } from './target.js';

/** Rejects samples by metric name, as a TSDB would reject them by time. */
const rejecting: Appendable = {
  appender: () => ({
    append: (ref, labels) => {
      const name = labels.metricName();
      if (name === 'ooo') throw errOutOfOrderSample();
      if (name === 'dup') throw errDuplicateSample();
      if (name === 'old') throw errOutOfBounds();
      return ref || 1;
    },
    appendExemplar: (ref, _labels, e) => {
      if (e.value === 13) throw errOutOfOrderSample();
      return ref;
    },
    updateMetadata: (ref) => ref,
    commit: async () => {},
    rollback: async () => {},
  }),
};

function meteredLoop(jobYaml: string, body: string, contentType = 'text/plain; version=0.0.4') {
  const cfg = parseConfig(`scrape_configs:\n${jobYaml}`, 'p.yml').scrape_configs[0];
  const target = targetsFromGroups([{ source: '0', labels: {}, targets: [{ __address__: 'app:8080' }] }], cfg).active[0];
  const metrics = new ScrapeMetrics();
  const fetcher: Fetcher = async () => ({ contentType, body: Buffer.from(body) });
  return { loop: new MeteredScrapeLoop(target, cfg, rejecting, nopLogger, metrics, fetcher), metrics };
}

test('Go duration labels', () => {
  assert.deepEqual([15_000, 60_000, 90_000, 1500, 500, 3_600_000, 3_723_000].map(goDuration), ['15s', '1m0s', '1m30s', '1.5s', '500ms', '1h0m0s', '1h2m3s']);
});

test('interval summary observes the time between scrape starts, under the configured interval', async () => {
  const { loop, metrics } = meteredLoop('  - job_name: app\n    scrape_interval: 2m\n    scrape_timeout: 10s\n', 'a 1\n');
  await loop.scrapeOnce(1000);
  assert.equal(metrics.intervalSummary(120_000).count, 0, 'no interval before the second scrape');
  await new Promise((r) => setTimeout(r, 60));
  await loop.scrapeOnce(2000);
  const s = metrics.intervalLength.get('2m0s');
  assert.ok(s);
  assert.equal(s.count, 1);
  assert.ok(s.sum >= 0.05 && s.sum < 1, `interval ${s.sum}`);
  assert.equal(s.quantileValues()[2], s.sum, 'median of one observation');
});

test('metadata cache size is measured after each scrape', async () => {
  const first = '# HELP reqs Requests.\n# TYPE reqs counter\nreqs 1\n# TYPE mem gauge\nmem 2\n';
  const second = '# TYPE mem gauge\nmem 2\n';
  const cfg = parseConfig('scrape_configs:\n  - job_name: app\n', 'p.yml').scrape_configs[0];
  const target = targetsFromGroups([{ source: '0', labels: {}, targets: [{ __address__: 'app:8080' }] }], cfg).active[0];
  let body = first;
  const fetcher: Fetcher = async () => ({ contentType: 'text/plain; version=0.0.4', body: Buffer.from(body) });
  const loop = new MeteredScrapeLoop(target, cfg, rejecting, nopLogger, new ScrapeMetrics(), fetcher);
  assert.deepEqual([loop.metadataEntries, loop.metadataBytes], [0, 0]);
  await loop.scrapeOnce(1000);
  assert.equal(loop.metadataEntries, 2);
  assert.equal(loop.metadataBytes, 'reqs'.length + 'Requests.'.length + 'counter'.length + 'mem'.length + 'gauge'.length);
  body = second;
  await loop.scrapeOnce(2000);
  assert.deepEqual([loop.metadataEntries, loop.metadataBytes], [1, 'mem'.length + 'gauge'.length], 'a family gone from the exposition leaves the count');
});

test('rejected samples and limits are counted per scrape', async () => {
  const { loop, metrics } = meteredLoop('  - job_name: app\n', 'ooo 1\nooo{a="1"} 1\ndup 1\nold 1\nok 1\n');
  await loop.scrapeOnce(1000);
  await loop.scrapeOnce(2000);
  assert.deepEqual([metrics.sampleOutOfOrder, metrics.sampleDuplicate, metrics.sampleOutOfBounds], [4, 2, 2]);

  const om = meteredLoop('  - job_name: app\n', '# TYPE c counter\nc_total 1 # {id="a"} 13\nc_total{x="1"} 1 # {id="b"} 1\n# EOF\n', 'application/openmetrics-text; version=1.0.0');
  await om.loop.scrapeOnce(1000);
  assert.equal(om.loop.health, 'up', om.loop.lastError);
  assert.equal(om.metrics.exemplarOutOfOrder, 1);

  const limited = meteredLoop('  - job_name: app\n    sample_limit: 1\n', 'a 1\nb 1\n');
  await limited.loop.scrapeOnce(1000);
  assert.equal(limited.metrics.exceededSampleLimit, 1);
  assert.equal(limited.loop.health, 'down');

  for (const limit of ['label_limit: 1', 'label_name_length_limit: 2', 'label_value_length_limit: 2']) {
    const l = meteredLoop(`  - job_name: app\n    ${limit}\n`, 'a{long_name="long value"} 1\n');
    await l.loop.scrapeOnce(1000);
    assert.equal(l.metrics.exceededLabelLimits, 1, limit);
    assert.equal(l.metrics.exceededSampleLimit, 0);
  }
});

test('pool syncs, target limit, failed targets, reloads and pool creation are counted by job', async () => {
  const jobs = (yaml: string) => parseConfig(`scrape_configs:\n${yaml}`, 'p.yml').scrape_configs;
  const m = new ScrapeManager(rejecting);
  try {
    await m.applyConfig(jobs('  - job_name: a\n    target_limit: 1\n  - job_name: b\n'));
    assert.equal(m.metrics.poolsCreated, 2);
    await m.sync(
      new Map([
        ['a', [{ source: 's', labels: {}, targets: [{ __address__: '127.0.0.1:1' }, { __address__: '127.0.0.1:2' }] }]],
        ['b', [{ source: 's', labels: {}, targets: [{ __address__: '127.0.0.1:1' }, { __address__: 'bad/address' }] }]],
      ]),
    );
    assert.equal(m.metrics.exceededTargetLimit, 1);
    assert.equal(m.pools.get('a')!.loops.size, 0, 'over the target limit, nothing is scraped');
    assert.equal(m.metrics.pools.get('b')!.syncFailures, 1);
    assert.equal(m.metrics.pools.get('b')!.syncs, 1);
    assert.equal(m.metrics.pools.get('b')!.syncLength.count, 1);

    // b's config changes (a reload), a is removed (its series go).
    await m.applyConfig(jobs('  - job_name: b\n    scrape_interval: 30s\n'));
    assert.equal(m.metrics.poolReloads, 1);
    assert.equal(m.metrics.reloadLength.get('30s')?.count, 1, 'reload time under the new interval');
    assert.equal(m.metrics.poolsCreated, 2);
    assert.deepEqual([...m.metrics.pools.keys()], ['b']);
    assert.equal(m.metrics.pools.get('b')!.syncs, 2, 'the reloaded pool re-synced its targets; the count survives the reload');
  } finally {
    await m.stop();
  }
});

test('a scrape over body_size_limit is counted (the error comes from the HTTP client)', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end('a 1\n'.repeat(1000));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const cfg = parseConfig('scrape_configs:\n  - job_name: app\n    body_size_limit: 100B\n', 'p.yml').scrape_configs[0];
    const target = targetsFromGroups([{ source: '0', labels: {}, targets: [{ __address__: `127.0.0.1:${port}` }] }], cfg).active[0];
    const metrics = new ScrapeMetrics();
    const loop = new MeteredScrapeLoop(target, cfg, rejecting, nopLogger, metrics);
    await loop.scrapeOnce(1000);
    assert.equal(loop.health, 'down');
    assert.equal(metrics.exceededBodySizeLimit, 1, loop.lastError);
  } finally {
    server.close();
  }
});
