/**
 * `kubernetes_sd_configs`: discovers targets from the Kubernetes API for one role (node, pod,
 * service, endpoints, endpointslice, ingress), keeping them in sync through list + watch.
 *
 * Each role lists and watches its own kind, per configured namespace; the endpoints roles also
 * watch services and pods, and `attach_metadata` adds nodes and namespaces. Every built group
 * records which other objects it read, so a change to a service, pod, node or namespace
 * rebuilds exactly the groups that used it. Changes are coalesced for `coalesceMs`, then the
 * full list of groups (plus removed ones, empty, once) is sent.
 */
import type { KubernetesSdConfig } from '../../config/sd.js';
import { nopLogger, type Logger } from '../../util/log.js';
import type { Discoverer } from '../discoverer.js';
import { HttpClient } from '../http-client.js';
import type { TargetGroup } from '../targetgroup.js';
import { KubeClient, ownNamespace, resolveAccess, RESOURCES, type AccessOptions, type Kind } from './client.js';
import { buildEndpoints } from './endpoints.js';
import { buildEndpointSlice } from './endpointslice.js';
import { Informer, KubernetesSdStats, type InformerOptions } from './informer.js';
import { buildIngress } from './ingress.js';
import { dep, type Builder, type Lookups } from './labels.js';
import { buildNode } from './node.js';
import { buildPod } from './pod.js';
import { buildService } from './service.js';
import type { KubeObject, Namespace, Node, Pod, Service } from './types.js';

export interface KubernetesDiscovererOptions extends AccessOptions, InformerOptions {
  /** How long to gather changes before sending; bursts of events become one update. */
  coalesceMs?: number;
}

const BUILDERS: Record<string, Builder<never>> = {
  node: buildNode,
  pod: buildPod,
  service: buildService,
  endpoints: buildEndpoints,
  endpointslice: buildEndpointSlice,
  ingress: buildIngress,
};

/** The kinds besides its own that a role reads; attach_metadata adds node and namespace. */
const SECONDARY: Record<string, Kind[]> = {
  endpoints: ['service', 'pod'],
  endpointslice: ['service', 'pod'],
};
const ATTACH_NODE_ROLES = ['pod', 'endpoints', 'endpointslice'];
const ATTACH_NAMESPACE_ROLES = ['pod', 'endpoints', 'endpointslice', 'service', 'ingress'];

export class KubernetesDiscoverer implements Discoverer {
  /** Event and failure counts over every run of this discoverer. */
  readonly stats = new KubernetesSdStats();

  constructor(
    private readonly cfg: KubernetesSdConfig,
    private readonly log: Logger = nopLogger,
    private readonly opts: KubernetesDiscovererOptions = {},
  ) {}

  async run(signal: AbortSignal, send: (groups: TargetGroup[]) => void): Promise<void> {
    const access = resolveAccess(this.cfg, this.opts);
    const http = new HttpClient(access.http);
    try {
      await new Session(this.cfg, new KubeClient(access.server, http), this.namespaces(), this.log.with({ role: this.cfg.role }), this.opts, this.stats, send).run(signal);
    } finally {
      http.close();
    }
  }

  /** The namespaces to watch; [undefined] means all. */
  private namespaces(): (string | undefined)[] {
    const names = [...this.cfg.namespaces.names];
    if (this.cfg.namespaces.own_namespace) names.push(ownNamespace(this.opts));
    return names.length > 0 ? [...new Set(names)] : [undefined];
  }
}

/** One run: the informers, the built groups and the dependency index. */
class Session {
  private readonly role: string;
  private readonly informers = new Map<Kind, Informer<KubeObject>[]>();
  private readonly groups = new Map<string, TargetGroup>();
  /** Primary key → the dependency keys its group was built from, and the reverse. */
  private readonly depsOf = new Map<string, string[]>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly dirty = new Set<string>();
  private readonly removed: TargetGroup[] = [];
  private timer: NodeJS.Timeout | undefined;
  private firstSent = false;
  private readonly lookups: Lookups;

