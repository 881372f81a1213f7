/** `role: ingress`: one target per path of each rule, addressed by the rule's host. */
import { addNamespaceMetadata, addObjectMetaLabels, META, NAMESPACE_LABEL, type Builder, type LabelSet } from './labels.js';
import type { Ingress, IngressRule } from './types.js';

export const ingressSource = (namespace: string, name: string) => `ingress/${namespace}/${name}`;

/** A TLS host pattern matches the host exactly or, with a leading `*` label, any first label. */
function matchesHostPattern(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  const p = pattern.split('.');
  const h = host.split('.');
  if (p.length !== h.length) return false;
  return p.every((part, i) => (i === 0 && part === '*') || part === h[i]);
}

/** A rule without an `http` block stands for `/`; one with an empty path list has no targets. */
function rulePaths(rule: IngressRule): string[] {
  if (!rule.http) return ['/'];
  return (rule.http.paths ?? []).map((p) => p.path || '/');
}

export const buildIngress: Builder<Ingress> = (ingress, lookups) => {
  const namespace = ingress.metadata.namespace ?? '';
  const deps: string[] = [];
  const labels: LabelSet = { [NAMESPACE_LABEL]: namespace };
  addObjectMetaLabels(labels, ingress.metadata, 'ingress');
  const className = ingress.spec?.ingressClassName;
  if (className !== undefined && className !== null) labels[`${META}ingress_class_name`] = className;
  addNamespaceMetadata(labels, namespace, lookups, deps);
  const tlsHosts = (ingress.spec?.tls ?? []).flatMap((t) => t.hosts ?? []);
  const targets: LabelSet[] = [];
  for (const rule of ingress.spec?.rules ?? []) {
    const host = rule.host ?? '';
    const scheme = tlsHosts.some((pattern) => matchesHostPattern(pattern, host)) ? 'https' : 'http';
    for (const path of rulePaths(rule)) {
      targets.push({
        __address__: host,
        [`${META}ingress_scheme`]: scheme,
        [`${META}ingress_host`]: host,
        [`${META}ingress_path`]: path,
      });
    }
  }
  return { group: { source: ingressSource(namespace, ingress.metadata.name), labels, targets }, deps };
};
