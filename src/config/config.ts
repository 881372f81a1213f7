/**
 * prometheus.yml: decoding with Prometheus's defaults and validation. Every error names the
 * file, line and column. The decoded object keeps the YAML key names (snake_case);
 * durations are milliseconds and sizes bytes.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, type Node } from 'yaml';
import { isValidLabelName } from '../model/labels.js';
import {
  ConfigError, bool, childNode, duration, fail, int, list, map, optDuration, str, struct,
  type DecodeContext, type Field, type MaybeNode,
} from './decode.js';
import { GLOB_PATH, expandGlob } from './glob.js';
import {
  DEFAULT_NATIVE_HISTOGRAM_SCRAPE_PROTOCOLS, DEFAULT_SCRAPE_PROTOCOLS, SCRAPE_LIMIT_KEYS, checkScrapeProtocols,
  scrapeConfig, scrapeLimitFields, type ScrapeConfig, type ScrapeLimits,
} from './scrape.js';
import {
  alertingConfig, otlpConfig, remoteReadConfig, remoteWriteConfig, storageConfig, tracingConfig,
  type AlertingConfig, type OtlpConfig, type RemoteReadConfig, type RemoteWriteConfig, type StorageConfig, type TracingConfig,
} from './sections.js';

export interface GlobalConfig extends ScrapeLimits {
  scrape_interval: number;
  scrape_timeout: number;
  scrape_protocols: string[];
  evaluation_interval: number;
  rule_query_offset: number;
  external_labels: Record<string, string>;
  query_log_file: string;
  scrape_failure_log_file: string;
  scrape_native_histograms: boolean;
  convert_classic_histograms_to_nhcb: boolean;
  always_scrape_classic_histograms: boolean;
  extra_scrape_metrics: boolean;
}

// Upstream names the type of structs with custom unmarshalling `config.plain` in errors.
const globalConfig: Field<GlobalConfig> = struct<GlobalConfig>(
  'config.plain',
  {
    scrape_interval: duration(60_000),
    scrape_timeout: optDuration() as Field<number>,
    scrape_protocols: list(str()),
    evaluation_interval: duration(60_000),
    rule_query_offset: duration(0),
    external_labels: map(str(), (k) => (isValidLabelName(k) ? undefined : `"${k}" is not a valid label name`)),
    query_log_file: str(),
    scrape_failure_log_file: str(),
    ...scrapeLimitFields(),
    scrape_native_histograms: bool(false),
    convert_classic_histograms_to_nhcb: bool(false),
    always_scrape_classic_histograms: bool(false),
    extra_scrape_metrics: bool(false),
  },
  (g, node, ctx) => {
    // Unset, the timeout is 10s capped by the interval; set, it must not exceed the interval.
    if (g.scrape_timeout === undefined) g.scrape_timeout = Math.min(10_000, g.scrape_interval);
    if (g.scrape_timeout > g.scrape_interval) fail(ctx, node, 'global scrape timeout greater than scrape interval');
    checkScrapeProtocols(g.scrape_protocols, childNode(node, 'scrape_protocols'), ctx, '');
    if (g.metric_name_validation_scheme === '') g.metric_name_validation_scheme = 'utf8';
    if (g.metric_name_escaping_scheme === '') {
      g.metric_name_escaping_scheme = g.metric_name_validation_scheme === 'legacy' ? 'underscores' : 'allow-utf-8';
    }
    if (g.metric_name_validation_scheme === 'legacy' && g.metric_name_escaping_scheme === 'allow-utf-8') {
      fail(ctx, node, 'utf8 metric names requested but validation scheme is not set to UTF8');
    }
  },
);

export interface Config {
  global: GlobalConfig;
  runtime: { gogc: number };
  rule_files: string[];
  scrape_config_files: string[];
  scrape_configs: ScrapeConfig[];
  alerting: AlertingConfig;
  remote_write: RemoteWriteConfig[];
  remote_read: RemoteReadConfig[];
  storage: StorageConfig;
  tracing: TracingConfig | undefined;
  otlp: OtlpConfig;
}

function globList(what: string): Field<string[]> {
  const l = list(str());
  return {
    decode(n, ctx) {
      const v = l.decode(n, ctx);
      for (const p of v) if (!GLOB_PATH.test(p)) fail(ctx, n, `invalid ${what} path "${p}"`);
      return v;
    },
    encode: (v) => l.encode(v),
  };
}

const rootFields = {
  global: globalConfig,
  runtime: struct('config.RuntimeConfig', { gogc: int(75) }),
  rule_files: globList('rule file'),
  scrape_config_files: globList('scrape config file'),
  scrape_configs: list(scrapeConfig, { nullItem: 'empty or null scrape config section' }),
  alerting: alertingConfig,
  remote_write: list(remoteWriteConfig, { nullItem: 'empty or null remote write config section' }),
  remote_read: list(remoteReadConfig, { nullItem: 'empty or null remote read config section' }),
  storage: storageConfig,
  tracing: tracingConfig,
  otlp: otlpConfig,
};

const rootStruct = struct<Config>('config.plain', rootFields);
const scrapeConfigsFile = struct<{ scrape_configs: ScrapeConfig[] }>('config.ScrapeConfigs', {
  scrape_configs: list(scrapeConfig, { nullItem: 'empty or null scrape config section' }),
});

function parseYaml(text: string, file: string): { node: MaybeNode; ctx: DecodeContext } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: true, merge: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    throw new ConfigError(file, pos?.line ?? 0, pos?.col ?? 0, `yaml: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  return { node: doc.contents as Node | null, ctx: { file, dir: dirname(resolve(file)), lines, doc } };
}

export interface LoadOptions {
  /** Agent mode forbids alerting, rule files and remote read. */
  agentMode?: boolean;
}

