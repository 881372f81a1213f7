/**
 * Every role's target groups and labels against upstream's rules (Prometheus's
 * kubernetes_sd_config docs and discovery/kubernetes tests), served by a fake API server
 * from objects shaped like `kubectl get -o json` output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesSdConfig } from '../../config/sd.js';
import { FakeApiServer } from './fake-apiserver.js';
import { KubernetesDiscoverer } from './index.js';
import { fixture, Recorder, sdConfig } from './test-helpers.js';
import type { TargetGroup } from '../targetgroup.js';
import { createLogger, type Logger } from '../../util/log.js';
import type { KubeObject } from './types.js';

const ALL_FIXTURES = ['nodes', 'pods', 'services', 'endpoints', 'endpointslices', 'ingresses', 'namespaces'];

/** Runs one role against all fixtures and returns its first update. */
async function discover(fields: Partial<KubernetesSdConfig>, log?: Logger, edit?: (name: string, items: KubeObject[]) => void): Promise<Map<string, TargetGroup>> {
  const server = new FakeApiServer();
  for (const name of ALL_FIXTURES) {
    const items = fixture(name);
    edit?.(name, items);
    server.load(name, items);
  }
  const url = await server.start();
  const rec = new Recorder(new KubernetesDiscoverer(sdConfig({ api_server: url, ...fields }), log, { coalesceMs: 10 }));
  try {
    return await rec.next();
  } finally {
    await rec.stop();
    await server.close();
  }
}

const WEB_POD_LABELS = {
  __meta_kubernetes_pod_name: 'web-7d9c5b8f6d-x2k8p',
  __meta_kubernetes_pod_ip: '10.244.1.7',
  __meta_kubernetes_pod_ready: 'true',
  __meta_kubernetes_pod_phase: 'Running',
  __meta_kubernetes_pod_node_name: 'worker-1',
  __meta_kubernetes_pod_host_ip: '172.18.0.3',
  __meta_kubernetes_pod_uid: 'd3f1c2b4-5a6e-4f7d-8c9b-0a1b2c3d4e5f',
  __meta_kubernetes_pod_controller_kind: 'ReplicaSet',
  __meta_kubernetes_pod_controller_name: 'web-7d9c5b8f6d',
  __meta_kubernetes_pod_label_app_kubernetes_io_name: 'web',
  __meta_kubernetes_pod_labelpresent_app_kubernetes_io_name: 'true',
  __meta_kubernetes_pod_label_pod_template_hash: '7d9c5b8f6d',
  __meta_kubernetes_pod_labelpresent_pod_template_hash: 'true',
  __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
  __meta_kubernetes_pod_annotationpresent_prometheus_io_scrape: 'true',
  __meta_kubernetes_pod_annotation_prometheus_io_port: '8080',
  __meta_kubernetes_pod_annotationpresent_prometheus_io_port: 'true',
};

const WEB_SERVICE_LABELS = {
  __meta_kubernetes_namespace: 'shop',
  __meta_kubernetes_service_name: 'web',
  __meta_kubernetes_service_label_app_kubernetes_io_name: 'web',
  __meta_kubernetes_service_labelpresent_app_kubernetes_io_name: 'true',
  __meta_kubernetes_service_annotation_prometheus_io_probe: 'true',
  __meta_kubernetes_service_annotationpresent_prometheus_io_probe: 'true',
};

const WEB_CONTAINER = {
  __meta_kubernetes_pod_container_name: 'web',
  __meta_kubernetes_pod_container_image: 'registry.example.com/web:1.4.2',
  __meta_kubernetes_pod_container_init: 'false',
};

