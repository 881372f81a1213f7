/**
 * The Prometheus HTTP API (`/api/v1/...`): same paths, parameters, JSON shapes and error
 * types, so Grafana, promtool and scripts work unchanged.
 */
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { formatDuration } from '../../model/duration.js';
import type { Matcher } from '../../model/matcher.js';
import type { Storage } from '../../storage/interface.js';
import { Engine, type QueryResult } from '../../promql/engine.js';
import { QueryError } from '../../promql/annotations.js';
import { ParseError } from '../../promql/parser/errors.js';
import { parseMetricSelector } from '../../promql/parser/parser.js';
import { exprToString } from '../../promql/parser/printer.js';
import { toTreeJSON } from '../../promql/parser/tree_json.js';
import { toApiData } from '../../promql/value.js';
import type { ScrapeManager } from '../../scrape/manager.js';
import type { DB } from '../../tsdb/db.js';
import { ApiError, MAX_TIME, MIN_TIME, Params, durationParam, limitParam, timeParam } from './params.js';

export interface ApiDeps {
  storage: Storage;
  engine: Engine;
  scrape: ScrapeManager;
  db?: DB;
  configYaml(): string;
  flags: Record<string, string>;
  startTime: Date;
  reload(): { success: boolean; time: Date };
  version: string;
  retention: string;
  /** --web.enable-admin-api */
  adminApi: boolean;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

type Handler = (p: Params, req: IncomingMessage, rest: string) => unknown;

const MAX_POINTS = 11_000;

export class ApiV1 {
  private readonly routes: [RegExp, Handler][];

  constructor(private readonly d: ApiDeps) {
    this.routes = [
      [/^query$/, (p) => this.query(p)],
      [/^query_range$/, (p) => this.queryRange(p)],
      [/^format_query$/, (p) => this.formatQuery(p)],
      [/^parse_query$/, (p) => toTreeJSON(this.parse(this.queryText(p)))],
      [/^series$/, (p) => this.series(p)],
      [/^labels$/, (p) => this.labelNames(p)],
      [/^label\/([^/]+)\/values$/, (p, _r, name) => this.labelValues(p, name)],
      [/^targets$/, (p) => this.targets(p)],
      [/^scrape_pools$/, () => ({ scrapePools: [...this.d.scrape.pools.keys()].sort() })],
      [/^targets\/metadata$/, (p) => this.targetMetadata(p)],
      [/^metadata$/, (p) => this.metadata(p)],
      [/^rules$/, () => ({ groups: [] })],
      [/^alerts$/, () => ({ alerts: [] })],
      [/^alertmanagers$/, () => ({ activeAlertmanagers: [], droppedAlertmanagers: [] })],
      [/^query_exemplars$/, () => []],
      [/^status\/config$/, () => ({ yaml: this.d.configYaml() })],
      [/^status\/flags$/, () => this.d.flags],
      [/^status\/buildinfo$/, () => this.buildInfo()],
      [/^status\/runtimeinfo$/, () => this.runtimeInfo()],
      [/^status\/tsdb$/, (p) => this.tsdbStatus(p)],
      [/^status\/walreplay$/, () => ({ min: 0, max: 0, current: 0 })],
      [/^admin\/tsdb\/snapshot$/, (p, req) => this.snapshot(p, req)],
    ];
  }

  /** Handles `/api/v1/<path>`; never throws. */
  async handle(req: IncomingMessage, path: string, url: URL): Promise<ApiResponse> {
    try {
      if (req.method !== 'GET' && req.method !== 'POST') throw new ApiError('bad_data', `method ${req.method} not allowed`);
      for (const [re, h] of this.routes) {
        const m = re.exec(path);
        if (!m) continue;
        const params = await Params.read(req, url);
        const data = h(params, req, m[1] ? decodeLabelName(m[1]) : '');
        if (data instanceof Success) return { status: 200, body: data.body };
        return { status: 200, body: { status: 'success', data } };
      }
      throw new ApiError('not_found', `unknown API endpoint /api/v1/${path}`);
    } catch (e) {
      const err = toApiError(e);
      return { status: err.status, body: { status: 'error', errorType: err.errorType, error: err.message } };
    }
  }

