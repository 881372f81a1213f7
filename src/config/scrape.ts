/** `<scrape_config>`: one job's targets, schedule, limits, relabeling and HTTP client. */
import { compileRelabelRule, type RelabelConfigInput, type RelabelRule } from '../relabel/config.js';
import {
  bool, childNode, fail, float, int, list, map, optBool, optDuration, optStr, size, str, struct,
  type DecodeContext, type Field, type MaybeNode,
} from './decode.js';
import { httpClientFields, validateHttpClient, type HttpClientConfig } from './http.js';
import { sdFields, type SdConfigs } from './sd.js';

export const SCRAPE_PROTOCOLS = [
  'OpenMetricsText0.0.1', 'OpenMetricsText1.0.0', 'PrometheusProto', 'PrometheusText0.0.4', 'PrometheusText1.0.0',
] as const;
export type ScrapeProtocol = (typeof SCRAPE_PROTOCOLS)[number];

export const DEFAULT_SCRAPE_PROTOCOLS: ScrapeProtocol[] = [
  'OpenMetricsText1.0.0', 'OpenMetricsText0.0.1', 'PrometheusText1.0.0', 'PrometheusText0.0.4',
];
export const DEFAULT_NATIVE_HISTOGRAM_SCRAPE_PROTOCOLS: ScrapeProtocol[] = ['PrometheusProto', ...DEFAULT_SCRAPE_PROTOCOLS];

export function checkScrapeProtocol(p: string): string | undefined {
  return (SCRAPE_PROTOCOLS as readonly string[]).includes(p)
    ? undefined
    : `unknown scrape protocol ${p}, supported: [${SCRAPE_PROTOCOLS.join(' ')}]`;
}

/** A relabel rule kept both as compiled rule and as the input, for the config dump. */
export interface Relabel {
  input: RelabelConfigInput;
  rule: RelabelRule;
}

/** A list of `<relabel_config>`; `nullItem` is upstream's message for an empty entry. */
export function relabelList(nullItem: string, scheme: () => 'utf8' | 'legacy' = () => 'utf8'): Field<Relabel[]> {
  const input = struct<RelabelConfigInput>('relabel.Config', {
    source_labels: list(str()) as Field<string[] | null | undefined>,
    separator: optStr(),
    target_label: optStr(),
    regex: optStr(),
    modulus: int(0) as Field<number | null | undefined>,
    replacement: optStr(),
    action: optStr(),
  });
  const items = list<Relabel>(
    {
      decode(n, ctx) {
        const v = input.decode(n, ctx);
        // An absent source_labels differs from an empty one for labeldrop/labelkeep checks.
        if (Array.isArray(v.source_labels) && v.source_labels.length === 0 && childNode(n, 'source_labels') === n) v.source_labels = undefined;
        try {
          return { input: v, rule: compileRelabelRule(v, scheme()) };
        } catch (e) {
          fail(ctx, n, (e as Error).message);
        }
      },
      encode: (r) => relabelDump(r.rule),
    },
    { nullItem },
  );
  return items;
}

function relabelDump(r: RelabelRule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.sourceLabels.length) out.source_labels = r.sourceLabels;
  out.separator = r.separator;
  if (r.targetLabel) out.target_label = r.targetLabel;
  out.regex = r.regexSource;
  if (r.modulus) out.modulus = r.modulus;
  out.replacement = r.replacement;
  out.action = r.action;
  return out;
}

/** Limits and name handling shared by `global` (defaults) and each scrape config. */
export interface ScrapeLimits {
  body_size_limit: number;
  sample_limit: number;
  label_limit: number;
  label_name_length_limit: number;
  label_value_length_limit: number;
  target_limit: number;
  keep_dropped_targets: number;
  metric_name_validation_scheme: string;
  metric_name_escaping_scheme: string;
}

export const SCRAPE_LIMIT_KEYS = [
  'body_size_limit', 'sample_limit', 'label_limit', 'label_name_length_limit', 'label_value_length_limit', 'target_limit', 'keep_dropped_targets',
] as const;

export interface ScrapeConfig extends HttpClientConfig, SdConfigs, ScrapeLimits {
  job_name: string;
  scrape_interval: number | undefined;
  scrape_timeout: number | undefined;
  scrape_protocols: string[];
  fallback_scrape_protocol: string;
  metrics_path: string;
  honor_labels: boolean;
  honor_timestamps: boolean;
  track_timestamps_staleness: boolean;
  scheme: string;
  params: Record<string, string[]>;
  enable_compression: boolean;
  scrape_failure_log_file: string;
  native_histogram_bucket_limit: number;
  native_histogram_min_bucket_factor: number;
  scrape_native_histograms: boolean | undefined;
  scrape_classic_histograms: boolean | undefined;
  convert_classic_histograms_to_nhcb: boolean | undefined;
  always_scrape_classic_histograms: boolean | undefined;
  extra_scrape_metrics: boolean | undefined;
  relabel_configs: Relabel[];
  metric_relabel_configs: Relabel[];
}

