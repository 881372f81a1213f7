/**
 * Service discovery sections of a scrape config. Pyrometer decodes the mechanisms it runs
 * (static, file, http, dns, kubernetes, consul) field by field; the other upstream
 * mechanisms are kept as plain data, checked with upstream's rules, and reported as not
 * (yet) supported when the server starts.
 */
import { isMap } from 'yaml';
import { isValidLabelName } from '../model/labels.js';
import {
  bool, childNode, duration, fail, int, list, map, oneOf, raw, secret, str, struct,
  type DecodeContext, type Field, type MaybeNode, type Secret,
} from './decode.js';
import { httpClientFields, validateHttpClient, type HttpClientConfig } from './http.js';

export interface StaticConfig {
  targets: string[];
  labels: Record<string, string>;
}

/** A `host:port` (or host) target address as upstream accepts it in a target group. */
export function checkTargetAddress(addr: string): string | undefined {
  if (addr.includes('/') || addr.includes('://')) return `"${addr}" is not a valid hostname`;
  return undefined;
}

export const staticConfig: Field<StaticConfig> = struct<StaticConfig>('targetgroup.Group', {
  targets: list(
    {
      decode(n, ctx) {
        const v = str().decode(n, ctx);
        const problem = checkTargetAddress(v);
        if (problem) fail(ctx, n, problem);
        return v;
      },
      encode: (v) => v,
    },
  ),
  labels: map(str(), (k) => (isValidLabelName(k) ? undefined : `"${k}" is not a valid label name`)),
});

export interface FileSdConfig {
  files: string[];
  refresh_interval: number;
}

export const fileSdConfig: Field<FileSdConfig> = struct<FileSdConfig>(
  'file.SDConfig',
  { files: list(str()), refresh_interval: duration(5 * 60_000) },
  (v, node, ctx) => {
    if (v.files.length === 0) fail(ctx, node, 'file service discovery config must contain at least one path name');
    for (const f of v.files) {
      if (!/\.(json|ya?ml)$/.test(f)) fail(ctx, childNode(node, 'files'), `path name "${f}" is not valid for file discovery`);
    }
  },
);

/** Upstream's checks for SD endpoint URLs; undefined when fine. */
function httpUrlProblem(url: unknown): string | undefined {
  if (typeof url !== 'string' || url === '') return 'URL is missing';
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(url);
  if (!m || !['http', 'https'].includes(m[1].toLowerCase())) return "URL scheme must be 'http' or 'https'";
  if (m[2].replace(/^[^@]*@/, '') === '') return 'host is missing in URL';
  return undefined;
}

function checkHttpUrl(url: string, ctx: DecodeContext, node: MaybeNode): void {
  const problem = httpUrlProblem(url);
  if (problem) fail(ctx, node, problem);
}

export interface HttpSdConfig extends HttpClientConfig {
  url: string;
  refresh_interval: number;
}

export const httpSdConfig: Field<HttpSdConfig> = struct<HttpSdConfig>(
  'http.SDConfig',
  { ...httpClientFields, url: str(), refresh_interval: duration(60_000) },
  (v, node, ctx) => {
    checkHttpUrl(v.url, ctx, childNode(node, 'url'));
    validateHttpClient(v, node, ctx);
  },
);

export interface DnsSdConfig {
  names: string[];
  type: string;
  port: number;
  refresh_interval: number;
}

export const dnsSdConfig: Field<DnsSdConfig> = struct<DnsSdConfig>(
  'dns.SDConfig',
  {
    names: list(str()),
    type: oneOf(['SRV', 'A', 'AAAA', 'MX', 'NS'] as const, 'SRV', 'DNS-SD records type'),
    port: int(0),
    refresh_interval: duration(30_000),
  },
  (v, node, ctx) => {
    if (v.names.length === 0) fail(ctx, node, 'DNS-SD config must contain at least one SRV record name');
    if (v.type !== 'SRV' && v.port === 0) fail(ctx, node, 'a port is required in DNS-SD configs for all record types except SRV');
  },
);

