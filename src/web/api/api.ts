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

/** Admin endpoints take POST and PUT only, as in Prometheus; the rest GET and POST. */
const WRITE = ['POST', 'PUT'];

const routes: [RegExp, Handler, string[]?][] = [
  [/^query$/, query],
  [/^query_range$/, queryRange],
  [/^format_query$/, formatQuery],
  [/^parse_query$/, parseQuery],
  [/^series$/, series],
  [/^labels$/, labelNames],
  [/^label\/([^/]+)\/values$/, (d, p, _r, name) => labelValues(d, p, name)],
  [/^targets$/, targets],
  [/^scrape_pools$/, scrapePools],
  [/^targets\/metadata$/, targetMetadata],
  [/^metadata$/, metadata],
  [/^rules$/, () => ({ groups: [] })],
  [/^alerts$/, () => ({ alerts: [] })],
  [/^alertmanagers$/, () => ({ activeAlertmanagers: [], droppedAlertmanagers: [] })],
  [/^query_exemplars$/, queryExemplars],
  [/^status\/config$/, (d) => ({ yaml: d.configYaml() })],
  [/^status\/flags$/, (d) => d.flags],
  [/^status\/buildinfo$/, buildInfo],
  [/^status\/runtimeinfo$/, runtimeInfo],
  [/^status\/tsdb$/, tsdbStatus],
  [/^status\/walreplay$/, (d) => d.db?.walReplayStatus ?? { min: 0, max: 0, current: 0 }],
  [/^admin\/tsdb\/snapshot$/, snapshot, WRITE],
  [/^admin\/tsdb\/delete_series$/, deleteSeries, WRITE],
  [/^admin\/tsdb\/clean_tombstones$/, cleanTombstones, WRITE],
];

export class ApiV1 {
  constructor(private readonly d: ApiDeps) {}

  /** Handles `/api/v1/<path>`; never throws. */
  async handle(req: IncomingMessage, path: string, url: URL): Promise<ApiResponse> {
    try {
      for (const [re, h, allowed = ['GET', 'POST']] of routes) {
        const m = re.exec(path);
        if (!m) continue;
        // Prometheus answers CORS preflights on every API path.
        if (req.method === 'OPTIONS') return { status: 204, body: undefined };
        if (!allowed.includes(req.method ?? '')) {
          // Prometheus's router answers in plain text, before any handler.
          const allow = ['OPTIONS', ...allowed].sort().join(', ');
          return { status: 405, body: undefined, text: 'Method Not Allowed\n', headers: { Allow: allow } };
        }
        const params = await Params.read(req, url);
        const data = await h(this.d, params, req, m[1] ? decodeLabelName(m[1]) : '');
        if (data instanceof Success) return { status: 200, body: data.body };
        if (data instanceof NoContent) return { status: 204, body: undefined };
        return { status: 200, body: { status: 'success', data } };
      }
      throw new ApiError('not_found', `unknown API endpoint /api/v1/${path}`);
    } catch (e) {
      const err = toApiError(e);
      return { status: err.status, body: { status: 'error', errorType: err.errorType, error: err.message } };
    }
  }
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
