/**
 * Differential test: an independent Kubernetes SD implementation and KubernetesDiscoverer
 * discover every role from the same fake API server; their `__address__` and
 * `__meta_kubernetes_*` labels must agree. The peer is VictoriaMetrics, whose scraper follows
 * Prometheus's Kubernetes SD (Debian's prometheus 2.42 is built without it). Its targets are
 * relabeled to a closed loopback port so it never connects to the fixtures' addresses; the
 * comparison uses the labels as discovered, before relabeling.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort, requirePeer, startProcess, tempDir, waitForHttp, type PeerProcess } from '../../testing/peers.js';
import type { TargetGroup } from '../targetgroup.js';
import { FakeApiServer } from './fake-apiserver.js';
import { KubernetesDiscoverer } from './index.js';
import { fixture, sdConfig } from './test-helpers.js';

type LabelSet = Record<string, string>;

// As written in the peer's config (it knows no attach_metadata.namespace).
const JOBS: Record<string, { role: string; attach_metadata?: { node: boolean } }> = {
  node: { role: 'node' },
  pod: { role: 'pod' },
  'pod-with-node': { role: 'pod', attach_metadata: { node: true } },
  service: { role: 'service' },
  endpoints: { role: 'endpoints' },
  endpointslice: { role: 'endpointslice' },
  ingress: { role: 'ingress' },
};

/**
 * Labels Prometheus 3 emits that this VictoriaMetrics release does not (added upstream
 * after VictoriaMetrics wrote its SD): compared nowhere.
 */
const NEWER_UPSTREAM_LABELS = new Set([
  '__meta_kubernetes_pod_container_id',
  '__meta_kubernetes_pod_container_image',
  '__meta_kubernetes_pod_container_init',
  '__meta_kubernetes_service_port_number',
  '__meta_kubernetes_service_loadbalancer_ip',
  '__meta_kubernetes_endpointslice_endpoint_conditions_serving',
  '__meta_kubernetes_endpointslice_endpoint_conditions_terminating',
  '__meta_kubernetes_endpointslice_endpoint_node_name',
  '__meta_kubernetes_endpointslice_endpoint_zone',
]);

/** VictoriaMetrics also copies a service's per-port labels onto endpoints targets; Prometheus attaches only the service's group labels. */
const PEER_ONLY_ENDPOINTS_LABELS = new Set(['__meta_kubernetes_service_cluster_ip', '__meta_kubernetes_service_type']);

/**
 * The labels both must agree on (an empty value is an absent label once targets are built),
 * or undefined for a target only one side has by design.
 */
function comparable(job: string, labels: LabelSet): LabelSet | undefined {
  const endpointsRole = job === 'endpoints' || job === 'endpointslice';
  // Prometheus 3 also targets init containers' ports behind endpoints; this peer does not.
  if (endpointsRole && labels.__meta_kubernetes_pod_container_init === 'true') return undefined;
  // Upstream skips a rule whose path list is empty ("No backend config, ignored" in its tests); the peer targets `/`.
  if (job === 'ingress' && labels.__address__ === 'empty.example.com') return undefined;
  // A pod's extra container ports share the Endpoints object's group labels in Prometheus; the peer leaves those off.
  const extraPodPort = endpointsRole && !labels.__meta_kubernetes_endpoint_address_target_kind && !labels.__meta_kubernetes_endpointslice_address_target_kind;
  const out: LabelSet = {};
  for (const k of Object.keys(labels).sort()) {
    if (labels[k] === '' || NEWER_UPSTREAM_LABELS.has(k)) continue;
    if (endpointsRole && PEER_ONLY_ENDPOINTS_LABELS.has(k)) continue;
    if (extraPodPort && (k.startsWith('__meta_kubernetes_endpoints_') || k.startsWith('__meta_kubernetes_endpointslice_'))) continue;
    if (k === '__address__' || k.startsWith('__meta_kubernetes_')) out[k] = labels[k];
  }
  return out;
}

const key = (l: LabelSet) => JSON.stringify(l);
const sorted = (ls: LabelSet[]) => ls.map(key).sort();

