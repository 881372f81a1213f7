/** `<http_config>` shared by scrape configs, service discovery, alerting and remote write. */
import { bool, childNode, fail, list, map, oneOf, secret, str, struct, type Field, type Secret } from './decode.js';

export interface TlsConfig {
  ca: string;
  ca_file: string;
  cert: string;
  cert_file: string;
  key: Secret | undefined;
  key_file: string;
  server_name: string;
  insecure_skip_verify: boolean;
  min_version: string;
  max_version: string;
}

const TLS_VERSIONS = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;

export const tlsConfig: Field<TlsConfig> = struct<TlsConfig>(
  'config.TLSConfig',
  {
    ca: str(),
    ca_file: str(),
    cert: str(),
    cert_file: str(),
    key: secret(),
    key_file: str(),
    server_name: str(),
    insecure_skip_verify: bool(false),
    min_version: oneOf(TLS_VERSIONS, '', 'TLS version'),
    max_version: oneOf(TLS_VERSIONS, '', 'TLS version'),
  },
  (v, node, ctx) => {
    if (v.ca && v.ca_file) fail(ctx, node, 'at most one of ca and ca_file must be configured');
    if (v.cert && v.cert_file) fail(ctx, node, 'at most one of cert and cert_file must be configured');
    if (v.key && v.key_file) fail(ctx, node, 'at most one of key and key_file must be configured');
    if ((v.cert || v.cert_file) !== '' && !(v.key || v.key_file)) fail(ctx, node, 'exactly one of key or key_file must be configured when a client certificate is configured');
    if ((v.key || v.key_file) && !(v.cert || v.cert_file)) fail(ctx, node, 'exactly one of cert or cert_file must be configured when a client key is configured');
  },
);

export interface BasicAuth {
  username: string;
  username_file: string;
  password: Secret | undefined;
  password_file: string;
  username_ref: string;
  password_ref: string;
}

export const basicAuth: Field<BasicAuth | undefined> = optionalStruct(
  struct<BasicAuth>(
    'config.BasicAuth',
    {
      username: str(),
      username_file: str(),
      password: secret(),
      password_file: str(),
      username_ref: str(),
      password_ref: str(),
    },
    (v, node, ctx) => {
      if (v.username && v.username_file) fail(ctx, node, 'at most one of basic_auth username & username_file must be configured');
      if (v.password && v.password_file) fail(ctx, node, 'at most one of basic_auth password & password_file must be configured');
    },
  ),
);

export interface Authorization {
  type: string;
  credentials: Secret | undefined;
  credentials_file: string;
  credentials_ref: string;
}

export const authorization: Field<Authorization | undefined> = optionalStruct(
  struct<Authorization>(
    'config.Authorization',
    { type: str(), credentials: secret(), credentials_file: str(), credentials_ref: str() },
    (v, node, ctx) => {
      if (v.credentials && v.credentials_file) fail(ctx, node, 'at most one of authorization credentials & credentials_file must be configured');
      if (v.type.toLowerCase() === 'basic') fail(ctx, node, `authorization type cannot be set to "basic", use "basic_auth" instead`);
      if (v.type === '') v.type = 'Bearer';
    },
  ),
);

export interface OAuth2 {
  client_id: string;
  client_secret: Secret | undefined;
  client_secret_file: string;
  client_secret_ref: string;
  client_certificate_key: Secret | undefined;
  client_certificate_key_file: string;
  client_certificate_key_id: string;
  client_certificate_key_ref: string;
  grant_type: string;
  signature_algorithm: string;
  iss: string;
  audience: string;
  claims: Record<string, string>;
  scopes: string[];
  token_url: string;
  endpoint_params: Record<string, string>;
  tls_config: TlsConfig;
  proxy_url: string;
  no_proxy: string;
  proxy_from_environment: boolean;
  proxy_connect_header: Record<string, Secret[]>;
}

