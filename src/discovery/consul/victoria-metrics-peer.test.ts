/**
 * Differential test: a real, independent Consul SD implementation and ConsulDiscoverer
 * discover targets from the same fake Consul with the same consul_sd_configs; their
 * `__address__` and `__meta_consul_*` labels must be identical. The peer is VictoriaMetrics,
 * whose scraper follows Prometheus's Consul SD: Debian's prometheus 2.42 is built without
 * Consul SD.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../testing/paths.js';
import { eventually, freePort, requirePeer, startProcess, tempDir, waitForHttp, type PeerProcess } from '../../testing/peers.js';
import type { TargetGroup } from '../targetgroup.js';
import { consulConfig, FakeConsul } from './fake-consul.js';
import { ConsulDiscoverer } from './index.js';
import type { ServiceEntry } from './labels.js';

const testdata = join(repoRoot, 'src', 'discovery', 'consul', 'testdata');
const fixture = <T>(name: string) => JSON.parse(readFileSync(join(testdata, name), 'utf8')) as T;

/** Two jobs: everything with defaults, and a filtered one with another tag separator. */
const JOBS: Record<string, Record<string, unknown>> = {
  'consul-all': {},
  'consul-filtered': { services: ['web', 'db'], tags: ['prod'], node_meta: { 'rack-name': '2304' }, tag_separator: '|', allow_stale: false },
};

type LabelSet = Record<string, string>;

/**
 * The labels both sides must agree on; empty values are absent labels in Prometheus, and
 * `__meta_consul_tagpresent_*` is VictoriaMetrics's own addition.
 */
function comparable(labels: LabelSet): LabelSet {
  const out: LabelSet = {};
  for (const k of Object.keys(labels).sort()) {
    if (k.startsWith('__meta_consul_tagpresent_') || labels[k] === '') continue;
    if (k === '__address__' || k.startsWith('__meta_consul_')) out[k] = labels[k];
  }
  return out;
}

const byId = (a: LabelSet, b: LabelSet) => a.__meta_consul_service_id.localeCompare(b.__meta_consul_service_id);

test('ConsulDiscoverer and VictoriaMetrics find the same targets with the same labels', async (t) => {
  const vm = requirePeer('victoria-metrics', t);
  if (!vm) return;
  const fake = new FakeConsul(1000);
  for (const name of ['web', 'db', 'consul']) fake.services.set(name, fixture<ServiceEntry[]>(`health-service-${name}.json`));
  fake.agentSelf = fixture('agent-self.json');
  // VictoriaMetrics labels the dc from each Node.Datacenter, Prometheus from the agent: on a
  // real Consul these agree, so the agent here reports the fixtures' dc1.
  fake.datacenter = 'dc1';
  const server = await fake.start();
  const dir = tempDir('pyrometer-consul-peer-');
  let proc: PeerProcess | undefined;
  const controllers: AbortController[] = [];
  try {
    const port = await freePort();
    const config = join(dir.path, 'scrape.yml');
    const jobs = Object.entries(JOBS).map(([job, fields]) => `  - job_name: ${job}\n    consul_sd_configs:\n      - ${JSON.stringify({ server, ...fields })}`);
    writeFileSync(config, `global:\n  scrape_interval: 1m\nscrape_configs:\n${jobs.join('\n')}\n`);
    proc = startProcess(vm, [`-promscrape.config=${config}`, `-storageDataPath=${join(dir.path, 'data')}`, `-httpListenAddr=127.0.0.1:${port}`]);
    await waitForHttp(`http://127.0.0.1:${port}/health`, 30_000, proc);

    const expected = { 'consul-all': 5, 'consul-filtered': 2 };
    const upstream = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/targets?state=active`);
      const body = (await res.json()) as { data: { activeTargets: { scrapePool: string; discoveredLabels: LabelSet }[] } };
      const pools: Record<string, LabelSet[]> = {};
      for (const target of body.data.activeTargets) (pools[target.scrapePool] ??= []).push(comparable(target.discoveredLabels));
      return Object.entries(expected).every(([job, n]) => pools[job]?.length === n) ? pools : undefined;
    }, 30_000, 'VictoriaMetrics to discover the Consul targets');

    for (const [job, fields] of Object.entries(JOBS)) {
      const groups = new Map<string, TargetGroup>();
      const controller = new AbortController();
      controllers.push(controller);
      const d = new ConsulDiscoverer(consulConfig({ server, ...fields }));
      const running = d.run(controller.signal, (gs) => gs.forEach((g) => groups.set(g.source, g)));
      const ours = await eventually(async () => {
        const targets = [...groups.values()].flatMap((g) => g.targets.map((target) => comparable({ ...g.labels, ...target })));
        return targets.length === expected[job as keyof typeof expected] ? targets : undefined;
      }, 10_000, `our ${job} targets`);
      assert.deepEqual(ours.sort(byId), upstream[job].sort(byId), job);
      controller.abort();
      await running;
    }
    // Guard against comparing two empty label sets: the labels that matter are there.
    const web1 = upstream['consul-filtered'].find((l) => l.__meta_consul_service_id === 'web-1')!;
    assert.equal(web1.__meta_consul_tags, '|prod|v1|');
    assert.equal(web1.__meta_consul_dc, 'dc1');
    assert.equal(web1.__meta_consul_health, 'passing');
  } finally {
    for (const c of controllers) c.abort();
    await proc?.stop();
    await fake.stop();
    dir.remove();
  }
});
