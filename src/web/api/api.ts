/**
 * The Prometheus HTTP API (`/api/v1/...`): same paths, parameters, JSON shapes and error
 * types, so Grafana, promtool and scripts work unchanged. Handlers live in one file per concern.
 */
import type { IncomingMessage } from 'node:http';
import { QueryError } from '../../promql/annotations.js';
import { ParseError } from '../../promql/parser/errors.js';
import { cleanTombstones, deleteSeries, snapshot } from './admin.js';
import type { ApiDeps } from './deps.js';
import { queryExemplars } from './exemplars.js';
import { relabelSteps } from './relabel-steps.js';
import { ApiError, NoContent, Params, Success } from './params.js';
import { formatQuery, parseQuery, query, queryRange } from './query.js';
import { labelNames, labelValues, series } from './series.js';
import { buildInfo, runtimeInfo, tsdbStatus } from './status.js';
import { metadata, scrapePools, targetMetadata, targets } from './targets.js';

export type { ApiDeps } from './deps.js';

export interface ApiResponse {
  status: number;
  /** JSON body; undefined for none (204) or a plain-text one. */
  body: unknown;
  text?: string;
  headers?: Record<string, string>;
}

type Handler = (d: ApiDeps, p: Params, req: IncomingMessage, rest: string) => unknown;

/** Methods per endpoint as Prometheus's router registers them; admin endpoints take POST and PUT. */
const READ = ['GET', 'POST'];
const GET = ['GET'];
const WRITE = ['POST', 'PUT'];

const routes: [RegExp, Handler, string[]][] = [
  [/^query$/, query, READ],
  [/^query_range$/, queryRange, READ],
  [/^format_query$/, formatQuery, READ],
  [/^parse_query$/, parseQuery, READ],
  [/^series$/, (d, p, req) => (req.method === 'DELETE' ? dropSeries() : series(d, p)), [...READ, 'DELETE']],
  [/^labels$/, labelNames, READ],
  [/^label\/([^/]+)\/values$/, (d, p, _r, name) => labelValues(d, p, name), GET],
  [/^targets$/, targets, GET],
  [/^scrape_pools$/, scrapePools, GET],
  [/^targets\/metadata$/, targetMetadata, GET],
  [/^targets\/relabel_steps$/, relabelSteps, GET],
  [/^metadata$/, metadata, GET],
  [/^rules$/, rules, GET],
  [/^alerts$/, () => ({ alerts: [] }), GET],
  [/^alertmanagers$/, () => ({ activeAlertmanagers: [], droppedAlertmanagers: [] }), GET],
  [/^query_exemplars$/, queryExemplars, READ],
  [/^status\/config$/, (d) => ({ yaml: d.configYaml() }), GET],
  [/^status\/flags$/, (d) => d.flags, GET],
  [/^status\/buildinfo$/, buildInfo, GET],
  [/^status\/runtimeinfo$/, runtimeInfo, GET],
  [/^status\/tsdb$/, tsdbStatus, GET],
  [/^status\/walreplay$/, walReplay, GET],
  [/^admin\/tsdb\/snapshot$/, snapshot, WRITE],
  [/^admin\/tsdb\/delete_series$/, deleteSeries, WRITE],
  [/^admin\/tsdb\/clean_tombstones$/, cleanTombstones, WRITE],
];

export class ApiV1 {
  constructor(private readonly d: ApiDeps) {}

  /** Handles `/api/v1/<path>`; never throws. */
  async handle(req: IncomingMessage, path: string, url: URL): Promise<ApiResponse> {
    try {
      for (const [re, h, allowed] of routes) {
        const m = re.exec(path);
        if (!m) continue;
        // Prometheus answers CORS preflights on every API path.
        if (req.method === 'OPTIONS') return { status: 204, body: undefined };
        if (!allowed.includes(req.method ?? '')) {
          // Prometheus's router answers in plain text, before any handler.
          const allow = ['OPTIONS', ...allowed].sort().join(', ');
          return { status: 405, body: undefined, text: 'Method Not Allowed\n', headers: { Allow: allow } };
        }
        if (h !== walReplay && this.d.ready && !this.d.ready()) return SERVICE_UNAVAILABLE;
        const params = await Params.read(req, url);
        const data = await h(this.d, params, req, m[1] ? decodeLabelName(m[1]) : '');
        if (data instanceof Success) return { status: 200, body: data.body };
        if (data instanceof NoContent) return { status: 204, body: undefined };
        return { status: 200, body: { status: 'success', data } };
      }
      // Like Prometheus's router: a plain-text 404, not a JSON error.
      return { status: 404, body: undefined, text: '404 page not found\n', headers: { 'Content-Type': 'text/plain; charset=utf-8' } };
    } catch (e) {
      const err = toApiError(e);
      return { status: err.status, body: { status: 'error', errorType: err.errorType, error: err.message } };
    }
  }
}

/** What Prometheus's API answers before the server is ready (plain text, not a JSON error). */
const SERVICE_UNAVAILABLE: ApiResponse = { status: 503, body: undefined, text: 'Service Unavailable' };

/** Served during startup too, so the UI can show replay progress. */
function walReplay(d: ApiDeps): unknown {
  return d.walReplayStatus?.() ?? d.db?.walReplayStatus ?? { min: 0, max: 0, current: 0 };
}

/** Prometheus registers DELETE /series only to refuse it. */
function dropSeries(): never {
  throw new ApiError('internal', 'not implemented');
}

/** No rules engine yet: empty groups, but the `type` parameter is checked as Prometheus does. */
function rules(_d: ApiDeps, p: Params): unknown {
  const type = p.get('type');
  if (type && type !== 'alert' && type !== 'record') throw new ApiError('bad_data', `invalid parameter "type": not supported value "${type}"`);
  return { groups: [] };
}

function decodeLabelName(s: string): string {
  const name = decodeURIComponent(s);
  // Prometheus 3 accepts UTF-8 label names in the path as `U__` + escaped form.
  if (!name.startsWith('U__')) return name;
  return name.slice(3).replace(/_([0-9a-fA-F]+)_|__/g, (m, hex: string | undefined) => (hex ? String.fromCodePoint(parseInt(hex, 16)) : '_'));
}

function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof ParseError) return new ApiError('bad_data', e.message);
  if (e instanceof QueryError) return new ApiError(e.kind, e.message);
  return new ApiError('internal', e instanceof Error ? e.message : String(e));
}
