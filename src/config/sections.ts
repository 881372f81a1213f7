/** The smaller top-level sections of prometheus.yml: alerting, remote write/read, storage, tracing, otlp. */
import {
  bool, childNode, duration, fail, float, int, list, map, oneOf, optDuration, raw, size, str, struct,
  type DecodeContext, type Field, type MaybeNode,
} from './decode.js';
import { httpClientFields, validateHttpClient, type HttpClientConfig } from './http.js';
import { relabelList, type Relabel } from './scrape.js';
import { sdFields, type SdConfigs } from './sd.js';

export interface AlertmanagerConfig extends HttpClientConfig, SdConfigs {
  timeout: number;
  api_version: string;
  path_prefix: string;
  scheme: string;
  relabel_configs: Relabel[];
  alert_relabel_configs: Relabel[];
}

export const alertmanagerConfig: Field<AlertmanagerConfig> = struct<AlertmanagerConfig>(
  'config.AlertmanagerConfig',
  {
    ...httpClientFields,
    ...(sdFields as unknown as Record<string, Field<never[]>>),
    timeout: duration(10_000),
    api_version: str('v2'),
    path_prefix: str('/'),
    scheme: str('http'),
    relabel_configs: relabelList('empty or null Alertmanager target relabeling rule'),
    alert_relabel_configs: relabelList('empty or null Alertmanager alert relabeling rule'),
  } as never,
  (v, node, ctx) => {
    if (v.api_version !== 'v2') fail(ctx, childNode(node, 'api_version'), `expected Alertmanager api version to be one of [v2] but got ${v.api_version}`);
    validateHttpClient(v, node, ctx);
  },
);

export interface AlertingConfig {
  alert_relabel_configs: Relabel[];
  alertmanagers: AlertmanagerConfig[];
}

export const alertingConfig: Field<AlertingConfig> = struct<AlertingConfig>('config.AlertingConfig', {
  alert_relabel_configs: relabelList('empty or null alert relabeling rule'),
  alertmanagers: list(alertmanagerConfig, { nullItem: 'empty or null alertmanager config' }),
});

const RESERVED_HEADERS = ['content-encoding', 'content-length', 'content-type', 'user-agent', 'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'www-authenticate', 'retry-after', 'x-prometheus-remote-write-version', 'x-prometheus-remote-read-version'];

function checkHeaders(headers: Record<string, string>, node: MaybeNode, ctx: DecodeContext): void {
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') {
      fail(ctx, childNode(node, 'headers'), 'authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter');
    }
    if (RESERVED_HEADERS.includes(lower)) fail(ctx, childNode(node, 'headers'), `${name} is a reserved header. It must not be changed`);
  }
}

function checkUrl(url: string, what: string, node: MaybeNode, ctx: DecodeContext): void {
  if (url === '') fail(ctx, node, `url for ${what} is empty`);
  try {
    new URL(url);
  } catch {
    fail(ctx, childNode(node, 'url'), `invalid URL "${url}" for ${what}`);
  }
}

export interface QueueConfig {
  capacity: number;
  max_shards: number;
  min_shards: number;
  max_samples_per_send: number;
  batch_send_deadline: number;
  min_backoff: number;
  max_backoff: number;
  retry_on_http_429: boolean;
  sample_age_limit: number;
}

export interface RemoteWriteConfig extends HttpClientConfig {
  url: string;
  protobuf_message: string;
  remote_timeout: number;
  headers: Record<string, string>;
  write_relabel_configs: Relabel[];
  name: string;
  send_exemplars: boolean;
  send_native_histograms: boolean;
  round_robin_dns: boolean;
  sigv4: unknown;
  azuread: unknown;
  google_iam: unknown;
  queue_config: QueueConfig;
  metadata_config: { send: boolean; send_interval: number; max_samples_per_send: number };
}

