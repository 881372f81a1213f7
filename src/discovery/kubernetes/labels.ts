/** Label helpers shared by the roles: the `__meta_kubernetes_` names upstream gives objects. */
import type { Logger } from '../../util/log.js';
import type { TargetGroup } from '../targetgroup.js';
import type { KubeObject, Namespace, Node, ObjectMeta, Pod, Service } from './types.js';

export const META = '__meta_kubernetes_';
export const NAMESPACE_LABEL = `${META}namespace`;
export const PRESENT = 'true';

export type LabelSet = Record<string, string>;

/** Replaces every character a label name may not hold with `_`, as upstream's SanitizeLabelName. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** `host:port`, bracketing IPv6 literals as Go's net.JoinHostPort does. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * `<role>_name`, then `<role>_label_<name>`/`_labelpresent_` and `_annotation_`/`_annotationpresent_`
 * for each label and annotation (names sanitized).
 */
export function addObjectMetaLabels(ls: LabelSet, meta: ObjectMeta, role: string, withName = true): void {
  const prefix = `${META}${role}_`;
  if (withName) ls[`${prefix}name`] = meta.name;
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    const name = sanitizeLabelName(k);
    ls[`${prefix}label_${name}`] = v;
    ls[`${prefix}labelpresent_${name}`] = PRESENT;
  }
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    const name = sanitizeLabelName(k);
    ls[`${prefix}annotation_${name}`] = v;
    ls[`${prefix}annotationpresent_${name}`] = PRESENT;
  }
}

/**
 * What a role's builder may look up besides its own object. A builder records every object it
 * looked up (found or not) as a dependency, so a later change to that object rebuilds it.
 */
export interface Lookups {
  service(namespace: string, name: string): Service | undefined;
  pod(namespace: string, name: string): Pod | undefined;
  /** Set when `attach_metadata.node` applies to the role. */
  node?: (name: string) => Node | undefined;
  /** Set when `attach_metadata.namespace` applies to the role. */
  namespace?: (name: string) => Namespace | undefined;
  /** For warnings about the objects themselves. */
  log: Logger;
}

/** Keys of the objects a group was built from, other than its own. */
export const dep = {
  service: (namespace: string, name: string) => `service/${namespace}/${name}`,
  pod: (namespace: string, name: string) => `pod/${namespace}/${name}`,
  node: (name: string) => `node/${name}`,
  namespace: (name: string) => `namespace/${name}`,
};

export interface Built {
  /** Undefined when upstream sends nothing for the object (a node without any address). */
  group: TargetGroup | undefined;
  deps: string[];
}

/** Builds a role's group for one object of its kind. */
export type Builder<T extends KubeObject> = (obj: T, lookups: Lookups) => Built;

/** Adds the node's metadata labels (`attach_metadata.node`) to `ls` when the node is known. */
export function addNodeMetadata(ls: LabelSet, nodeName: string | undefined, lookups: Lookups, deps: string[]): void {
  if (!lookups.node || !nodeName) return;
  deps.push(dep.node(nodeName));
  const node = lookups.node(nodeName);
  if (node) addObjectMetaLabels(ls, node.metadata, 'node');
}

/** Adds the namespace's labels and annotations (`attach_metadata.namespace`) when it is known. */
export function addNamespaceMetadata(ls: LabelSet, namespace: string, lookups: Lookups, deps: string[]): void {
  if (!lookups.namespace) return;
  deps.push(dep.namespace(namespace));
  const ns = lookups.namespace(namespace);
  if (ns) addObjectMetaLabels(ls, ns.metadata, 'namespace', false);
}