test('KubernetesDiscoverer and VictoriaMetrics find the same targets with the same labels for every role', async (t) => {
  const vm = requirePeer('victoria-metrics', t);
  if (!vm) return;
  const server = new FakeApiServer();
  for (const name of ['nodes', 'pods', 'services', 'endpoints', 'endpointslices', 'ingresses', 'namespaces']) server.load(name, fixture(name));
  const url = await server.start();
  const dir = tempDir('pyrometer-k8s-peer-');
  let proc: PeerProcess | undefined;
  const controllers: AbortController[] = [];
  try {
    const port = await freePort();
    const closed = await freePort();
    const config = join(dir.path, 'scrape.yml');
    const jobs = Object.entries(JOBS).map(
      ([job, fields]) =>
        `  - job_name: ${job}\n    kubernetes_sd_configs:\n      - ${JSON.stringify({ api_server: url, ...fields })}\n` +
        // Distinct instance labels keep targets that now share an address apart (ingress paths).
        `    relabel_configs:\n      - {source_labels: [__address__, __meta_kubernetes_ingress_path], target_label: instance}\n` +
        `      - {target_label: __address__, replacement: "127.0.0.1:${closed}"}`,
    );
    writeFileSync(config, `global:\n  scrape_interval: 1h\nscrape_configs:\n${jobs.join('\n')}\n`);
    proc = startProcess(vm, [`-promscrape.config=${config}`, `-storageDataPath=${join(dir.path, 'data')}`, `-httpListenAddr=127.0.0.1:${port}`]);
    await waitForHttp(`http://127.0.0.1:${port}/health`, 30_000, proc);

    // After comparable(): init-container and empty-path-rule targets are left out.
    const expected: Record<string, number> = { node: 2, pod: 4, 'pod-with-node': 4, service: 4, endpoints: 3, endpointslice: 3, ingress: 4 };
    let counts = '';
    const theirs = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/targets?state=active`);
      const body = (await res.json()) as { data: { activeTargets: { scrapePool: string; discoveredLabels: LabelSet }[] } };
      const pools: Record<string, LabelSet[]> = {};
      for (const target of body.data.activeTargets) {
        const labels = comparable(target.scrapePool, target.discoveredLabels);
        if (labels) (pools[target.scrapePool] ??= []).push(labels);
      }
      counts = JSON.stringify(Object.fromEntries(Object.entries(pools).map(([job, ls]) => [job, ls.length])));
      return Object.entries(expected).every(([job, n]) => pools[job]?.length === n) ? pools : undefined;
    }, 30_000, 'VictoriaMetrics to discover the Kubernetes targets').catch((e: Error) => {
      throw new Error(`${e.message}; targets per job: ${counts}`);
    });

    for (const [job, fields] of Object.entries(JOBS)) {
      const groups = new Map<string, TargetGroup>();
      const controller = new AbortController();
      controllers.push(controller);
      const attach = { node: fields.attach_metadata?.node ?? false, namespace: false };
      const d = new KubernetesDiscoverer(sdConfig({ api_server: url, role: fields.role, attach_metadata: attach }), undefined, { coalesceMs: 10 });
      const running = d.run(controller.signal, (gs) => gs.forEach((g) => groups.set(g.source, g)));
      const ours = await eventually(async () => {
        const targets = [...groups.values()]
          .flatMap((g) => g.targets.map((target) => comparable(job, { ...g.labels, ...target })))
          .filter((l): l is LabelSet => l !== undefined);
        return targets.length === expected[job] ? targets : undefined;
      }, 10_000, `our ${job} targets`);
      assert.deepEqual(sorted(ours), sorted(theirs[job]), job);
      controller.abort();
      await running;
    }
    // Guard against agreeing on nothing: the labels that matter are there.
    const web = theirs.endpointslice.find((l) => l.__address__ === '10.244.1.7:8080')!;
    assert.equal(web.__meta_kubernetes_pod_name, 'web-7d9c5b8f6d-x2k8p');
    assert.equal(web.__meta_kubernetes_service_name, 'web');
    assert.equal(web.__meta_kubernetes_endpointslice_endpoint_conditions_ready, 'true');
    assert.equal(theirs['pod-with-node'][0].__meta_kubernetes_node_label_topology_kubernetes_io_zone, 'eu-west-1a');
  } finally {
    for (const c of controllers) c.abort();
    await proc?.stop();
    await server.close();
    dir.remove();
  }
});