test('node role: preferred address with the kubelet port, instance, first address per type; nodes without addresses send nothing', async () => {
  const groups = await discover({ role: 'node' });
  assert.deepEqual([...groups.keys()].sort(), ['node/edge-1', 'node/worker-1']);
  assert.deepEqual(groups.get('node/worker-1'), {
    source: 'node/worker-1',
    labels: {
      __meta_kubernetes_node_name: 'worker-1',
      __meta_kubernetes_node_provider_id: 'aws:///eu-west-1a/i-0abc123def4567890',
      __meta_kubernetes_node_label_beta_kubernetes_io_arch: 'amd64',
      __meta_kubernetes_node_labelpresent_beta_kubernetes_io_arch: 'true',
      __meta_kubernetes_node_label_beta_kubernetes_io_os: 'linux',
      __meta_kubernetes_node_labelpresent_beta_kubernetes_io_os: 'true',
      __meta_kubernetes_node_label_kubernetes_io_arch: 'amd64',
      __meta_kubernetes_node_labelpresent_kubernetes_io_arch: 'true',
      __meta_kubernetes_node_label_kubernetes_io_hostname: 'worker-1',
      __meta_kubernetes_node_labelpresent_kubernetes_io_hostname: 'true',
      __meta_kubernetes_node_label_kubernetes_io_os: 'linux',
      __meta_kubernetes_node_labelpresent_kubernetes_io_os: 'true',
      __meta_kubernetes_node_label_topology_kubernetes_io_zone: 'eu-west-1a',
      __meta_kubernetes_node_labelpresent_topology_kubernetes_io_zone: 'true',
      __meta_kubernetes_node_annotation_kubeadm_alpha_kubernetes_io_cri_socket: 'unix:///run/containerd/containerd.sock',
      __meta_kubernetes_node_annotationpresent_kubeadm_alpha_kubernetes_io_cri_socket: 'true',
      __meta_kubernetes_node_annotation_node_alpha_kubernetes_io_ttl: '0',
      __meta_kubernetes_node_annotationpresent_node_alpha_kubernetes_io_ttl: 'true',
      __meta_kubernetes_node_annotation_volumes_kubernetes_io_controller_managed_attach_detach: 'true',
      __meta_kubernetes_node_annotationpresent_volumes_kubernetes_io_controller_managed_attach_detach: 'true',
    },
    targets: [
      {
        __address__: '172.18.0.3:10250',
        instance: 'worker-1',
        __meta_kubernetes_node_address_InternalIP: '172.18.0.3',
        __meta_kubernetes_node_address_Hostname: 'worker-1',
        __meta_kubernetes_node_address_InternalDNS: 'ip-172-18-0-3.eu-west-1.compute.internal',
      },
    ],
  });
  // No internal address: the external IPv6 one, bracketed; empty provider ID and empty-valued label kept.
  const edge = groups.get('node/edge-1')!;
  assert.deepEqual(edge.targets, [
    { __address__: '[2001:db8::10]:10250', instance: 'edge-1', __meta_kubernetes_node_address_ExternalIP: '2001:db8::10', __meta_kubernetes_node_address_Hostname: 'edge-1' },
  ]);
  assert.equal(edge.labels.__meta_kubernetes_node_provider_id, '');
  assert.equal(edge.labels.__meta_kubernetes_node_label_node_role_kubernetes_io_edge, '');
});

test('pod role: a target per container port, port-less containers and init containers; pods without IP are empty groups', async () => {
  const groups = await discover({ role: 'pod' });
  assert.deepEqual(groups.get('pod/jobs/batch-pending'), { source: 'pod/jobs/batch-pending', labels: {}, targets: [] });
  const web = groups.get('pod/shop/web-7d9c5b8f6d-x2k8p')!;
  assert.deepEqual(web.labels, { __meta_kubernetes_namespace: 'shop', ...WEB_POD_LABELS });
  const webContainer = { ...WEB_CONTAINER, __meta_kubernetes_pod_container_id: 'containerd://5f0b1c2d3e4f' };
  assert.deepEqual(web.targets, [
    { __address__: '10.244.1.7:8080', ...webContainer, __meta_kubernetes_pod_container_port_number: '8080', __meta_kubernetes_pod_container_port_name: 'http', __meta_kubernetes_pod_container_port_protocol: 'TCP' },
    { __address__: '10.244.1.7:9102', ...webContainer, __meta_kubernetes_pod_container_port_number: '9102', __meta_kubernetes_pod_container_port_name: 'metrics', __meta_kubernetes_pod_container_port_protocol: 'TCP' },
    {
      __address__: '10.244.1.7',
      __meta_kubernetes_pod_container_name: 'log-shipper',
      __meta_kubernetes_pod_container_id: 'containerd://6a7b8c9d0e1f',
      __meta_kubernetes_pod_container_image: 'registry.example.com/log-shipper:0.9',
      __meta_kubernetes_pod_container_init: 'false',
    },
    {
      __address__: '10.244.1.7:9000',
      __meta_kubernetes_pod_container_name: 'migrate',
      __meta_kubernetes_pod_container_id: 'containerd://7c8d9e0f1a2b',
      __meta_kubernetes_pod_container_image: 'registry.example.com/migrate:1.4.2',
      __meta_kubernetes_pod_container_init: 'true',
      __meta_kubernetes_pod_container_port_number: '9000',
      __meta_kubernetes_pod_container_port_name: 'admin',
      __meta_kubernetes_pod_container_port_protocol: 'TCP',
    },
  ]);
});

