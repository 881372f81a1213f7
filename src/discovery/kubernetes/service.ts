/** `role: service`: one target per service port, addressed by the service's cluster DNS name. */
import { addNamespaceMetadata, addObjectMetaLabels, joinHostPort, META, NAMESPACE_LABEL, type Builder, type LabelSet } from './labels.js';
import type { Service } from './types.js';

export const serviceSource = (namespace: string, name: string) => `svc/${namespace}/${name}`;

/** The group labels of a service; the endpoints roles attach them too. */
export function serviceLabels(svc: Service): LabelSet {
  const ls: LabelSet = { [NAMESPACE_LABEL]: svc.metadata.namespace ?? '' };
  addObjectMetaLabels(ls, svc.metadata, 'service');
  return ls;
}

export const buildService: Builder<Service> = (svc, lookups) => {
  const namespace = svc.metadata.namespace ?? '';
  const deps: string[] = [];
  const labels = serviceLabels(svc);
  addNamespaceMetadata(labels, namespace, lookups, deps);
  const spec = svc.spec ?? {};
  const type = spec.type ?? '';
  const targets = (spec.ports ?? []).map((port) => {
    const t: LabelSet = {
      __address__: joinHostPort(`${svc.metadata.name}.${namespace}.svc`, port.port),
      [`${META}service_port_name`]: port.name ?? '',
      [`${META}service_port_number`]: String(port.port),
      [`${META}service_port_protocol`]: port.protocol ?? '',
      [`${META}service_type`]: type,
    };
    if (type === 'ExternalName') t[`${META}service_external_name`] = spec.externalName ?? '';
    else t[`${META}service_cluster_ip`] = spec.clusterIP ?? '';
    if (type === 'LoadBalancer') t[`${META}service_loadbalancer_ip`] = spec.loadBalancerIP ?? '';
    return t;
  });
  return { group: { source: serviceSource(namespace, svc.metadata.name), labels, targets }, deps };
};
