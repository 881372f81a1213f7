/**
 * Access to the Kubernetes API: where it is and how to authenticate (in-cluster service
 * account, `api_server` with the `<http_config>`, or a kubeconfig file), and the two calls
 * discovery needs: a paged LIST and a WATCH streaming newline-delimited JSON events.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { KubernetesSdConfig } from '../../config/sd.js';
import { HttpClient, type HttpClientSettings } from '../http-client.js';
import { loadKubeconfig } from './kubeconfig.js';
import type { KubeObject, WatchEvent } from './types.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A kind of object discovery lists and watches. */
export interface Resource {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export const RESOURCES = {
  node: { group: '', version: 'v1', plural: 'nodes', namespaced: false },
  namespace: { group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  pod: { group: '', version: 'v1', plural: 'pods', namespaced: true },
  service: { group: '', version: 'v1', plural: 'services', namespaced: true },
  endpoints: { group: '', version: 'v1', plural: 'endpoints', namespaced: true },
  endpointslice: { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true },
  ingress: { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', namespaced: true },
} satisfies Record<string, Resource>;

export type Kind = keyof typeof RESOURCES;

export interface AccessOptions {
  /** Where the service account's token, CA and namespace files are (tests point it elsewhere). */
  serviceAccountDir?: string;
  env?: Record<string, string | undefined>;
}

/** The API server's base URL and the HTTP settings to reach it with. */
export function resolveAccess(cfg: KubernetesSdConfig, opts: AccessOptions = {}): { server: string; http: HttpClientSettings } {
  if (cfg.kubeconfig_file) return loadKubeconfig(cfg.kubeconfig_file);
  if (cfg.api_server) return { server: cfg.api_server, http: cfg };
  const env = opts.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new Error('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
  const dir = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    http: {
      // The token file is re-read per request: kubelet rotates projected tokens.
      authorization: { type: 'Bearer', credentials: undefined, credentials_file: join(dir, 'token'), credentials_ref: '' },
      tls_config: { ca: '', ca_file: join(dir, 'ca.crt'), cert: '', cert_file: '', key: undefined, key_file: '', server_name: '', insecure_skip_verify: false, min_version: '', max_version: '' },
    },
  };
}

/** The namespace discovery runs in, from the service account's namespace file. */
export function ownNamespace(opts: AccessOptions = {}): string {
  const path = join(opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, 'namespace');
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new Error(`could not determine the pod's namespace: ${(e as Error).message}`);
  }
}

export interface Selector {
  label: string;
  field: string;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

const PAGE_SIZE = 500;

export class KubeClient {
  private readonly base: string;

  constructor(
    server: string,
    private readonly http: HttpClient,
  ) {
    this.base = server.replace(/\/+$/, '');
  }

  url(resource: Resource, namespace: string | undefined, params: Record<string, string>): string {
    const root = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
    const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();
    return `${this.base}${root}${ns}/${resource.plural}${query ? `?${query}` : ''}`;
  }

  /** Lists every object, page by page; the result's resourceVersion is where a watch starts. */
  async list<T extends KubeObject>(resource: Resource, namespace: string | undefined, selector: Selector, signal: AbortSignal): Promise<ListResult<T>> {
    const items: T[] = [];
    let cont = '';
    for (;;) {
      const page = await this.http.getJson<{ items?: T[] | null; metadata?: { resourceVersion?: string; continue?: string } }>(
        this.url(resource, namespace, { labelSelector: selector.label, fieldSelector: selector.field, limit: String(PAGE_SIZE), continue: cont }),
        { signal, headers: { Accept: 'application/json' } },
      );
      items.push(...(page.items ?? []));
      cont = page.metadata?.continue ?? '';
      if (!cont) return { items, resourceVersion: page.metadata?.resourceVersion ?? '' };
    }
  }

  /**
   * Watches from `resourceVersion`, yielding events until the server ends the stream (it
   * does after `timeoutSeconds`) or `signal` aborts.
   */
  async *watch(resource: Resource, namespace: string | undefined, selector: Selector, resourceVersion: string, timeoutSeconds: number, signal: AbortSignal): AsyncGenerator<WatchEvent> {
    const url = this.url(resource, namespace, {
      labelSelector: selector.label,
      fieldSelector: selector.field,
      watch: '1',
      resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(timeoutSeconds),
    });
    const res = await this.http.stream(url, { signal, headers: { Accept: 'application/json' } });
    // A watch silent well past its own timeout sits on a dead connection: drop it.
    const stallMs = (timeoutSeconds + 30) * 1000;
    const stall = setTimeout(() => res.destroy(new Error(`watch stalled for ${stallMs / 1000}s`)), stallMs);
    const decoder = new StringDecoder('utf8');
    let pending = '';
    try {
      for await (const chunk of res) {
        stall.refresh();
        pending += decoder.write(chunk as Buffer);
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line) yield JSON.parse(line) as WatchEvent;
        }
      }
    } finally {
      clearTimeout(stall);
      res.destroy();
    }
    const rest = (pending + decoder.end()).trim();
    if (rest) yield JSON.parse(rest) as WatchEvent;
  }
}