const K8S_ROLES = ['endpoints', 'endpointslice', 'service', 'pod', 'node', 'ingress'] as const;
const K8S_SELECTOR_ROLES: Record<string, string[]> = {
  endpoints: ['pod', 'service', 'endpoints'],
  endpointslice: ['pod', 'service', 'endpointslice'],
  ingress: ['ingress'],
  node: ['node'],
  pod: ['pod', 'node'],
  service: ['service'],
};

export interface KubernetesSdConfig extends HttpClientConfig {
  api_server: string;
  role: string;
  kubeconfig_file: string;
  namespaces: { own_namespace: boolean; names: string[] };
  selectors: { role: string; label: string; field: string }[];
  attach_metadata: { node: boolean; namespace: boolean };
}

export const kubernetesSdConfig: Field<KubernetesSdConfig> = struct<KubernetesSdConfig>(
  'kubernetes.SDConfig',
  {
    ...httpClientFields,
    api_server: str(),
    role: str(),
    kubeconfig_file: str(),
    namespaces: struct('kubernetes.NamespaceDiscovery', { own_namespace: bool(false), names: list(str()) }),
    selectors: list(struct('kubernetes.SelectorConfig', { role: str(), label: str(), field: str() })),
    attach_metadata: struct('kubernetes.AttachMetadataConfig', { node: bool(false), namespace: bool(false) }),
  },
  (v, node, ctx) => {
    const roleNode = childNode(node, 'role');
    if (v.role === '') fail(ctx, node, 'role missing (one of: pod, service, endpoints, endpointslice, node, ingress)');
    if (!(K8S_ROLES as readonly string[]).includes(v.role)) fail(ctx, roleNode, `unknown Kubernetes SD role "${v.role}"`);
    validateHttpClient(v, node, ctx);
    const customHttp = !!(v.basic_auth || v.authorization || v.oauth2) || v.tls_config.ca_file !== '' || v.proxy_url !== '';
    if (v.api_server && v.kubeconfig_file) fail(ctx, node, "cannot use 'kubeconfig_file' and 'api_server' simultaneously");
    if (v.kubeconfig_file && customHttp) fail(ctx, node, "cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
    if (v.kubeconfig_file && v.namespaces.own_namespace) fail(ctx, node, "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
    if (!v.api_server && !v.kubeconfig_file && customHttp) {
      fail(ctx, node, "to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
    }
    const seen = new Set<string>();
    for (const sel of v.selectors) {
      if (seen.has(sel.role)) fail(ctx, childNode(node, 'selectors'), `duplicated selector role: ${sel.role}`);
      seen.add(sel.role);
      const allowed = K8S_SELECTOR_ROLES[v.role];
      if (!allowed.includes(sel.role)) {
        fail(ctx, childNode(node, 'selectors'), `${v.role} role supports only ${allowed.join(', ')} selectors`);
      }
    }
  },
);

export interface ConsulSdConfig extends HttpClientConfig {
  server: string;
  path_prefix: string;
  token: Secret | undefined;
  datacenter: string;
  namespace: string;
  partition: string;
  scheme: string;
  username: string;
  password: Secret | undefined;
  services: string[];
  tags: string[];
  node_meta: Record<string, string>;
  tag_separator: string;
  allow_stale: boolean;
  refresh_interval: number;
  filter: string;
  health_filter: string;
}

export const consulSdConfig: Field<ConsulSdConfig> = struct<ConsulSdConfig>(
  'consul.SDConfig',
  {
    ...httpClientFields,
    server: str('localhost:8500'),
    path_prefix: str(),
    token: secret(),
    datacenter: str(),
    namespace: str(),
    partition: str(),
    scheme: str('http'),
    username: str(),
    password: secret(),
    services: list(str()),
    tags: list(str()),
    node_meta: map(str()),
    tag_separator: str(','),
    allow_stale: bool(true),
    refresh_interval: duration(30_000),
    filter: str(),
    health_filter: str(),
  },
  (v, node, ctx) => {
    if (v.server.trim() === '') fail(ctx, node, 'consul SD configuration requires a server address');
    if ((v.username || v.password) && (v.basic_auth || v.authorization)) {
      fail(ctx, node, 'at most one of consul SD configuration username and password and basic auth can be configured');
    }
    if (v.token && (v.authorization || v.basic_auth || v.oauth2)) {
      fail(ctx, node, 'at most one of consul SD token, authorization, oauth2, or basic_auth can be configured');
    }
    validateHttpClient(v, node, ctx);
  },
);

type Plain = Record<string, unknown>;
type LooseCheck = (v: Plain) => string | undefined;

const has = (v: Plain, k: string): boolean => v[k] !== undefined && v[k] !== null && v[k] !== '';

function bearerChecks(v: Plain): string | undefined {
  if (has(v, 'bearer_token') && has(v, 'bearer_token_file')) return 'at most one of bearer_token & bearer_token_file must be configured';
  const bearer = has(v, 'bearer_token') || has(v, 'bearer_token_file');
  if (bearer && (has(v, 'basic_auth') || has(v, 'oauth2'))) {
    return 'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured';
  }
  if (has(v, 'authorization') && (has(v, 'basic_auth') || has(v, 'oauth2'))) {
    return 'at most one of basic_auth, oauth2 & authorization must be configured';
  }
  return undefined;
}

const urlCheck = httpUrlProblem;

const LOOSE_CHECKS: Record<string, LooseCheck> = {
  azure_sd_configs: (v) => {
    const method = (v.authentication_method as string) ?? 'OAuth';
    if (!['OAuth', 'ManagedIdentity', 'SDK', 'WorkloadIdentity'].includes(method)) {
      return `unknown authentication_type "${method}". Supported types are "OAuth", "ManagedIdentity", "SDK" or "WorkloadIdentity"`;
    }
    if (!has(v, 'subscription_id')) return 'azure SD configuration requires a subscription_id';
    if (method === 'OAuth') {
      if (!has(v, 'tenant_id')) return 'azure SD configuration requires a tenant_id';
      if (!has(v, 'client_id')) return 'azure SD configuration requires a client_id';
      if (!has(v, 'client_secret')) return 'azure SD configuration requires a client_secret';
    }
    return bearerChecks(v);
  },
  eureka_sd_configs: (v) => (has(v, 'server') ? urlCheck(v.server) ?? bearerChecks(v) : 'empty or null eureka server'),
  hetzner_sd_configs: (v) => (['robot', 'hcloud'].includes(v.role as string) ? bearerChecks(v) : 'unknown role'),
  ionos_sd_configs: (v) => (has(v, 'datacenter_id') ? bearerChecks(v) : "datacenter id can't be empty"),
  marathon_sd_configs: (v) => {
    if (!Array.isArray(v.servers) || v.servers.length === 0) return 'marathon_sd: must contain at least one Marathon server';
    const token = has(v, 'auth_token');
    const tokenFile = has(v, 'auth_token_file');
    if (token && tokenFile) return 'marathon_sd: at most one of auth_token & auth_token_file must be configured';
    if (has(v, 'basic_auth') && (token || tokenFile)) return 'marathon_sd: at most one of basic_auth, auth_token & auth_token_file must be configured';
    if (has(v, 'authorization') && (token || tokenFile)) return 'marathon_sd: at most one of auth_token, auth_token_file & authorization must be configured';
    return bearerChecks(v);
  },
  openstack_sd_configs: (v) => {
    const a = (v.availability as string) ?? 'public';
    if (!['public', 'admin', 'internal'].includes(a)) return `unknown availability ${a}, must be one of admin, internal or public`;
    if (!['hypervisor', 'instance', 'loadbalancer'].includes(v.role as string)) return 'unknown OpenStack SD role';
    return undefined;
  },
  outscale_sd_configs: (v) => {
    const k = has(v, 'secret_key');
    const f = has(v, 'secret_key_file');
    if (k && f) return 'at most one of secret_key & secret_key_file must be configured';
    if (!k && !f) return 'one of secret_key & secret_key_file must be configured';
    return bearerChecks(v);
  },
  ovhcloud_sd_configs: (v) => (['vps', 'dedicated_server'].includes(v.service as string) ? undefined : `unknown service: ${String(v.service)}`),
  puppetdb_sd_configs: (v) => urlCheck(v.url) ?? (has(v, 'query') ? bearerChecks(v) : 'query missing'),
  scaleway_sd_configs: (v) => {
    if (!['instance', 'baremetal'].includes(v.role as string)) return `unknown role "${String(v.role)}"`;
    const k = has(v, 'secret_key');
    const f = has(v, 'secret_key_file');
    if (k && f) return 'at most one of secret_key & secret_key_file must be configured';
    if (!k && !f) return 'one of secret_key & secret_key_file must be configured';
    return bearerChecks(v);
  },
  stackit_sd_configs: (v) => (has(v, 'endpoint') && urlCheck(v.endpoint) ? 'invalid endpoint' : bearerChecks(v)),
  uyuni_sd_configs: (v) => (has(v, 'server') ? bearerChecks(v) : 'Uyuni SD configuration requires server host'),
};

/** Upstream mechanisms Pyrometer parses but does not run (yet). */
export const UNSUPPORTED_SD_KEYS = [
  'aws_sd_configs', 'azure_sd_configs', 'digitalocean_sd_configs', 'docker_sd_configs', 'dockerswarm_sd_configs',
  'ec2_sd_configs', 'eureka_sd_configs', 'gce_sd_configs', 'hetzner_sd_configs', 'ionos_sd_configs', 'kuma_sd_configs',
  'lightsail_sd_configs', 'linode_sd_configs', 'marathon_sd_configs', 'nerve_sd_configs', 'nomad_sd_configs',
  'oci_sd_configs', 'openstack_sd_configs', 'outscale_sd_configs', 'ovhcloud_sd_configs', 'puppetdb_sd_configs',
  'scaleway_sd_configs', 'serverset_sd_configs', 'stackit_sd_configs', 'triton_sd_configs', 'uyuni_sd_configs',
  'vultr_sd_configs',
] as const;

function looseSd(key: string): Field<Plain> {
  const r = raw();
  const check = LOOSE_CHECKS[key] ?? bearerChecks;
  return {
    decode(n, ctx) {
      if (!isMap(n)) fail(ctx, n, `cannot unmarshal into ${key.replace('_configs', '_config')}`);
      const v = (r.decode(n, ctx) ?? {}) as Plain;
      const problem = check(v);
      if (problem) fail(ctx, n, problem);
      return v;
    },
    encode: (v) => v,
  };
}

export interface SdConfigs {
  static_configs: StaticConfig[];
  file_sd_configs: FileSdConfig[];
  http_sd_configs: HttpSdConfig[];
  dns_sd_configs: DnsSdConfig[];
  kubernetes_sd_configs: KubernetesSdConfig[];
  consul_sd_configs: ConsulSdConfig[];
  /** Unsupported mechanisms by key, as plain data. */
  [key: `${string}_sd_configs`]: unknown[];
}

/** The `*_sd_configs` keys, for spreading into structs (scrape configs, alertmanager configs). */
export const sdFields: Record<string, Field<unknown[]>> = {
  static_configs: list(staticConfig, { nullItem: 'empty or null section in static_configs' }) as Field<unknown[]>,
  file_sd_configs: list(fileSdConfig) as Field<unknown[]>,
  http_sd_configs: list(httpSdConfig) as Field<unknown[]>,
  dns_sd_configs: list(dnsSdConfig) as Field<unknown[]>,
  kubernetes_sd_configs: list(kubernetesSdConfig) as Field<unknown[]>,
  consul_sd_configs: list(consulSdConfig) as Field<unknown[]>,
  ...Object.fromEntries(UNSUPPORTED_SD_KEYS.map((k) => [k, list(looseSd(k))])),
};