/** Decodes and validates prometheus.yml text; `file` names it in errors and anchors relative paths. */
export function parseConfig(text: string, file: string, opts: LoadOptions = {}): Config {
  const { node, ctx } = parseYaml(text, file);
  const cfg = rootStruct.decode(node, ctx);
  resolvePaths(cfg, ctx.dir);
  for (const pattern of cfg.scrape_config_files) {
    for (const path of expandGlob(pattern, ctx.dir)) {
      const included = parseYaml(readFileSync(path, 'utf8'), path);
      const extra = scrapeConfigsFile.decode(included.node, included.ctx);
      for (const sc of extra.scrape_configs) resolveScrapePaths(sc, included.ctx.dir);
      cfg.scrape_configs.push(...extra.scrape_configs);
    }
  }
  applyScrapeDefaults(cfg, node, ctx);
  checkUniqueNames(cfg, node, ctx);
  if (opts.agentMode) checkAgentMode(cfg, node, ctx);
  return cfg;
}

export function loadConfigFile(path: string, opts: LoadOptions = {}): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, 0, 0, `cannot read config file: ${(e as Error).message}`);
  }
  return parseConfig(text, path, opts);
}

function applyScrapeDefaults(cfg: Config, node: MaybeNode, ctx: DecodeContext): void {
  const g = cfg.global;
  const jobsNode = childNode(node, 'scrape_configs');
  for (const sc of cfg.scrape_configs) {
    sc.scrape_interval ??= g.scrape_interval;
    if (sc.scrape_timeout === undefined) sc.scrape_timeout = Math.min(g.scrape_timeout, sc.scrape_interval);
    if (sc.scrape_timeout > sc.scrape_interval) {
      fail(ctx, jobsNode, `scrape timeout greater than scrape interval for scrape config with job name "${sc.job_name}"`);
    }
    sc.scrape_native_histograms ??= g.scrape_native_histograms;
    sc.convert_classic_histograms_to_nhcb ??= g.convert_classic_histograms_to_nhcb;
    sc.always_scrape_classic_histograms ??= sc.scrape_classic_histograms ?? g.always_scrape_classic_histograms;
    sc.extra_scrape_metrics ??= g.extra_scrape_metrics;
    if (sc.scrape_protocols.length === 0) {
      sc.scrape_protocols = g.scrape_protocols.length
        ? [...g.scrape_protocols]
        : [...(sc.scrape_native_histograms ? DEFAULT_NATIVE_HISTOGRAM_SCRAPE_PROTOCOLS : DEFAULT_SCRAPE_PROTOCOLS)];
    }
    for (const k of SCRAPE_LIMIT_KEYS) {
      if (sc[k] === 0) sc[k] = g[k];
    }
    if (sc.scrape_failure_log_file === '') sc.scrape_failure_log_file = g.scrape_failure_log_file;
    if (sc.metric_name_validation_scheme === '') sc.metric_name_validation_scheme = g.metric_name_validation_scheme;
    if (sc.metric_name_escaping_scheme === '') {
      sc.metric_name_escaping_scheme = sc.metric_name_validation_scheme === 'legacy' ? 'underscores' : g.metric_name_escaping_scheme;
    }
    if (sc.metric_name_validation_scheme === 'legacy' && sc.metric_name_escaping_scheme === 'allow-utf-8') {
      fail(ctx, jobsNode, `utf8 metric names requested but validation scheme is not set to UTF8 for scrape config with job name "${sc.job_name}"`);
    }
  }
  if (g.metric_name_validation_scheme === 'legacy' && ['NoUTF8EscapingWithSuffixes', 'NoTranslation'].includes(cfg.otlp.translation_strategy)) {
    fail(ctx, childNode(node, 'otlp'), `OTLP translation strategy "${cfg.otlp.translation_strategy}" is not allowed when UTF8 is disabled`);
  }
}

