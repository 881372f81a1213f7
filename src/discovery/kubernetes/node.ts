/** `role: node`: one target per node, its preferred address and the kubelet port. */
import { addObjectMetaLabels, joinHostPort, META, sanitizeLabelName, type Builder, type LabelSet } from './labels.js';
import type { Node } from './types.js';

export const nodeSource = (name: string) => `node/${name}`;

// Upstream's preference, derived from Kubernetes' own node address order.
const ADDRESS_PREFERENCE = ['InternalIP', 'InternalDNS', 'ExternalIP', 'ExternalDNS', 'LegacyHostIP', 'Hostname'];

export const buildNode: Builder<Node> = (node) => {
  const byType = new Map<string, string>();
  for (const a of node.status?.addresses ?? []) if (!byType.has(a.type)) byType.set(a.type, a.address);
  const preferred = ADDRESS_PREFERENCE.find((t) => byType.has(t));
  // Like upstream, a node without a usable address sends no update at all.
  if (!preferred) return { group: undefined, deps: [] };
  const labels: LabelSet = { [`${META}node_provider_id`]: node.spec?.providerID ?? '' };
  addObjectMetaLabels(labels, node.metadata, 'node');
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  const target: LabelSet = { __address__: joinHostPort(byType.get(preferred)!, port), instance: node.metadata.name };
  for (const [type, address] of byType) target[sanitizeLabelName(`${META}node_address_${type}`)] = address;
  return { group: { source: nodeSource(node.metadata.name), labels, targets: [target] }, deps: [] };
};
