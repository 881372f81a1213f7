/**
 * `--web.config.file` in the format Prometheus shares with its exporters (exporter-toolkit):
 * TLS for the listener (with optional client certificates) and basic-auth users with bcrypt
 * password hashes. Requests with wrong or missing credentials get 401 and never data.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import bcrypt from 'bcryptjs';
import { LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError, bool, fail, list, map, oneOf, secret, str, struct, type Secret } from '../config/decode.js';

const CLIENT_AUTH = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const;
const TLS_VERSIONS = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;

interface TlsServerConfig {
  cert_file: string;
  key_file: string;
  cert: string;
  key: Secret | undefined;
  client_auth_type: string;
  client_ca_file: string;
  client_ca: string;
  min_version: string;
  max_version: string;
  cipher_suites: string[];
  curve_preferences: string[];
  prefer_server_cipher_suites: boolean;
  client_allowed_sans: string[];
}

export interface WebConfig {
  tls_server_config: TlsServerConfig | undefined;
  http_server_config: { http2: boolean; headers: Record<string, string> };
  basic_auth_users: Record<string, Secret>;
}

const tlsServer = struct<TlsServerConfig>(
  'web.TLSConfig',
  {
    cert_file: str(),
    key_file: str(),
    cert: str(),
    key: secret(),
    client_auth_type: oneOf(CLIENT_AUTH, 'NoClientCert', 'ClientAuth') as never,
    client_ca_file: str(),
    client_ca: str(),
    min_version: oneOf(TLS_VERSIONS, 'TLS12', 'TLS version') as never,
    max_version: oneOf(TLS_VERSIONS, 'TLS13', 'TLS version') as never,
    cipher_suites: list(str()),
    curve_preferences: list(str()),
    prefer_server_cipher_suites: bool(true),
    client_allowed_sans: list(str()),
  },
  (v, node, ctx) => {
    if (!v.cert_file && !v.cert) fail(ctx, node, 'missing cert_file or cert');
    if (!v.key_file && !v.key) fail(ctx, node, 'missing key_file or key');
    if (v.client_auth_type.startsWith('Require') || v.client_auth_type === 'VerifyClientCertIfGiven') {
      if (v.client_auth_type !== 'RequireAnyClientCert' && !v.client_ca_file && !v.client_ca) {
        fail(ctx, node, `client CA file or client CA is required for client_auth_type ${v.client_auth_type}`);
      }
    }
  },
);

const secretMap = map(
  {
    decode: (n, ctx) => secret().decode(n, ctx)!,
    encode: () => '<secret>',
  },
  (user) => (user.includes(':') ? `invalid username "${user}": usernames cannot contain ':'` : undefined),
);

const webConfigStruct = struct<WebConfig>('web.Config', {
  tls_server_config: {
    decode: (n, ctx) => (n == null ? undefined : tlsServer.decode(n, ctx)),
    encode: (v) => (v ? tlsServer.encode(v) : undefined),
  },
  http_server_config: struct('web.HTTPConfig', { http2: bool(true), headers: map(str()) }),
  basic_auth_users: secretMap,
});

export function loadWebConfig(path: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, 0, 0, `cannot read web config file: ${(e as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors[0]) {
    const pos = doc.errors[0].linePos?.[0];
    throw new ConfigError(path, pos?.line ?? 0, pos?.col ?? 0, `yaml: ${doc.errors[0].message.split('\n')[0]}`);
  }
  const cfg = webConfigStruct.decode(doc.contents as Node | null, { file: path, dir: dirname(resolve(path)), lines, doc });
  for (const [user, hash] of Object.entries(cfg.basic_auth_users)) {
    if (!/^\$2[abxy]?\$\d\d\$/.test(hash.value)) throw new ConfigError(path, 0, 0, `password of user "${user}" is not a bcrypt hash`);
  }
  const t = cfg.tls_server_config;
  if (t) {
    const dir = dirname(resolve(path));
    for (const k of ['cert_file', 'key_file', 'client_ca_file'] as const) if (t[k]) t[k] = resolve(dir, t[k]);
  }
  return cfg;
}

/** Node TLS server options for the listener. */
export function tlsOptions(t: TlsServerConfig): TlsOptions & SecureContextOptions {
  const version = (v: string) => (({ TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' }) as const)[v as 'TLS10'];
  const requestCert = t.client_auth_type !== 'NoClientCert';
  return {
    cert: t.cert || readFileSync(t.cert_file),
    key: t.key?.value || readFileSync(t.key_file),
    ca: t.client_ca || (t.client_ca_file ? readFileSync(t.client_ca_file) : undefined),
    requestCert,
    rejectUnauthorized: t.client_auth_type === 'RequireAndVerifyClientCert',
    minVersion: version(t.min_version),
    maxVersion: version(t.max_version),
  };
}

/**
 * Checks `Authorization: Basic` against the configured users. bcrypt is slow by design, so
 * successful checks are remembered by a hash of the credentials, as exporter-toolkit does.
 */
export class BasicAuth {
  private readonly verified = new Set<string>();

  constructor(private readonly users: Record<string, Secret>) {}

  get enabled(): boolean {
    return Object.keys(this.users).length > 0;
  }

  check(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const pass = decoded.slice(colon + 1);
    const hash = Object.prototype.hasOwnProperty.call(this.users, user) ? this.users[user].value : undefined;
    if (!hash) return false;
    const key = createHash('sha256').update(`${user}\u0000${pass}\u0000${hash}`).digest('hex');
    if (this.verified.has(key)) return true;
    const ok = bcrypt.compareSync(pass, hash);
    if (ok) this.verified.add(key);
    return ok;
  }
}