  constructor(
    private readonly cfg: KubernetesSdConfig,
    private readonly client: KubeClient,
    private readonly namespaces: (string | undefined)[],
    private readonly log: Logger,
    private readonly opts: KubernetesDiscovererOptions,
    stats: KubernetesSdStats,
    private readonly send: (groups: TargetGroup[]) => void,
  ) {
    this.role = cfg.role;
    const attachNode = cfg.attach_metadata.node && ATTACH_NODE_ROLES.includes(this.role);
    const attachNamespace = cfg.attach_metadata.namespace && ATTACH_NAMESPACE_ROLES.includes(this.role);
    this.lookups = {
      service: (ns, name) => this.get<Service>('service', `${ns}/${name}`),
      pod: (ns, name) => this.get<Pod>('pod', `${ns}/${name}`),
      node: attachNode ? (name) => this.get<Node>('node', name) : undefined,
      namespace: attachNamespace ? (name) => this.get<Namespace>('namespace', name) : undefined,
      log,
    };
    const kinds: Kind[] = [this.role as Kind, ...(SECONDARY[this.role] ?? [])];
    if (attachNode) kinds.push('node');
    if (attachNamespace) kinds.push('namespace');
    for (const kind of new Set(kinds)) {
      const resource = RESOURCES[kind];
      const selector = cfg.selectors.find((s) => s.role === kind) ?? { label: '', field: '' };
      const scopes = resource.namespaced ? this.namespaces : [undefined];
      this.informers.set(
        kind,
        scopes.map(
          (ns) =>
            new Informer<KubeObject>(this.client, resource, ns, selector, this.log, (key) => this.changed(kind, key), () => this.schedule(), stats, kind, this.opts),
        ),
      );
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    try {
      await Promise.all([...this.informers.values()].flat().map((inf) => inf.run(signal)));
    } finally {
      clearTimeout(this.timer);
    }
  }

  private get<T extends KubeObject>(kind: Kind, key: string): T | undefined {
    for (const inf of this.informers.get(kind) ?? []) {
      const obj = inf.store.get(key);
      if (obj) return obj as T;
    }
    return undefined;
  }

  private changed(kind: Kind, key: string): void {
    if (kind === this.role) this.dirty.add(key);
    // The dependency key of a namespaced object is `<kind>/<namespace>/<name>`, i.e. `<kind>/<key>`.
    const depKey = kind === 'node' ? dep.node(key) : kind === 'namespace' ? dep.namespace(key) : `${kind}/${key}`;
    for (const primary of this.dependents.get(depKey) ?? []) this.dirty.add(primary);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.opts.coalesceMs ?? 100);
  }

  private allSynced(): boolean {
    for (const list of this.informers.values()) for (const inf of list) if (!inf.synced) return false;
    return true;
  }

  private flush(): void {
    // Until every store is filled, a group could miss its service or pod labels.
    if (!this.allSynced()) return;
    if (this.dirty.size === 0 && this.firstSent) return;
    const build = BUILDERS[this.role] as Builder<KubeObject>;
    for (const key of this.dirty) {
      const obj = this.get<KubeObject>(this.role as Kind, key);
      this.setDeps(key, []);
      if (!obj) {
        const gone = this.groups.get(key);
        if (gone) this.removed.push({ source: gone.source, labels: {}, targets: [] });
        this.groups.delete(key);
        continue;
      }
      const built = build(obj, this.lookups);
      this.setDeps(key, built.deps);
      if (built.group) this.groups.set(key, built.group);
    }
    this.dirty.clear();
    const out = [...this.groups.values(), ...this.removed.splice(0)];
    this.firstSent = true;
    this.send(out);
  }

  private setDeps(key: string, deps: string[]): void {
    for (const d of this.depsOf.get(key) ?? []) {
      const set = this.dependents.get(d);
      set?.delete(key);
      if (set?.size === 0) this.dependents.delete(d);
    }
    if (deps.length === 0) {
      this.depsOf.delete(key);
      return;
    }
    this.depsOf.set(key, deps);
    for (const d of deps) {
      let set = this.dependents.get(d);
      if (!set) this.dependents.set(d, (set = new Set()));
      set.add(key);
    }
  }
}