test('pod role with attach_metadata: node and namespace labels join the group', async () => {
  const groups = await discover({ role: 'pod', attach_metadata: { node: true, namespace: true } });
  const labels = groups.get('pod/shop/web-7d9c5b8f6d-x2k8p')!.labels;
  assert.equal(labels.__meta_kubernetes_node_name, 'worker-1');
  assert.equal(labels.__meta_kubernetes_node_label_topology_kubernetes_io_zone, 'eu-west-1a');
  assert.equal(labels.__meta_kubernetes_node_annotationpresent_node_alpha_kubernetes_io_ttl, 'true');
  assert.equal(labels.__meta_kubernetes_namespace_label_env, 'prod');
  assert.equal(labels.__meta_kubernetes_namespace_labelpresent_env, 'true');
  assert.equal(labels.__meta_kubernetes_namespace_annotation_owner_example_com_team, 'storefront');
  assert.equal(labels.__meta_kubernetes_namespace_annotationpresent_owner_example_com_team, 'true');
  // Upstream adds no name label for the namespace (it is __meta_kubernetes_namespace already).
  assert.equal(labels.__meta_kubernetes_namespace_name, undefined);
});

test('service role: a target per port at <name>.<namespace>.svc; cluster IP, external name, load balancer IP by type', async () => {
  const groups = await discover({ role: 'service' });
  assert.deepEqual(groups.get('svc/shop/web'), {
    source: 'svc/shop/web',
    labels: WEB_SERVICE_LABELS,
    targets: [
      { __address__: 'web.shop.svc:80', __meta_kubernetes_service_port_name: 'http', __meta_kubernetes_service_port_number: '80', __meta_kubernetes_service_port_protocol: 'TCP', __meta_kubernetes_service_type: 'ClusterIP', __meta_kubernetes_service_cluster_ip: '10.96.12.34' },
      { __address__: 'web.shop.svc:9102', __meta_kubernetes_service_port_name: 'metrics', __meta_kubernetes_service_port_number: '9102', __meta_kubernetes_service_port_protocol: 'TCP', __meta_kubernetes_service_type: 'ClusterIP', __meta_kubernetes_service_cluster_ip: '10.96.12.34' },
    ],
  });
  assert.deepEqual(groups.get('svc/shop/payments')!.targets, [
    { __address__: 'payments.shop.svc:443', __meta_kubernetes_service_port_name: 'https', __meta_kubernetes_service_port_number: '443', __meta_kubernetes_service_port_protocol: 'TCP', __meta_kubernetes_service_type: 'ExternalName', __meta_kubernetes_service_external_name: 'payments.example.net' },
  ]);
  assert.deepEqual(groups.get('svc/edge/gateway')!.targets, [
    {
      __address__: 'gateway.edge.svc:443',
      __meta_kubernetes_service_port_name: 'https',
      __meta_kubernetes_service_port_number: '443',
      __meta_kubernetes_service_port_protocol: 'TCP',
      __meta_kubernetes_service_type: 'LoadBalancer',
      __meta_kubernetes_service_cluster_ip: '10.96.40.1',
      __meta_kubernetes_service_loadbalancer_ip: '203.0.113.7',
    },
  ]);
});

