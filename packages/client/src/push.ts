/**
 * Pushing to a Prometheus Pushgateway.
 *
 * A group is addressed as /metrics/job/<job>{/<label>/<value>}. `push` (PUT) replaces every
 * metric of the group, `pushAdd` (POST) replaces only the metric names present in the body, and
 * `delete` (DELETE) removes the group. Values that cannot travel as a plain path segment (a `/`,
 * or the empty string) use the `<label>@base64/<base64url>` form of the Pushgateway URL spec.
 */
import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { Registry, register } from './registry.js';

const gzipAsync = promisify(gzip);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface PushParams {
  jobName: string;
  /** Further grouping labels, appended to the path in insertion order. */
  groupings?: Record<string, string>;
}

export interface PushgatewayOptions {
  /** Extra request headers (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Milliseconds before the request is aborted; default 10 000. */
  timeout?: number;
  /** Compress the body with gzip (the Pushgateway accepts Content-Encoding: gzip). */
  gzip?: boolean;
  agent?: HttpAgent;
}

export interface PushResponse {
  status: number;
  body: string;
}

/** One path segment pair for a grouping label or the job, base64url-encoded where the spec requires. */
export function encodeGroupingPair(name: string, value: string): string {
  if (value === '') return `${name}@base64/=`;
  // `.` and `..` would be resolved away as path segments by URL handling on either side.
  if (value.includes('/') || value === '.' || value === '..') return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${name}/${encodeURIComponent(value)}`;
}

/** The path below the gateway's base path that addresses a group, e.g. `/metrics/job/batch/instance/a`. */
export function groupingPath(params: PushParams): string {
  if (typeof params.jobName !== 'string' || params.jobName === '') throw new Error('Pushgateway: jobName is required');
  let path = `/metrics/${encodeGroupingPair('job', params.jobName)}`;
  for (const [name, value] of Object.entries(params.groupings ?? {})) {
    if (!LABEL_NAME.test(name)) throw new Error(`Pushgateway: invalid grouping label name ${JSON.stringify(name)}`);
    if (name === 'job') throw new Error('Pushgateway: "job" cannot be a grouping label; use jobName');
    path += `/${encodeGroupingPair(name, String(value))}`;
  }
  return path;
}

export class Pushgateway {
  private readonly base: URL;

  constructor(gatewayUrl: string, private readonly options: PushgatewayOptions = {}, private readonly registry: Registry = register) {
    this.base = new URL(gatewayUrl.includes('://') ? gatewayUrl : `http://${gatewayUrl}`);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') {
      throw new Error(`Pushgateway: unsupported protocol ${this.base.protocol}`);
    }
  }

  /** PUT: the group's metrics become exactly the registry's. */
  push(params: PushParams): Promise<PushResponse> {
    return this.send('PUT', params, true);
  }

  /** POST: metrics with the same names as the registry's are replaced; others in the group stay. */
  pushAdd(params: PushParams): Promise<PushResponse> {
    return this.send('POST', params, true);
  }

  /** DELETE: removes the whole group. */
  delete(params: PushParams): Promise<PushResponse> {
    return this.send('DELETE', params, false);
  }

  private async send(method: string, params: PushParams, withBody: boolean): Promise<PushResponse> {
    const path = this.base.pathname.replace(/\/+$/, '') + groupingPath(params);
    const headers: Record<string, string | number> = { ...this.options.headers };
    let body: Buffer | undefined;
    if (withBody) {
      // The text format: every Pushgateway version parses it.
      body = Buffer.from(await this.registry.metrics(Registry.PROMETHEUS_CONTENT_TYPE), 'utf8');
      headers['Content-Type'] = Registry.PROMETHEUS_CONTENT_TYPE;
      if (this.options.gzip) {
        body = await gzipAsync(body);
        headers['Content-Encoding'] = 'gzip';
      }
      headers['Content-Length'] = body.length;
    }
    // An explicit path, not a URL, so that nothing normalizes the encoded segments.
    const req = (this.base.protocol === 'https:' ? httpsRequest : httpRequest)({
      protocol: this.base.protocol,
      hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
      port: this.base.port || undefined,
      auth: this.base.username ? `${decodeURIComponent(this.base.username)}:${decodeURIComponent(this.base.password)}` : undefined,
      path,
      method,
      headers,
      agent: this.options.agent,
      timeout: this.options.timeout ?? 10_000,
    });
    return new Promise<PushResponse>((resolve, reject) => {
      req.on('timeout', () => req.destroy(new Error(`Pushgateway: ${method} ${path} timed out`)));
      req.on('error', reject);
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          if (status >= 200 && status < 300) resolve({ status, body: text });
          else reject(new Error(`Pushgateway: ${method} ${path} returned HTTP ${status}: ${text.trim()}`));
        });
      });
      req.end(body);
    });
  }
}