  private queryResult(r: QueryResult, p: Params): Success {
    const body: Record<string, unknown> = { status: 'success', data: toApiData(r.value) };
    const limit = limitParam(p);
    const data = body.data as { resultType: string; result: unknown[] };
    if (limit > 0 && Array.isArray(data.result) && data.result.length > limit) {
      data.result = data.result.slice(0, limit);
      r.warnings.push(`results truncated due to limit`);
    }
    if (p.get('stats')) {
      (body.data as Record<string, unknown>).stats = {
        timings: r.stats.timings,
        samples: p.get('stats') === 'all' ? r.stats.samples : { totalQueryableSamples: r.stats.samples.totalQueryableSamples, peakSamples: r.stats.samples.peakSamples },
      };
    }
    if (r.warnings.length) body.warnings = r.warnings;
    if (r.infos.length) body.infos = r.infos;
    return new Success(body);
  }

  private queryText(p: Params): string {
    const q = p.get('query');
    if (q === undefined || q === '') throw new ApiError('bad_data', 'invalid parameter "query": unknown position: parse error: no expression found in input');
    return q;
  }

  private signal(p: Params): AbortSignal | undefined {
    const timeout = durationParam(p, 'timeout');
    return timeout !== undefined && timeout > 0 ? AbortSignal.timeout(timeout) : undefined;
  }

  private query(p: Params): Success {
    const q = this.queryText(p);
    const t = timeParam(p, 'time', Date.now());
    const r = this.d.engine.instantQuery(this.d.storage, this.parse(q), t, {
      signal: this.signal(p),
      lookbackDelta: durationParam(p, 'lookback_delta'),
    });
    return this.queryResult(r, p);
  }

