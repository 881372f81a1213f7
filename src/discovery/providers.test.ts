/**
 * The server discovers targets through kubernetes_sd_configs and consul_sd_configs end to end:
 * config file → discoverers → relabeling → scrape pools → /api/v1/targets, against the fake
 * Kubernetes API server and fake Consul the mechanisms' own tests use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCli } from '../testing/cli.js';
import { repoRoot } from '../testing/paths.js';
import { eventually, freePort, tempDir, waitForHttp } from '../testing/peers.js';
import { FakeConsul } from './consul/fake-consul.js';
import { FakeApiServer } from './kubernetes/fake-apiserver.js';
import { fixture } from './kubernetes/test-helpers.js';

interface ApiTarget {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapePool: string;
}

test('kubernetes and consul targets reach the targets API with their __meta_ labels', async () => {
  const kube = new FakeApiServer();
  kube.load('pods', fixture('pods'));
  const consul = new FakeConsul(500);
  const consulData = join(repoRoot, 'src', 'discovery', 'consul', 'testdata');
  consul.services.set('web', JSON.parse(readFileSync(join(consulData, 'health-service-web.json'), 'utf8')));
  const dir = tempDir();
  let server: ReturnType<typeof startCli> | undefined;
  try {
    const kubeUrl = await kube.start();
    const consulAddr = await consul.start();
    const cfg = join(dir.path, 'prometheus.yml');
    writeFileSync(cfg, [
      'global: {scrape_interval: 1h}',
      'scrape_configs:',
      '  - job_name: pods',
      `    kubernetes_sd_configs: [{role: pod, api_server: "${kubeUrl}"}]`,
      '    relabel_configs:',
      '      - {source_labels: [__meta_kubernetes_pod_container_port_name], regex: "", action: drop}',
      '  - job_name: consul',
      `    consul_sd_configs: [{server: "${consulAddr}", services: [web]}]`,
      '',
    ].join('\n'));
    const port = await freePort();
    server = startCli(['server', `--config.file=${cfg}`, `--storage.tsdb.path=${join(dir.path, 'data')}`, `--web.listen-address=127.0.0.1:${port}`]);
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/-/ready`, 30_000, server);
    const targets = await eventually(async () => {
      const body = (await (await fetch(`${base}/api/v1/targets`)).json()) as { data: { activeTargets: ApiTarget[]; droppedTargets: ApiTarget[] } };
      const { activeTargets, droppedTargets } = body.data;
      const pools = new Set(activeTargets.map((t) => t.scrapePool));
      assert.ok(pools.has('pods') && pools.has('consul'), `pools so far: ${[...pools]}`);
      return { activeTargets, droppedTargets };
    }, 20_000, "both pools in the targets API");
    const pod = targets.activeTargets.find((t) => t.scrapePool === 'pods')!;
    assert.ok(pod.discoveredLabels.__meta_kubernetes_pod_name, 'pod name label');
    assert.ok(pod.discoveredLabels.__meta_kubernetes_namespace, 'namespace label');
    assert.equal(pod.labels.job, 'pods');
    assert.ok(targets.droppedTargets.some((t) => t.scrapePool === 'pods' && !t.discoveredLabels.__meta_kubernetes_pod_container_port_name), 'a port-less container is dropped by relabeling');
    assert.ok(targets.activeTargets.every((t) => t.scrapePool !== 'pods' || t.discoveredLabels.__meta_kubernetes_pod_container_port_name), 'only containers with ports are kept');
    const web = targets.activeTargets.find((t) => t.scrapePool === 'consul')!;
    assert.equal(web.discoveredLabels.__meta_consul_service, 'web');
    assert.equal(web.discoveredLabels.__meta_consul_dc, 'dc1');
  } finally {
    await server?.stop();
    await consul.stop();
    await kube.close();
    dir.remove();
  }
});