function checkUniqueNames(cfg: Config, node: MaybeNode, ctx: DecodeContext): void {
  const jobs = new Set<string>();
  for (const sc of cfg.scrape_configs) {
    if (jobs.has(sc.job_name)) fail(ctx, childNode(node, 'scrape_configs'), `found multiple scrape configs with job name "${sc.job_name}"`);
    jobs.add(sc.job_name);
  }
  for (const [key, what] of [['remote_write', 'remote write'], ['remote_read', 'remote read']] as const) {
    const names = new Set<string>();
    for (const c of cfg[key]) {
      if (c.name === '') continue;
      if (names.has(c.name)) fail(ctx, childNode(node, key), `found multiple ${what} configs with job name "${c.name}"`);
      names.add(c.name);
    }
  }
}

function checkAgentMode(cfg: Config, node: MaybeNode, ctx: DecodeContext): void {
  if (cfg.alerting.alertmanagers.length > 0 || cfg.alerting.alert_relabel_configs.length > 0) {
    fail(ctx, childNode(node, 'alerting'), 'field alerting is not allowed in agent mode');
  }
  if (cfg.rule_files.length > 0) fail(ctx, childNode(node, 'rule_files'), 'field rule_files is not allowed in agent mode');
  if (cfg.remote_read.length > 0) fail(ctx, childNode(node, 'remote_read'), 'field remote_read is not allowed in agent mode');
  if (cfg.remote_write.length === 0) fail(ctx, node, 'at least one remote_write target must be specified in agent mode');
}

/** Relative file paths in the config are relative to the config file's folder, as upstream. */
function resolvePaths(cfg: Config, dir: string): void {
  cfg.rule_files = cfg.rule_files.map((p) => resolve(dir, p));
  cfg.scrape_config_files = cfg.scrape_config_files.map((p) => resolve(dir, p));
  for (const sc of cfg.scrape_configs) resolveScrapePaths(sc, dir);
}

function resolveScrapePaths(sc: ScrapeConfig, dir: string): void {
  const fix = (p: string) => (p === '' ? p : resolve(dir, p));
  sc.bearer_token_file = fix(sc.bearer_token_file);
  sc.tls_config.ca_file = fix(sc.tls_config.ca_file);
  sc.tls_config.cert_file = fix(sc.tls_config.cert_file);
  sc.tls_config.key_file = fix(sc.tls_config.key_file);
  if (sc.authorization) sc.authorization.credentials_file = fix(sc.authorization.credentials_file);
  if (sc.basic_auth) sc.basic_auth.password_file = fix(sc.basic_auth.password_file);
  for (const f of sc.file_sd_configs) f.files = f.files.map(fix);
}

/** The config as YAML-ready data with Prometheus's formatting and `<secret>` for secrets. */
export function configToData(cfg: Config): unknown {
  return rootStruct.encode(cfg);
}