export const VALIDATION_SCHEMES = ['utf8', 'legacy'] as const;
export const ESCAPING_SCHEMES = ['allow-utf-8', 'underscores', 'dots', 'values'] as const;

function validationScheme(): Field<string> {
  const s = str();
  return {
    decode(n, ctx) {
      const v = s.decode(n, ctx);
      if (v !== '' && !(VALIDATION_SCHEMES as readonly string[]).includes(v)) fail(ctx, n, `unrecognized ValidationScheme: "${v}"`);
      return v;
    },
    encode: (v) => v,
  };
}

function escapingScheme(): Field<string> {
  const s = str();
  return {
    decode(n, ctx) {
      const v = s.decode(n, ctx);
      if (v !== '' && !(ESCAPING_SCHEMES as readonly string[]).includes(v)) {
        fail(ctx, n, `unrecognized name escape scheme "${v}"`);
      }
      return v;
    },
    encode: (v) => v,
  };
}

/** Decoders of the ScrapeLimits keys. */
export function scrapeLimitFields() {
  return {
    body_size_limit: size(0),
    sample_limit: int(0, { min: 0 }),
    label_limit: int(0, { min: 0 }),
    label_name_length_limit: int(0, { min: 0 }),
    label_value_length_limit: int(0, { min: 0 }),
    target_limit: int(0, { min: 0 }),
    keep_dropped_targets: int(0, { min: 0 }),
    metric_name_validation_scheme: validationScheme(),
    metric_name_escaping_scheme: escapingScheme(),
  };
}

/** Upstream's checks of a `scrape_protocols` list; `suffix` names the job in the message. */
export function checkScrapeProtocols(protocols: readonly string[], node: MaybeNode, ctx: DecodeContext, suffix: string): void {
  for (const p of protocols) {
    const problem = checkScrapeProtocol(p);
    if (problem) fail(ctx, node, `scrape_protocols: ${problem}${suffix}`);
  }
  if (new Set(protocols).size !== protocols.length) {
    fail(ctx, node, `duplicated protocol in scrape_protocols, got [${protocols.join(' ')}]${suffix}`);
  }
}

export const scrapeConfig: Field<ScrapeConfig> = struct<ScrapeConfig>(
  'config.ScrapeConfig',
  {
    ...httpClientFields,
    ...(sdFields as unknown as Record<`${string}_sd_configs` | 'static_configs', Field<never[]>>),
    job_name: str(),
    scrape_interval: optDuration(),
    scrape_timeout: optDuration(),
    scrape_protocols: list(str()),
    fallback_scrape_protocol: str(),
    metrics_path: str('/metrics'),
    honor_labels: bool(false),
    honor_timestamps: bool(true),
    track_timestamps_staleness: bool(false),
    scheme: str('http'),
    params: map(list(str())),
    enable_compression: bool(true),
    scrape_failure_log_file: str(),
    ...scrapeLimitFields(),
    native_histogram_bucket_limit: int(0, { min: 0 }),
    native_histogram_min_bucket_factor: float(0),
    scrape_native_histograms: optBool(),
    scrape_classic_histograms: optBool(),
    convert_classic_histograms_to_nhcb: optBool(),
    always_scrape_classic_histograms: optBool(),
    extra_scrape_metrics: optBool(),
    relabel_configs: relabelList('empty or null target relabeling rule'),
    metric_relabel_configs: relabelList('empty or null metric relabeling rule'),
  } as never,
  (v, node, ctx) => validateScrapeConfig(v, node, ctx),
);

function validateScrapeConfig(v: ScrapeConfig, node: MaybeNode, ctx: DecodeContext): void {
  if (v.job_name === '') fail(ctx, node, 'job_name is empty');
  if (v.scheme !== 'http' && v.scheme !== 'https') fail(ctx, childNode(node, 'scheme'), `unknown scheme "${v.scheme}"`);
  validateHttpClient(v, node, ctx);
  const job = `for scrape config with job name "${v.job_name}"`;
  checkScrapeProtocols(v.scrape_protocols, childNode(node, 'scrape_protocols'), ctx, ` ${job}`);
  if (v.fallback_scrape_protocol) {
    const problem = checkScrapeProtocol(v.fallback_scrape_protocol);
    if (problem) fail(ctx, childNode(node, 'fallback_scrape_protocol'), `invalid fallback_scrape_protocol ${job}: ${problem}`);
  }
}
