/**
 * Reads a kubeconfig file as kubectl does for its current context: the cluster's server, CA
 * and TLS settings and the user's token or client certificate, turned into the client
 * settings of a `<http_config>`. Exec plugins and auth providers are not supported.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { Secret } from '../../config/decode.js';
import type { HttpClientSettings } from '../http-client.js';

export interface KubeconfigTarget {
  server: string;
  http: HttpClientSettings;
  /** The context's namespace, if set (informational: upstream does not use it for discovery). */
  namespace: string;
}

interface Named<T> {
  name: string;
  [key: string]: T | string;
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: Named<{ cluster?: string; user?: string; namespace?: string }>[];
  clusters?: Named<Record<string, unknown>>[];
  users?: Named<Record<string, unknown>>[];
}

function findNamed(list: Named<unknown>[] | undefined, name: string, key: string, what: string): Record<string, unknown> {
  const entry = list?.find((e) => e.name === name);
  if (!entry || typeof entry[key] !== 'object' || entry[key] === null) throw new Error(`kubeconfig: ${what} "${name}" not found`);
  return entry[key] as Record<string, unknown>;
}

export function loadKubeconfig(path: string): KubeconfigTarget {
  const doc = parse(readFileSync(path, 'utf8')) as KubeconfigFile | null;
  if (!doc || typeof doc !== 'object') throw new Error(`kubeconfig ${path}: not a kubeconfig file`);
  const base = dirname(path);
  const file = (p: unknown) => (typeof p === 'string' && p !== '' ? (isAbsolute(p) ? p : resolve(base, p)) : '');
  const data = (v: unknown) => (typeof v === 'string' && v !== '' ? Buffer.from(v, 'base64').toString('utf8') : '');
  const str = (v: unknown) => (typeof v === 'string' ? v : '');

  const contextName = doc['current-context'];
  if (!contextName) throw new Error(`kubeconfig ${path}: no current-context`);
  const context = findNamed(doc.contexts, contextName, 'context', 'context');
  const cluster = findNamed(doc.clusters, str(context.cluster), 'cluster', 'cluster');
  const user = context.user ? findNamed(doc.users, str(context.user), 'user', 'user') : {};
  const server = str(cluster.server);
  if (!server) throw new Error(`kubeconfig ${path}: cluster "${str(context.cluster)}" has no server`);
  if (user.exec || user['auth-provider']) throw new Error(`kubeconfig ${path}: exec and auth-provider credentials are not supported`);

  const http: HttpClientSettings = {
    tls_config: {
      ca: data(cluster['certificate-authority-data']),
      ca_file: file(cluster['certificate-authority']),
      cert: data(user['client-certificate-data']),
      cert_file: file(user['client-certificate']),
      key: user['client-key-data'] ? new Secret(data(user['client-key-data'])) : undefined,
      key_file: file(user['client-key']),
      server_name: str(cluster['tls-server-name']),
      insecure_skip_verify: cluster['insecure-skip-tls-verify'] === true,
      min_version: '',
      max_version: '',
    },
    proxy_url: str(cluster['proxy-url']),
  };
  if (user.token || user.tokenFile) {
    http.authorization = { type: 'Bearer', credentials: user.token ? new Secret(str(user.token)) : undefined, credentials_file: user.token ? '' : file(user.tokenFile), credentials_ref: '' };
  } else if (user.username) {
    http.basic_auth = { username: str(user.username), username_file: '', password: new Secret(str(user.password)), password_file: '', username_ref: '', password_ref: '' };
  }
  return { server, http, namespace: str(context.namespace) };
}