test('endpoints role: ready and not-ready addresses, service labels, pod labels and the pod\'s other container ports', async () => {
  const groups = await discover({ role: 'endpoints' });
  const g = groups.get('endpoints/shop/web')!;
  assert.deepEqual(g.labels, {
    ...WEB_SERVICE_LABELS,
    __meta_kubernetes_endpoints_name: 'web',
    __meta_kubernetes_endpoints_label_app_kubernetes_io_name: 'web',
    __meta_kubernetes_endpoints_labelpresent_app_kubernetes_io_name: 'true',
    __meta_kubernetes_endpoints_annotation_endpoints_kubernetes_io_last_change_trigger_time: '2024-05-02T10:00:09Z',
    __meta_kubernetes_endpoints_annotationpresent_endpoints_kubernetes_io_last_change_trigger_time: 'true',
  });
  const podPort = (port: string, name: string) => ({ __meta_kubernetes_pod_container_port_name: name, __meta_kubernetes_pod_container_port_number: port, __meta_kubernetes_pod_container_port_protocol: 'TCP' });
  assert.deepEqual(g.targets, [
    {
      __address__: '10.244.1.7:8080',
      __meta_kubernetes_endpoint_port_name: 'http',
      __meta_kubernetes_endpoint_port_protocol: 'TCP',
      __meta_kubernetes_endpoint_ready: 'true',
      __meta_kubernetes_endpoint_address_target_kind: 'Pod',
      __meta_kubernetes_endpoint_address_target_name: 'web-7d9c5b8f6d-x2k8p',
      __meta_kubernetes_endpoint_node_name: 'worker-1',
      ...WEB_POD_LABELS,
      ...WEB_CONTAINER,
      ...podPort('8080', 'http'),
    },
    // The pod behind it is gone from the store: no pod labels.
    {
      __address__: '10.244.1.9:8080',
      __meta_kubernetes_endpoint_port_name: 'http',
      __meta_kubernetes_endpoint_port_protocol: 'TCP',
      __meta_kubernetes_endpoint_ready: 'false',
      __meta_kubernetes_endpoint_address_target_kind: 'Pod',
      __meta_kubernetes_endpoint_address_target_name: 'web-gone',
      __meta_kubernetes_endpoint_node_name: 'worker-1',
      __meta_kubernetes_endpoint_hostname: 'web-old',
    },
    { __address__: '10.244.1.7:9102', ...WEB_POD_LABELS, ...WEB_CONTAINER, ...podPort('9102', 'metrics') },
    {
      __address__: '10.244.1.7:9000',
      ...WEB_POD_LABELS,
      __meta_kubernetes_pod_container_name: 'migrate',
      __meta_kubernetes_pod_container_image: 'registry.example.com/migrate:1.4.2',
      __meta_kubernetes_pod_container_init: 'true',
      ...podPort('9000', 'admin'),
    },
  ]);
});

test('endpoints role warns, as upstream, about Endpoints objects truncated at capacity', async () => {
  const lines: string[] = [];
  await discover({ role: 'endpoints' }, createLogger({ write: (l) => lines.push(l) }), (name, items) => {
    if (name === 'endpoints') items[0].metadata.labels!['endpoints.kubernetes.io/over-capacity'] = 'truncated';
  });
  assert.ok(
    lines.some((l) => l.includes('level=WARN') && l.includes('exceeds 1000 and has been truncated') && l.includes('endpoint=web')),
    lines.join('\n'),
  );
});

