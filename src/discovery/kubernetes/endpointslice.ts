/**
 * `role: endpointslice` (discovery.k8s.io/v1): one target per address and port of each slice,
 * with the labels of its service (`kubernetes.io/service-name`) and of the backing pods.
 */
import { BackingPods } from './backing-pods.js';
import { addNamespaceMetadata, addNodeMetadata, addObjectMetaLabels, dep, joinHostPort, META, NAMESPACE_LABEL, PRESENT, sanitizeLabelName, type Builder, type LabelSet } from './labels.js';
import { serviceLabels } from './service.js';
import type { EndpointSlice } from './types.js';

export const endpointSliceSource = (namespace: string, name: string) => `endpointslice/${namespace}/${name}`;

const P = `${META}endpointslice_`;

export const buildEndpointSlice: Builder<EndpointSlice> = (slice, lookups) => {
  const namespace = slice.metadata.namespace ?? '';
  const deps: string[] = [];
  const labels: LabelSet = { [NAMESPACE_LABEL]: namespace, [`${P}address_type`]: slice.addressType ?? '' };
  addObjectMetaLabels(labels, slice.metadata, 'endpointslice');
  const serviceName = slice.metadata.labels?.['kubernetes.io/service-name'];
  if (serviceName !== undefined) {
    deps.push(dep.service(namespace, serviceName));
    const svc = lookups.service(namespace, serviceName);
    if (svc) Object.assign(labels, serviceLabels(svc));
  }
  addNamespaceMetadata(labels, namespace, lookups, deps);

  const pods = new BackingPods();
  const targets: LabelSet[] = [];
  for (const ep of slice.endpoints ?? []) {
    for (const port of slice.ports ?? []) {
      for (const addr of ep.addresses ?? []) {
        const target: LabelSet = { __address__: port.port !== undefined ? joinHostPort(addr, port.port) : addr };
        if (port.name !== undefined) target[`${P}port_name`] = port.name;
        if (port.protocol !== undefined) target[`${P}port_protocol`] = port.protocol;
        if (port.port !== undefined) target[`${P}port`] = String(port.port);
        if (port.appProtocol !== undefined) target[`${P}port_app_protocol`] = port.appProtocol;
        const cond = ep.conditions ?? {};
        if (cond.ready !== undefined && cond.ready !== null) target[`${P}endpoint_conditions_ready`] = String(cond.ready);
        if (cond.serving !== undefined && cond.serving !== null) target[`${P}endpoint_conditions_serving`] = String(cond.serving);
        if (cond.terminating !== undefined && cond.terminating !== null) target[`${P}endpoint_conditions_terminating`] = String(cond.terminating);
        if (ep.hostname !== undefined) target[`${P}endpoint_hostname`] = ep.hostname;
        const ref = ep.targetRef;
        if (ref) {
          target[`${P}address_target_kind`] = ref.kind ?? '';
          target[`${P}address_target_name`] = ref.name ?? '';
        }
        if (ep.nodeName !== undefined) target[`${P}endpoint_node_name`] = ep.nodeName;
        if (ep.zone !== undefined) target[`${P}endpoint_zone`] = ep.zone;
        for (const [k, v] of Object.entries(ep.deprecatedTopology ?? {})) {
          const name = sanitizeLabelName(k);
          target[`${P}endpoint_topology_${name}`] = v;
          target[`${P}endpoint_topology_present_${name}`] = PRESENT;
        }
        addNodeMetadata(target, ref?.kind === 'Node' ? ref.name : ep.nodeName, lookups, deps);
        if (ref?.kind === 'Pod' && ref.name) {
          const podNamespace = ref.namespace ?? namespace;
          deps.push(dep.pod(podNamespace, ref.name));
          const pod = lookups.pod(podNamespace, ref.name);
          if (pod) pods.attach(target, pod, port.port);
        }
        targets.push(target);
      }
    }
  }
  targets.push(...pods.uncoveredTargets());
  return { group: { source: endpointSliceSource(namespace, slice.metadata.name), labels, targets }, deps };
};