export const oauth2: Field<OAuth2 | undefined> = optionalStruct(
  struct<OAuth2>(
    'config.OAuth2',
    {
      client_id: str(),
      client_secret: secret(),
      client_secret_file: str(),
      client_secret_ref: str(),
      client_certificate_key: secret(),
      client_certificate_key_file: str(),
      client_certificate_key_id: str(),
      client_certificate_key_ref: str(),
      grant_type: str(),
      signature_algorithm: str(),
      iss: str(),
      audience: str(),
      claims: map(str()),
      scopes: list(str()),
      token_url: str(),
      endpoint_params: map(str()),
      tls_config: tlsConfig,
      proxy_url: str(),
      no_proxy: str(),
      proxy_from_environment: bool(false),
      proxy_connect_header: map(list(secretItem())),
    },
    (v, node, ctx) => {
      if (v.client_secret && v.client_secret_file) fail(ctx, node, 'at most one of oauth2 client_secret & client_secret_file must be configured');
    },
  ),
);

function secretItem(): Field<Secret> {
  const s = secret();
  return { decode: (n, ctx) => s.decode(n, ctx)!, encode: () => '<secret>' };
}

export interface HttpHeader {
  values: string[];
  secrets: Secret[];
  files: string[];
}

export interface HttpClientConfig {
  basic_auth: BasicAuth | undefined;
  authorization: Authorization | undefined;
  oauth2: OAuth2 | undefined;
  bearer_token: Secret | undefined;
  bearer_token_file: string;
  tls_config: TlsConfig;
  proxy_url: string;
  no_proxy: string;
  proxy_from_environment: boolean;
  proxy_connect_header: Record<string, Secret[]>;
  follow_redirects: boolean;
  enable_http2: boolean;
  http_headers: Record<string, HttpHeader>;
}

/** The `<http_config>` keys, to be spread into structs that embed them inline. */
export const httpClientFields = {
  basic_auth: basicAuth,
  authorization,
  oauth2,
  bearer_token: secret(),
  bearer_token_file: str(),
  tls_config: tlsConfig,
  proxy_url: str(),
  no_proxy: str(),
  proxy_from_environment: bool(false),
  proxy_connect_header: map(list(secretItem())),
  follow_redirects: bool(true),
  enable_http2: bool(true),
  http_headers: map(
    struct<HttpHeader>('config.Header', { values: list(str()), secrets: list(secretItem()), files: list(str()) }),
  ),
};

/** Upstream's checks for mutually exclusive authentication settings. */
export function validateHttpClient(v: HttpClientConfig, node: Parameters<typeof fail>[1], ctx: Parameters<typeof fail>[0]): void {
  if (v.bearer_token && v.bearer_token_file) fail(ctx, node, 'at most one of bearer_token & bearer_token_file must be configured');
  const bearer = !!v.bearer_token || v.bearer_token_file !== '';
  if (v.basic_auth && bearer) fail(ctx, node, 'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured');
  if (v.oauth2 && bearer) fail(ctx, node, 'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured');
  if (v.basic_auth && v.oauth2) fail(ctx, node, 'at most one of basic_auth, oauth2 & authorization must be configured');
  if (v.authorization) {
    if (bearer) fail(ctx, node, 'authorization is not compatible with bearer_token & bearer_token_file');
    if (v.basic_auth || v.oauth2) fail(ctx, node, 'at most one of basic_auth, oauth2 & authorization must be configured');
  }
  // Upstream folds legacy bearer_token settings into `authorization`.
  if (bearer) {
    v.authorization = { type: 'Bearer', credentials: v.bearer_token, credentials_file: v.bearer_token_file, credentials_ref: '' };
    v.bearer_token = undefined;
    v.bearer_token_file = '';
  }
  if (v.proxy_from_environment && (v.proxy_url || v.no_proxy)) {
    fail(ctx, node, 'if proxy_from_environment is configured, proxy_url must not be configured');
  }
  if (v.no_proxy && !v.proxy_url) fail(ctx, childNode(node as never, 'no_proxy'), 'if no_proxy is configured, proxy_url must also be configured');
  for (const name of Object.keys(v.http_headers)) {
    if (name.toLowerCase() === 'authorization') {
      fail(ctx, childNode(node as never, 'http_headers'), 'authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter');
    }
  }
}

/** Wraps a struct so that an absent key stays undefined instead of decoding defaults. */
export function optionalStruct<T>(inner: Field<T>): Field<T | undefined> {
  return {
    decode: (n, ctx) => (n == null ? undefined : inner.decode(n, ctx)),
    encode: (v) => (v === undefined ? undefined : inner.encode(v)),
  };
}