test('endpointslice role: conditions, zone, hostname, app protocol, service and pod labels', async () => {
  const groups = await discover({ role: 'endpointslice', attach_metadata: { node: true, namespace: false } });
  const g = groups.get('endpointslice/shop/web-8hq2v')!;
  assert.deepEqual(g.labels, {
    ...WEB_SERVICE_LABELS,
    __meta_kubernetes_endpointslice_address_type: 'IPv4',
    __meta_kubernetes_endpointslice_name: 'web-8hq2v',
    __meta_kubernetes_endpointslice_label_endpointslice_kubernetes_io_managed_by: 'endpointslice-controller.k8s.io',
    __meta_kubernetes_endpointslice_labelpresent_endpointslice_kubernetes_io_managed_by: 'true',
    __meta_kubernetes_endpointslice_label_kubernetes_io_service_name: 'web',
    __meta_kubernetes_endpointslice_labelpresent_kubernetes_io_service_name: 'true',
    __meta_kubernetes_endpointslice_annotation_endpoints_kubernetes_io_last_change_trigger_time: '2024-05-02T10:00:09Z',
    __meta_kubernetes_endpointslice_annotationpresent_endpoints_kubernetes_io_last_change_trigger_time: 'true',
  });
  const port = { __meta_kubernetes_endpointslice_port: '8080', __meta_kubernetes_endpointslice_port_name: 'http', __meta_kubernetes_endpointslice_port_protocol: 'TCP', __meta_kubernetes_endpointslice_port_app_protocol: 'http' };
  const [ready, terminating, ...others] = g.targets;
  const { __meta_kubernetes_node_name, __meta_kubernetes_node_label_kubernetes_io_hostname, ...readyRest } = ready;
  // attach_metadata.node: the node the endpoint runs on.
  assert.equal(__meta_kubernetes_node_name, 'worker-1');
  assert.equal(__meta_kubernetes_node_label_kubernetes_io_hostname, 'worker-1');
  assert.equal(readyRest.__meta_kubernetes_node_labelpresent_kubernetes_io_hostname, 'true');
  for (const k of Object.keys(readyRest)) if (k.startsWith('__meta_kubernetes_node_')) delete readyRest[k];
  assert.deepEqual(readyRest, {
    __address__: '10.244.1.7:8080',
    ...port,
    __meta_kubernetes_endpointslice_endpoint_conditions_ready: 'true',
    __meta_kubernetes_endpointslice_endpoint_conditions_serving: 'true',
    __meta_kubernetes_endpointslice_endpoint_conditions_terminating: 'false',
    __meta_kubernetes_endpointslice_address_target_kind: 'Pod',
    __meta_kubernetes_endpointslice_address_target_name: 'web-7d9c5b8f6d-x2k8p',
    __meta_kubernetes_endpointslice_endpoint_node_name: 'worker-1',
    __meta_kubernetes_endpointslice_endpoint_zone: 'eu-west-1a',
    ...WEB_POD_LABELS,
    ...WEB_CONTAINER,
    __meta_kubernetes_pod_container_port_name: 'http',
    __meta_kubernetes_pod_container_port_number: '8080',
    __meta_kubernetes_pod_container_port_protocol: 'TCP',
  });
  // worker-2 is not a known node, web-terminating not a known pod: only the slice's own labels.
  assert.deepEqual(terminating, {
    __address__: '10.244.2.4:8080',
    ...port,
    __meta_kubernetes_endpointslice_endpoint_conditions_ready: 'false',
    __meta_kubernetes_endpointslice_endpoint_conditions_serving: 'true',
    __meta_kubernetes_endpointslice_endpoint_conditions_terminating: 'true',
    __meta_kubernetes_endpointslice_endpoint_hostname: 'web-1',
    __meta_kubernetes_endpointslice_address_target_kind: 'Pod',
    __meta_kubernetes_endpointslice_address_target_name: 'web-terminating',
    __meta_kubernetes_endpointslice_endpoint_node_name: 'worker-2',
    __meta_kubernetes_endpointslice_endpoint_zone: 'eu-west-1b',
  });
  assert.deepEqual(others.map((t) => t.__address__), ['10.244.1.7:9102', '10.244.1.7:9000']);
});

test('ingress role: a target per rule path; scheme from TLS hosts incl. wildcards; default path /; class name', async () => {
  const groups = await discover({ role: 'ingress' });
  assert.deepEqual(groups.get('ingress/shop/web'), {
    source: 'ingress/shop/web',
    labels: {
      __meta_kubernetes_namespace: 'shop',
      __meta_kubernetes_ingress_name: 'web',
      __meta_kubernetes_ingress_label_app_kubernetes_io_name: 'web',
      __meta_kubernetes_ingress_labelpresent_app_kubernetes_io_name: 'true',
      __meta_kubernetes_ingress_annotation_nginx_ingress_kubernetes_io_rewrite_target: '/',
      __meta_kubernetes_ingress_annotationpresent_nginx_ingress_kubernetes_io_rewrite_target: 'true',
      __meta_kubernetes_ingress_class_name: 'nginx',
    },
    targets: [
      { __address__: 'shop.example.com', __meta_kubernetes_ingress_scheme: 'https', __meta_kubernetes_ingress_host: 'shop.example.com', __meta_kubernetes_ingress_path: '/' },
      { __address__: 'shop.example.com', __meta_kubernetes_ingress_scheme: 'https', __meta_kubernetes_ingress_host: 'shop.example.com', __meta_kubernetes_ingress_path: '/metrics' },
      { __address__: 'api.example.com', __meta_kubernetes_ingress_scheme: 'https', __meta_kubernetes_ingress_host: 'api.example.com', __meta_kubernetes_ingress_path: '/' },
      { __address__: 'status.example.org', __meta_kubernetes_ingress_scheme: 'http', __meta_kubernetes_ingress_host: 'status.example.org', __meta_kubernetes_ingress_path: '/' },
    ],
  });
});