export const remoteWriteConfig: Field<RemoteWriteConfig> = struct<RemoteWriteConfig>(
  'config.RemoteWriteConfig',
  {
    ...httpClientFields,
    url: str(),
    protobuf_message: oneOf(['prometheus.WriteRequest', 'io.prometheus.write.v2.Request'] as const, 'prometheus.WriteRequest', 'remote write protobuf message') as Field<string>,
    remote_timeout: duration(30_000),
    headers: map(str()),
    write_relabel_configs: relabelList('empty or null relabeling rule in remote write config'),
    name: str(),
    send_exemplars: bool(false),
    send_native_histograms: bool(false),
    round_robin_dns: bool(false),
    sigv4: raw(),
    azuread: raw(),
    google_iam: raw(),
    queue_config: struct<QueueConfig>('config.QueueConfig', {
      capacity: int(10000),
      max_shards: int(50),
      min_shards: int(1),
      max_samples_per_send: int(2000),
      batch_send_deadline: duration(5000),
      min_backoff: duration(30),
      max_backoff: duration(5000),
      retry_on_http_429: bool(false),
      sample_age_limit: duration(0),
    }),
    metadata_config: struct('config.MetadataConfig', { send: bool(true), send_interval: duration(60_000), max_samples_per_send: int(2000) }),
  },
  (v, node, ctx) => {
    checkUrl(v.url, 'remote_write', node, ctx);
    checkHeaders(v.headers, node, ctx);
    validateHttpClient(v, node, ctx);
    const q = v.queue_config;
    const qn = childNode(node, 'queue_config');
    if (q.capacity <= 0) fail(ctx, qn, 'remote write queue capacity must be positive');
    if (q.max_samples_per_send <= 0) fail(ctx, qn, 'remote write queue max_samples_per_send must be positive');
    if (q.min_shards <= 0) fail(ctx, qn, 'remote write queue min_shards must be positive');
    if (q.min_shards > q.max_shards) fail(ctx, qn, 'remote write queue min_shards must not be greater than max_shards');
    if (q.max_backoff < q.min_backoff) fail(ctx, qn, 'remote write queue max_backoff must not be less than min_backoff');
  },
);

export interface RemoteReadConfig extends HttpClientConfig {
  url: string;
  name: string;
  required_matchers: Record<string, string>;
  remote_timeout: number;
  headers: Record<string, string>;
  read_recent: boolean;
  filter_external_labels: boolean;
}

export const remoteReadConfig: Field<RemoteReadConfig> = struct<RemoteReadConfig>(
  'config.RemoteReadConfig',
  {
    ...httpClientFields,
    url: str(),
    name: str(),
    required_matchers: map(str()),
    remote_timeout: duration(60_000),
    headers: map(str()),
    read_recent: bool(false),
    filter_external_labels: bool(true),
  },
  (v, node, ctx) => {
    checkUrl(v.url, 'remote_read', node, ctx);
    checkHeaders(v.headers, node, ctx);
    validateHttpClient(v, node, ctx);
  },
);

export interface StorageConfig {
  tsdb: {
    out_of_order_time_window: number;
    stale_series_compaction_threshold: number;
    chunk_encoding: { floats: string };
    retention: { time: number | undefined; size: number; percentage: number };
  };
  exemplars: { max_exemplars: number };
}

export const storageConfig: Field<StorageConfig> = struct<StorageConfig>('config.StorageConfig', {
  tsdb: struct(
    'config.TSDBConfig',
    {
      out_of_order_time_window: duration(0),
      stale_series_compaction_threshold: float(0),
      chunk_encoding: struct('config.ChunkEncoding', { floats: str() }),
      retention: struct('config.TSDBRetentionConfig', { time: optDuration(), size: size(0), percentage: float(0) }),
    },
    (v, node, ctx) => {
      const f = v.chunk_encoding.floats;
      if (f !== '' && f !== 'xor' && f !== 'xor2') {
        fail(ctx, childNode(node, 'chunk_encoding'), `'storage.tsdb.chunk_encoding.floats' must be 'xor' or 'xor2', or the field must be omitted entirely, got "${f}"`);
      }
      if (v.retention.size < 0) fail(ctx, childNode(node, 'retention'), "'storage.tsdb.retention.size' must be greater than or equal to 0");
      if (v.retention.percentage < 0 || v.retention.percentage > 100) {
        fail(ctx, childNode(node, 'retention'), "'storage.tsdb.retention.percentage' must be in the range [0, 100]");
      }
    },
  ),
  exemplars: struct('config.ExemplarsConfig', { max_exemplars: int(100000) }),
});

