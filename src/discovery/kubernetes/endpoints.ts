/**
 * `role: endpoints`: one target per address and port of each Endpoints object, with the
 * labels of its service and of the pods behind the addresses.
 */
import { BackingPods } from './backing-pods.js';
import { addNamespaceMetadata, addNodeMetadata, addObjectMetaLabels, dep, joinHostPort, META, NAMESPACE_LABEL, type Builder, type LabelSet } from './labels.js';
import { serviceLabels } from './service.js';
import type { EndpointAddress, Endpoints } from './types.js';

export const endpointsSource = (namespace: string, name: string) => `endpoints/${namespace}/${name}`;

export const buildEndpoints: Builder<Endpoints> = (eps, lookups) => {
  const namespace = eps.metadata.namespace ?? '';
  const name = eps.metadata.name;
  const deps: string[] = [dep.service(namespace, name)];
  const labels: LabelSet = { [NAMESPACE_LABEL]: namespace };
  // An Endpoints object shares its service's name.
  const svc = lookups.service(namespace, name);
  if (svc) Object.assign(labels, serviceLabels(svc));
  addObjectMetaLabels(labels, eps.metadata, 'endpoints');
  addNamespaceMetadata(labels, namespace, lookups, deps);

  const pods = new BackingPods();
  const targets: LabelSet[] = [];
  const add = (addr: EndpointAddress, port: { name?: string; port: number; protocol?: string }, ready: string) => {
    const target: LabelSet = {
      __address__: joinHostPort(addr.ip, port.port),
      [`${META}endpoint_port_name`]: port.name ?? '',
      [`${META}endpoint_port_protocol`]: port.protocol ?? '',
      [`${META}endpoint_ready`]: ready,
    };
    const ref = addr.targetRef;
    if (ref) {
      target[`${META}endpoint_address_target_kind`] = ref.kind ?? '';
      target[`${META}endpoint_address_target_name`] = ref.name ?? '';
    }
    if (addr.nodeName !== undefined) target[`${META}endpoint_node_name`] = addr.nodeName;
    if (addr.hostname) target[`${META}endpoint_hostname`] = addr.hostname;
    addNodeMetadata(target, addr.nodeName ?? (ref?.kind === 'Node' ? ref.name : undefined), lookups, deps);
    if (ref?.kind === 'Pod' && ref.name) {
      const podNamespace = ref.namespace ?? namespace;
      deps.push(dep.pod(podNamespace, ref.name));
      const pod = lookups.pod(podNamespace, ref.name);
      if (pod) pods.attach(target, pod, port.port, port.protocol ?? '');
    }
    targets.push(target);
  };
  for (const subset of eps.subsets ?? []) {
    for (const port of subset.ports ?? []) {
      for (const addr of subset.addresses ?? []) add(addr, port, 'true');
      for (const addr of subset.notReadyAddresses ?? []) add(addr, port, 'false');
    }
  }
  targets.push(...pods.uncoveredTargets());
  // The endpoints controller caps an Endpoints object at 1000 addresses and says so in a label.
  const overCapacity = eps.metadata.labels?.['endpoints.kubernetes.io/over-capacity'];
  if (overCapacity === 'truncated') {
    lookups.log.warn('Number of endpoints in one Endpoints object exceeds 1000 and has been truncated, please use "role: endpointslice" instead', { endpoint: name });
  } else if (overCapacity === 'warning') {
    lookups.log.warn('Number of endpoints in one Endpoints object exceeds 1000, please use "role: endpointslice" instead', { endpoint: name });
  }
  return { group: { source: endpointsSource(namespace, name), labels, targets }, deps };
};
