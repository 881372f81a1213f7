/**
 * One scrape request: node's http/https with keep-alive agents, the Accept header built from
 * `scrape_protocols` as Prometheus 3 does, gzip, the body size limit and the timeout.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { ScrapeConfig } from '../config/scrape.js';

const PROTOCOL_MEDIA: Record<string, string> = {
  PrometheusProto: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
  'PrometheusText0.0.4': 'text/plain;version=0.0.4',
  'PrometheusText1.0.0': 'text/plain;version=1.0.0',
  'OpenMetricsText0.0.1': 'application/openmetrics-text;version=0.0.1',
  'OpenMetricsText1.0.0': 'application/openmetrics-text;version=1.0.0',
};

/** Highest weight first, the newer text formats carrying the escaping scheme, then `*\/*`. */
export function acceptHeader(protocols: readonly string[], escaping: string): string {
  let weight = Object.keys(PROTOCOL_MEDIA).length + 1;
  const parts: string[] = [];
  for (const p of protocols) {
    let v = PROTOCOL_MEDIA[p];
    if (p === 'PrometheusText1.0.0' || p === 'OpenMetricsText1.0.0') v += `;escaping=${escaping}`;
    parts.push(`${v};q=0.${weight--}`);
  }
  parts.push(`*/*;q=0.${weight}`);
  return parts.join(',');
}

export interface ScrapeResponse {
  contentType: string;
  body: Buffer;
}

export class ScrapeError extends Error {}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 4 }),
};

function readSecretFile(path: string): string {
  return readFileSync(path, 'utf8').trim();
}

/** Builds the request options that do not change between scrapes of one target. */
export function requestOptions(cfg: ScrapeConfig): { headers: Record<string, string>; tls: https.AgentOptions } {
  const headers: Record<string, string> = {
    Accept: acceptHeader(cfg.scrape_protocols, cfg.metric_name_escaping_scheme || 'allow-utf-8'),
    'Accept-Encoding': cfg.enable_compression ? 'gzip' : 'identity',
    'User-Agent': 'Pyrometer/0.1.0',
    'X-Prometheus-Scrape-Timeout-Seconds': String(cfg.scrape_timeout! / 1000),
  };
  if (cfg.basic_auth) {
    const b = cfg.basic_auth;
    const user = b.username_file ? readSecretFile(b.username_file) : b.username;
    const pass = b.password_file ? readSecretFile(b.password_file) : (b.password?.value ?? '');
    headers.Authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  } else if (cfg.authorization) {
    const a = cfg.authorization;
    const cred = a.credentials_file ? readSecretFile(a.credentials_file) : (a.credentials?.value ?? '');
    headers.Authorization = `${a.type} ${cred}`;
  }
  for (const [name, h] of Object.entries(cfg.http_headers)) {
    const values = [...h.values, ...h.secrets.map((s) => s.value), ...h.files.map(readSecretFile)];
    if (values.length) headers[name] = values.join(', ');
  }
  const t = cfg.tls_config;
  const tls: https.AgentOptions = {
    keepAlive: true,
    rejectUnauthorized: !t.insecure_skip_verify,
    servername: t.server_name || undefined,
    ca: t.ca || (t.ca_file ? readFileSync(t.ca_file) : undefined),
    cert: t.cert || (t.cert_file ? readFileSync(t.cert_file) : undefined),
    key: t.key?.value || (t.key_file ? readFileSync(t.key_file) : undefined),
  };
  return { headers, tls };
}

/** Fetches one exposition; rejects with ScrapeError carrying the reason shown on the targets page. */
export function scrapeHttp(
  url: string,
  headers: Record<string, string>,
  tlsAgent: https.Agent | undefined,
  timeoutMs: number,
  bodySizeLimit: number,
  signal?: AbortSignal,
): Promise<ScrapeResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const isHttps = u.protocol === 'https:';
    const req = (isHttps ? https : http).request(u, {
      method: 'GET',
      headers,
      agent: isHttps ? tlsAgent : agents.http,
      timeout: timeoutMs,
      signal,
    });
    const timer = setTimeout(() => req.destroy(new ScrapeError(`Get "${url}": context deadline exceeded`)), timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(e instanceof ScrapeError ? e : new ScrapeError(`Get "${url}": ${e.message}`));
    };
    req.on('error', fail);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return fail(new ScrapeError(`server returned HTTP status ${res.statusCode} ${res.statusMessage ?? ''}`.trimEnd()));
      }
      const stream = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (bodySizeLimit > 0 && size > bodySizeLimit) {
          // Rejects first, then drops the connection without an error: destroying with one
          // raised it past every listener (an uncaught exception that ended the server).
          fail(new ScrapeError(`body size limit exceeded (limit: ${bodySizeLimit} bytes)`));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      stream.on('error', fail);
      stream.on('end', () => {
        clearTimeout(timer);
        resolve({ contentType: String(res.headers['content-type'] ?? ''), body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
      });
    });
    req.end();
  });
}