export interface TracingConfig {
  client_type: string;
  endpoint: string;
  sampling_fraction: number;
  insecure: boolean;
  headers: Record<string, string>;
  compression: string;
  timeout: number;
  tls_config: unknown;
}

export const tracingConfig: Field<TracingConfig | undefined> = {
  decode(n, ctx) {
    if (n == null) return undefined;
    return tracingStruct.decode(n, ctx);
  },
  encode: (v) => (v ? tracingStruct.encode(v) : undefined),
};

const tracingStruct = struct<TracingConfig>(
  'config.TracingConfig',
  {
    client_type: oneOf(['grpc', 'http'] as const, 'grpc', 'client type') as Field<string>,
    endpoint: str(),
    sampling_fraction: float(0),
    insecure: bool(false),
    headers: map(str()),
    compression: str(),
    timeout: duration(10_000),
    tls_config: raw(),
  },
  (v, node, ctx) => {
    if (v.endpoint === '') fail(ctx, node, 'tracing endpoint must be set');
    if (v.compression !== '' && v.compression !== 'gzip') {
      fail(ctx, childNode(node, 'compression'), `invalid compression type ${v.compression} provided, valid options: gzip`);
    }
    for (const h of Object.keys(v.headers)) {
      if (h.toLowerCase() === 'authorization') fail(ctx, childNode(node, 'headers'), 'authorization header configuration is not yet supported');
    }
  },
);

export const OTLP_TRANSLATION_STRATEGIES = [
  'UnderscoreEscapingWithSuffixes', 'UnderscoreEscapingWithoutSuffixes', 'NoUTF8EscapingWithSuffixes', 'NoTranslation',
] as const;

export interface OtlpConfig {
  promote_resource_attributes: string[];
  promote_all_resource_attributes: boolean;
  ignore_resource_attributes: string[];
  translation_strategy: string;
  keep_identifying_resource_attributes: boolean;
  convert_histograms_to_nhcb: boolean;
  promote_scope_metadata: boolean;
  label_name_underscore_sanitization: boolean;
  label_name_preserve_multiple_underscores: boolean;
}

function attributeList(what: string, node: MaybeNode, ctx: DecodeContext, attrs: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of attrs) {
    const a = raw.trim();
    if (a === '') fail(ctx, node, `empty ${what} OTel resource attribute`);
    if (seen.has(a)) fail(ctx, node, `duplicated ${what} OTel resource attribute "${a}"`);
    seen.add(a);
    out.push(a);
  }
  return out;
}

export const otlpConfig: Field<OtlpConfig> = struct<OtlpConfig>(
  'config.OTLPConfig',
  {
    promote_resource_attributes: list(str()),
    promote_all_resource_attributes: bool(false),
    ignore_resource_attributes: list(str()),
    translation_strategy: str('UnderscoreEscapingWithSuffixes'),
    keep_identifying_resource_attributes: bool(false),
    convert_histograms_to_nhcb: bool(false),
    promote_scope_metadata: bool(false),
    label_name_underscore_sanitization: bool(true),
    label_name_preserve_multiple_underscores: bool(true),
  },
  (v, node, ctx) => {
    if (!(OTLP_TRANSLATION_STRATEGIES as readonly string[]).includes(v.translation_strategy)) {
      fail(ctx, childNode(node, 'translation_strategy'), `unsupported OTLP translation strategy "${v.translation_strategy}"`);
    }
    if (v.promote_all_resource_attributes && v.promote_resource_attributes.length > 0) {
      fail(ctx, node, "'promote_all_resource_attributes' and 'promote_resource_attributes' cannot be configured simultaneously");
    }
    v.promote_resource_attributes = attributeList('promoted', childNode(node, 'promote_resource_attributes'), ctx, v.promote_resource_attributes);
    v.ignore_resource_attributes = attributeList('ignored', childNode(node, 'ignore_resource_attributes'), ctx, v.ignore_resource_attributes);
    if (v.ignore_resource_attributes.length > 0 && !v.promote_all_resource_attributes) {
      fail(ctx, node, "'ignore_resource_attributes' cannot be configured unless 'promote_all_resource_attributes' is true");
    }
  },
);