  private queryRange(p: Params): Success {
    const q = this.queryText(p);
    const start = timeParam(p, 'start', NaN);
    const end = timeParam(p, 'end', NaN);
    if (Number.isNaN(start)) throw new ApiError('bad_data', 'invalid parameter "start": cannot parse "" to a valid timestamp');
    if (Number.isNaN(end)) throw new ApiError('bad_data', 'invalid parameter "end": cannot parse "" to a valid timestamp');
    if (end < start) throw new ApiError('bad_data', 'invalid parameter "end": end timestamp must not be before start time');
    const step = durationParam(p, 'step');
    if (step === undefined) throw new ApiError('bad_data', 'invalid parameter "step": cannot parse "" to a valid duration');
    if (step <= 0) throw new ApiError('bad_data', 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer');
    if ((end - start) / step > MAX_POINTS) {
      throw new ApiError('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
    }
    const r = this.d.engine.rangeQuery(this.d.storage, this.parse(q), start, end, step, {
      signal: this.signal(p),
      lookbackDelta: durationParam(p, 'lookback_delta'),
    });
    return this.queryResult(r, p);
  }

  private parse(q: string) {
    try {
      return this.d.engine.parse(q);
    } catch (e) {
      if (e instanceof ParseError) throw new ApiError('bad_data', `invalid parameter "query": ${e.message}`);
      throw e;
    }
  }

  private formatQuery(p: Params): string {
    return exprToString(this.parse(this.queryText(p)));
  }

  private matcherSets(p: Params, required: boolean): Matcher[][] {
    const raw = p.getAll('match[]');
    if (required && raw.length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
    return raw.map((m) => {
      try {
        return parseMetricSelector(m);
      } catch (e) {
        throw new ApiError('bad_data', `invalid parameter "match[]": ${(e as Error).message}`);
      }
    });
  }

  private window(p: Params): [number, number] {
    return [timeParam(p, 'start', MIN_TIME), timeParam(p, 'end', MAX_TIME)];
  }

  private series(p: Params): Record<string, string>[] {
    const sets = this.matcherSets(p, true);
    const [mint, maxt] = this.window(p);
    const limit = limitParam(p);
    const q = this.d.storage.querier(mint, maxt);
    try {
      const seen = new Map<string, Labels>();
      for (const ms of sets) {
        const ss = q.select(true, { start: mint, end: maxt, func: 'series' }, ms);
        while (ss.next()) {
          const l = ss.at().labels;
          seen.set(l.toString(), l);
        }
        const err = ss.err();
        if (err) throw err;
      }
      const out = [...seen.values()].sort(Labels.compare).map((l) => l.toRecord());
      return limit > 0 ? out.slice(0, limit) : out;
    } finally {
      q.close();
    }
  }

  private labelNames(p: Params): string[] {
    const sets = this.matcherSets(p, false);
    const [mint, maxt] = this.window(p);
    const limit = limitParam(p);
    const q = this.d.storage.querier(mint, maxt);
    try {
      const names = new Set<string>();
      for (const ms of sets.length ? sets : [[]]) for (const n of q.labelNames(undefined, ms)) names.add(n);
      const out = [...names].sort();
      return limit > 0 ? out.slice(0, limit) : out;
    } finally {
      q.close();
    }
  }

  private labelValues(p: Params, name: string): string[] {
    const sets = this.matcherSets(p, false);
    const [mint, maxt] = this.window(p);
    const limit = limitParam(p);
    const q = this.d.storage.querier(mint, maxt);
    try {
      const values = new Set<string>();
      for (const ms of sets.length ? sets : [[]]) for (const v of q.labelValues(name, undefined, ms)) values.add(v);
      const out = [...values].sort();
      return limit > 0 ? out.slice(0, limit) : out;
    } finally {
      q.close();
    }
  }

  private targets(p: Params): unknown {
    const state = p.get('state') ?? 'any';
    const poolFilter = p.get('scrapePool');
    const active: unknown[] = [];
    const dropped: unknown[] = [];
    const droppedTargetCounts: Record<string, number> = {};
    const pools = [...this.d.scrape.pools].filter(([name]) => !poolFilter || name === poolFilter).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [name, pool] of pools) {
      droppedTargetCounts[name] = pool.droppedTotal;
      if (state === 'any' || state === 'active') {
        for (const loop of pool.loops.values()) {
          const t = loop.target;
          active.push({
            discoveredLabels: t.discoveredLabels.toRecord(),
            labels: t.seriesLabels().toRecord(),
            scrapePool: name,
            scrapeUrl: t.url(),
            globalUrl: t.url(),
            lastError: loop.lastError,
            lastScrape: loop.lastScrape ? new Date(loop.lastScrape).toISOString() : '0001-01-01T00:00:00Z',
            lastScrapeDuration: loop.lastDurationMs / 1000,
            health: loop.health,
            scrapeInterval: formatDuration(t.intervalMs()),
            scrapeTimeout: formatDuration(t.timeoutMs()),
          });
        }
      }
      if (state === 'any' || state === 'dropped') {
        for (const l of pool.dropped) dropped.push({ discoveredLabels: l.toRecord(), scrapePool: name });
      }
    }
    return { activeTargets: active, droppedTargets: dropped, droppedTargetCounts };
  }

  private metadata(p: Params): Record<string, { type: string; help: string; unit: string }[]> {
    const metric = p.get('metric');
    const limit = limitParam(p);
    const out: Record<string, { type: string; help: string; unit: string }[]> = {};
    for (const pool of this.d.scrape.pools.values()) {
      for (const loop of pool.loops.values()) {
        for (const [name, m] of loop.metadata) {
          if (metric && name !== metric) continue;
          const list = (out[name] ??= []);
          if (!list.some((x) => x.type === m.type && x.help === m.help && x.unit === m.unit)) list.push({ type: m.type, help: m.help, unit: m.unit });
        }
      }
    }
    if (limit > 0) for (const k of Object.keys(out).slice(limit)) delete out[k];
    return out;
  }

  private targetMetadata(p: Params): unknown[] {
    const metric = p.get('metric');
    const sets = this.matcherSets(p, false);
    const out: unknown[] = [];
    for (const pool of this.d.scrape.pools.values()) {
      for (const loop of pool.loops.values()) {
        const tl = loop.target.seriesLabels();
        if (sets.length && !sets.some((ms) => ms.every((m) => m.matches(tl.get(m.name))))) continue;
        for (const [name, m] of loop.metadata) {
          if (metric && name !== metric) continue;
          out.push({ target: tl.toRecord(), metric: name, type: m.type, help: m.help, unit: m.unit });
        }
      }
    }
    return out;
  }

  /** Prometheus's snapshot API: `<data>/snapshots/<time>-<random>`, optionally without the head. */
  private snapshot(p: Params, req: IncomingMessage): unknown {
    if (!this.d.adminApi) throw new ApiError('unavailable', 'admin APIs disabled');
    if (req.method !== 'POST' && req.method !== 'PUT') throw new ApiError('bad_data', 'snapshot requires POST or PUT');
    const db = this.d.db;
    if (!db) throw new ApiError('unavailable', 'TSDB not ready');
    const skipHead = p.get('skip_head') === 'true';
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const name = `${stamp}-${randomBytes(8).toString('hex')}`;
    db.snapshot(join(db.dir, 'snapshots', name), skipHead);
    return { name };
  }

  private buildInfo(): unknown {
    return { version: this.d.version, revision: '', branch: '', buildUser: '', buildDate: '', goVersion: `node ${process.version}` };
  }

  private runtimeInfo(): unknown {
    const reload = this.d.reload();
    return {
      startTime: this.d.startTime.toISOString(),
      CWD: process.cwd(),
      hostname: process.env.HOSTNAME ?? '',
      serverTime: new Date().toISOString(),
      reloadConfigSuccess: reload.success,
      lastConfigTime: reload.time.toISOString(),
      corruptionCount: this.d.db?.corruptedBlocks.length ?? 0,
      goroutineCount: 0,
      GOMAXPROCS: 0,
      GOMEMLIMIT: 0,
      GOGC: '',
      GODEBUG: '',
      storageRetention: this.d.retention,
    };
  }

  private tsdbStatus(p: Params): unknown {
    const limit = limitParam(p) || 10;
    const db = this.d.db;
    if (!db) throw new ApiError('unavailable', 'TSDB not ready');
    const byName = new Map<string, number>();
    const byLabelName = new Map<string, number>();
    const memByLabel = new Map<string, number>();
    const byPair = new Map<string, number>();
    const valuesByName = new Map<string, Set<string>>();
    let pairs = 0;
    for (const ls of db.headSeriesLabels()) {
      byName.set(ls.metricName(), (byName.get(ls.metricName()) ?? 0) + 1);
      ls.forEach((n, v) => {
        pairs++;
        const pair = `${n}=${v}`;
        byPair.set(pair, (byPair.get(pair) ?? 0) + 1);
        let vs = valuesByName.get(n);
        if (!vs) valuesByName.set(n, (vs = new Set()));
        if (!vs.has(v)) {
          vs.add(v);
          memByLabel.set(n, (memByLabel.get(n) ?? 0) + v.length);
        }
      });
    }
    for (const [n, vs] of valuesByName) byLabelName.set(n, vs.size);
    const top = (m: Map<string, number>) =>
      [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit).map(([name, value]) => ({ name, value }));
    const head = db.head;
    return {
      headStats: {
        numSeries: head.numSeries(),
        numLabelPairs: byPair.size,
        chunkCount: head.counters.chunksCreated - head.counters.chunksRemoved,
        minTime: Number.isFinite(head.minTime()) ? head.minTime() : MAX_TIME,
        maxTime: Number.isFinite(head.maxTime()) ? head.maxTime() : MIN_TIME,
      },
      seriesCountByMetricName: top(byName),
      labelValueCountByLabelName: top(byLabelName),
      memoryInBytesByLabelName: top(memByLabel),
      seriesCountByLabelValuePair: top(byPair),
      labelPairs: pairs,
    };
  }
}

/** A handler result that is already a full response body (query results with warnings). */
class Success {
  constructor(readonly body: unknown) {}
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
