/** The server's command-line flags, with Prometheus's names and defaults. */
import { parseArgs } from 'node:util';
import { parseDuration } from '../../model/duration.js';
import { parseSize } from '../../config/decode.js';

export interface ServerFlags {
  configFile: string;
  /** Whether --config.file was given (without it, a missing prometheus.yml selects the embedded default). */
  configFileGiven: boolean;
  storagePath: string;
  retentionMs: number;
  retentionBytes: number;
  listenAddress: string;
  externalUrl: string;
  routePrefix: string;
  enableLifecycle: boolean;
  enableAdminApi: boolean;
  /** --web.config.file: TLS and basic auth for the listener ('' for none). */
  webConfigFile: string;
  lookbackDeltaMs: number;
  queryTimeoutMs: number;
  queryMaxSamples: number;
  queryMaxConcurrency: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'logfmt' | 'json';
  features: string[];
  /** Every flag with its effective value, for /api/v1/status/flags. */
  all: Record<string, string>;
}

const OPTIONS = {
  'config.file': { type: 'string', default: 'prometheus.yml' },
  'storage.tsdb.path': { type: 'string', default: 'data/' },
  'storage.tsdb.retention.time': { type: 'string', default: '' },
  'storage.tsdb.retention.size': { type: 'string', default: '0B' },
  'web.listen-address': { type: 'string', default: '0.0.0.0:9090' },
  'web.external-url': { type: 'string', default: '' },
  'web.route-prefix': { type: 'string', default: '' },
  'web.config.file': { type: 'string', default: '' },
  'web.enable-lifecycle': { type: 'boolean', default: false },
  'web.enable-admin-api': { type: 'boolean', default: false },
  'query.lookback-delta': { type: 'string', default: '5m' },
  'query.timeout': { type: 'string', default: '2m' },
  'query.max-samples': { type: 'string', default: '50000000' },
  'query.max-concurrency': { type: 'string', default: '20' },
  'log.level': { type: 'string', default: 'info' },
  'log.format': { type: 'string', default: 'logfmt' },
  'enable-feature': { type: 'string', multiple: true, default: [] as string[] },
} as const;

export const SERVER_USAGE = `usage: pyrometer server [flags]

Runs the Pyrometer server (Prometheus-compatible). Flags use Prometheus's names:

${Object.entries(OPTIONS)
  .map(([k, o]) => `  --${k}${o.type === 'boolean' ? '' : '=VALUE'}${'default' in o && o.default !== '' && !Array.isArray(o.default) && o.type !== 'boolean' ? `  (default ${o.default})` : ''}`)
  .join('\n')}

Without --config.file and without ./prometheus.yml, an embedded default config scrapes the
server itself.`;

export function parseServerFlags(args: string[]): ServerFlags {
  const { values } = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
  const dur = (name: keyof typeof OPTIONS) => {
    const v = values[name] as string;
    try {
      return parseDuration(v);
    } catch {
      throw new Error(`invalid value "${v}" for flag --${name}: not a duration`);
    }
  };
  const int = (name: keyof typeof OPTIONS) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`invalid value "${values[name]}" for flag --${name}`);
    return v;
  };
  const level = values['log.level'] as string;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error(`invalid log level "${level}"`);
  const format = values['log.format'] as string;
  if (!['logfmt', 'json'].includes(format)) throw new Error(`invalid log format "${format}"`);
  const retention = values['storage.tsdb.retention.time'] as string;
  let retentionBytes: number;
  try {
    retentionBytes = parseSize(values['storage.tsdb.retention.size'] as string);
  } catch (e) {
    throw new Error(`invalid value for flag --storage.tsdb.retention.size: ${(e as Error).message}`);
  }
  const externalUrl = values['web.external-url'] as string;
  let routePrefix = values['web.route-prefix'] as string;
  if (routePrefix === '') routePrefix = externalUrl ? new URL(externalUrl).pathname : '/';
  routePrefix = `/${routePrefix.replace(/^\/+|\/+$/g, '')}`;
  const all: Record<string, string> = {};
  for (const k of Object.keys(OPTIONS)) {
    const v = values[k as keyof typeof values];
    all[k] = Array.isArray(v) ? v.join(',') : String(v);
  }
  // Prometheus reports the prefix as normalised, not as given.
  all['web.route-prefix'] = routePrefix;
  return {
    configFile: values['config.file'] as string,
    configFileGiven: args.some((a) => a === '--config.file' || a.startsWith('--config.file=')),
    storagePath: values['storage.tsdb.path'] as string,
    // Prometheus: 15d unless a time or size retention is set.
    retentionMs: retention ? dur('storage.tsdb.retention.time') : retentionBytes > 0 ? 0 : 15 * 24 * 3600_000,
    retentionBytes,
    listenAddress: values['web.listen-address'] as string,
    externalUrl,
    routePrefix,
    enableLifecycle: values['web.enable-lifecycle'] as boolean,
    webConfigFile: values['web.config.file'] as string,
    enableAdminApi: values['web.enable-admin-api'] as boolean,
    lookbackDeltaMs: dur('query.lookback-delta'),
    queryTimeoutMs: dur('query.timeout'),
    queryMaxSamples: int('query.max-samples'),
    queryMaxConcurrency: int('query.max-concurrency'),
    logLevel: level as ServerFlags['logLevel'],
    logFormat: format as ServerFlags['logFormat'],
    features: (values['enable-feature'] as string[]).flatMap((f) => f.split(',')).filter(Boolean),
    all,
  };
}
