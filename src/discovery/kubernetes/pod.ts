/** `role: pod`: one target per declared container port, or one port-less target per container without ports. */
import { addNamespaceMetadata, addNodeMetadata, addObjectMetaLabels, joinHostPort, META, NAMESPACE_LABEL, type Builder, type LabelSet } from './labels.js';
import type { Container, Pod } from './types.js';

export const podSource = (namespace: string, name: string) => `pod/${namespace}/${name}`;

export const CONTAINER_NAME = `${META}pod_container_name`;
export const CONTAINER_IMAGE = `${META}pod_container_image`;
export const CONTAINER_INIT = `${META}pod_container_init`;
export const CONTAINER_PORT_NAME = `${META}pod_container_port_name`;
export const CONTAINER_PORT_NUMBER = `${META}pod_container_port_number`;
export const CONTAINER_PORT_PROTOCOL = `${META}pod_container_port_protocol`;

/** The pod's own labels; the endpoints roles attach them to targets backed by the pod. */
export function podLabels(pod: Pod): LabelSet {
  const ls: LabelSet = {
    [`${META}pod_ip`]: pod.status?.podIP ?? '',
    [`${META}pod_ready`]: podReady(pod),
    [`${META}pod_phase`]: pod.status?.phase ?? '',
    [`${META}pod_node_name`]: pod.spec?.nodeName ?? '',
    [`${META}pod_host_ip`]: pod.status?.hostIP ?? '',
    [`${META}pod_uid`]: pod.metadata.uid ?? '',
  };
  addObjectMetaLabels(ls, pod.metadata, 'pod');
  const controller = pod.metadata.ownerReferences?.find((r) => r.controller === true);
  if (controller?.kind) ls[`${META}pod_controller_kind`] = controller.kind;
  if (controller?.name) ls[`${META}pod_controller_name`] = controller.name;
  return ls;
}

function podReady(pod: Pod): string {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return (ready?.status ?? 'Unknown').toLowerCase();
}

/** Regular containers first, then init containers, each with whether it is an init container. */
export function podContainers(pod: Pod): { container: Container; init: boolean }[] {
  return [
    ...(pod.spec?.containers ?? []).map((container) => ({ container, init: false })),
    ...(pod.spec?.initContainers ?? []).map((container) => ({ container, init: true })),
  ];
}

export const buildPod: Builder<Pod> = (pod, lookups) => {
  const namespace = pod.metadata.namespace ?? '';
  const source = podSource(namespace, pod.metadata.name);
  const ip = pod.status?.podIP;
  // A pod without an IP (starting or evicted) has no targets.
  if (!ip) return { group: { source, labels: {}, targets: [] }, deps: [] };
  const deps: string[] = [];
  const labels = podLabels(pod);
  labels[NAMESPACE_LABEL] = namespace;
  addNodeMetadata(labels, pod.spec?.nodeName, lookups, deps);
  addNamespaceMetadata(labels, namespace, lookups, deps);
  const targets: LabelSet[] = [];
  for (const { container, init } of podContainers(pod)) {
    const statuses = init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
    const common: LabelSet = {
      [CONTAINER_NAME]: container.name,
      [`${META}pod_container_id`]: statuses?.find((s) => s.name === container.name)?.containerID ?? '',
      [CONTAINER_IMAGE]: container.image ?? '',
      [CONTAINER_INIT]: String(init),
    };
    const ports = container.ports ?? [];
    // Without ports the target is the bare pod IP; relabeling has to add a port.
    if (ports.length === 0) targets.push({ __address__: ip, ...common });
    for (const port of ports) {
      targets.push({
        __address__: joinHostPort(ip, port.containerPort),
        ...common,
        [CONTAINER_PORT_NUMBER]: String(port.containerPort),
        [CONTAINER_PORT_NAME]: port.name ?? '',
        [CONTAINER_PORT_PROTOCOL]: port.protocol ?? '',
      });
    }
  }
  return { group: { source, labels, targets }, deps };
};
