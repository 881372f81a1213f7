/**
 * The PromQL engine: parses a query, evaluates it over a Queryable and shapes the result
 * (instant: scalar, string, vector or range vector; range: matrix sorted by labels).
 */
import type { Queryable } from '../storage/interface.js';
import { nopLogger, type Logger } from '../util/log.js';
import { Annotations, QueryError } from './annotations.js';
import { Evaluator } from './evaluator.js';
import { exprType, inspect, type Expr } from './parser/ast.js';
import { resolveDurationExprs } from './parser/duration_expr.js';
import { parseExpr, type ParserOptions } from './parser/parser.js';
import { QueryGate } from './query_gate.js';
import { SliceSizer } from './slice_sizer.js';
import type { QueryLogger, QueryOrigin } from './query_log.js';
import { RangeResultBuilder, instantResult, invalidRangeType, rangeResult } from './result.js';
import { makeGrid, type EvalValue, type Grid } from './series.js';
import type { Value } from './value.js';

export interface EngineOptions {
  /** How far back an instant selector looks for a sample (ms). Default 5m. */
  lookbackDelta?: number;
  /** Most samples a query may hold at once. Default 50,000,000 as Prometheus. */
  maxSamples?: number;
  /** Query timeout in ms. Default 2m. */
  timeout?: number;
  /** Default subquery step in ms (the global evaluation interval). Default 1m. */
  defaultEvalInterval?: number;
  /** Experimental functions and syntax (limitk, sort_by_label, duration arithmetic, ...). */
  enableExperimentalFunctions?: boolean;
  /** Prometheus 3's delayed `__name__` removal. Default false, as upstream. */
  enableDelayedNameRemoval?: boolean;
  /** Parser feature switches; derived from enableExperimentalFunctions when omitted. */
  parser?: ParserOptions;
  /** Honour `perStepStats` (`--enable-feature=promql-per-step-stats`). Default false, as upstream. */
  enablePerStepStats?: boolean;
  /** Most queries evaluating at once on the async path (`--query.max-concurrency`). Default 20. */
  maxConcurrency?: number;
  log?: Logger;
}

export interface QueryOptions {
  signal?: AbortSignal;
  lookbackDelta?: number;
  /** Timeout in ms for this query; the engine's applies when it is shorter. */
  timeout?: number;
  /** The query's text when `query` is passed already parsed (annotation positions, query log). */
  text?: string;
  /** Count samples per step too (the API's `stats=all`), if the engine enables per-step stats. */
  perStepStats?: boolean;
  /** Where the query came from, for the query log. */
  origin?: QueryOrigin;
}

export interface AsyncQueryOptions extends QueryOptions {
  /** Evaluate range queries in slices of exactly this many steps (at least 2) instead of adaptively. */
  sliceSteps?: number;
}

export interface QueryStatistics {
  timings: {
    evalTotalTime: number;
    resultSortTime: number;
    queryPreparationTime: number;
    innerEvalTime: number;
    execQueueTime: number;
    execTotalTime: number;
  };
  samples: {
    totalQueryableSamplesPerStep?: [number, number][];
    totalQueryableSamples: number;
    peakSamples: number;
  };
}

export interface QueryResult {
  value: Value;
  warnings: string[];
  infos: string[];
  stats: QueryStatistics;
}

/** Counters behind the engine's self-metrics (`prometheus_engine_*`), read at scrape time. */
export class EngineMetrics {
  /** Queries evaluating or waiting for a slot. */
  queries = 0;
  /** Samples touched by all queries. */
  samplesTotal = 0;
  queryLogFailures = 0;
  /** Queries on the async path that stopped because their signal aborted (e.g. the client went away). */
  canceled = 0;
}

// Slices of a range query aim at this much evaluation time between two yields to the event loop.
const SLICE_TARGET_MS = 30;
const FIRST_SLICE_STEPS = 8;

interface Prepared {
  expr: Expr;
  text: string;
  ev: Evaluator;
  annotations: Annotations;
  grid: Grid;
}

/** Times (performance.now()) of the phases of one query. */
interface Phases {
  queued: number;
  started: number;
  prepared: number;
  evaluated: number;
  sorted: number;
}

export class Engine {
  readonly lookbackDelta: number;
  readonly maxSamples: number;
  readonly timeout: number;
  readonly defaultEvalInterval: number;
  readonly delayedNameRemoval: boolean;
  readonly parserOptions: ParserOptions;
  readonly maxConcurrency: number;
  readonly enablePerStepStats: boolean;
  readonly metrics = new EngineMetrics();
  /** Called with the statistics of every finished query (the duration summaries). */
  onQueryDone: ((s: QueryStatistics) => void) | undefined;
  private readonly gate: QueryGate;
  private readonly log: Logger;
  private queryLogger: QueryLogger | undefined;

  constructor(opts: EngineOptions = {}) {
    this.lookbackDelta = opts.lookbackDelta ?? 5 * 60 * 1000;
    this.maxSamples = opts.maxSamples ?? 50_000_000;
    this.timeout = opts.timeout ?? 2 * 60 * 1000;
    this.defaultEvalInterval = opts.defaultEvalInterval ?? 60 * 1000;
    this.delayedNameRemoval = opts.enableDelayedNameRemoval ?? false;
    this.maxConcurrency = opts.maxConcurrency ?? 20;
    this.enablePerStepStats = opts.enablePerStepStats ?? false;
    this.gate = new QueryGate(this.maxConcurrency);
    this.log = opts.log ?? nopLogger;
    const x = opts.enableExperimentalFunctions ?? false;
    this.parserOptions = opts.parser ?? {
      enableExperimentalFunctions: x,
      enableDurationExpressions: x,
      enableExtendedRangeSelectors: x,
      enableBinopFillModifiers: x,
    };
  }

  parse(query: string): Expr {
    return parseExpr(query, this.parserOptions);
  }

  /** Replaces the query log (undefined turns it off), closing the previous one. */
  setQueryLogger(l: QueryLogger | undefined): void {
    const old = this.queryLogger;
    this.queryLogger = l;
    if (old && old !== l) old.close();
  }

  get queryLogEnabled(): boolean {
    return this.queryLogger !== undefined;
  }

  /** Evaluates at one instant `t` (ms), holding the event loop. Throws ParseError or QueryError. */
  instantQuery(q: Queryable, query: string | Expr, t: number, opts: QueryOptions = {}): QueryResult {
    return this.exec(q, query, t, t, 0, opts);
  }

  /** Evaluates at start, start+step, ..., end (ms), holding the event loop. */
  rangeQuery(q: Queryable, query: string | Expr, start: number, end: number, step: number, opts: QueryOptions = {}): QueryResult {
    checkRange(start, end, step);
    return this.exec(q, query, start, end, step, opts);
  }

  /**
   * Like instantQuery, but waits for a slot under `maxConcurrency` first, and an aborted
   * `signal` rejects while waiting.
   */
  instantQueryAsync(q: Queryable, query: string | Expr, t: number, opts: AsyncQueryOptions = {}): Promise<QueryResult> {
    return this.execAsync(q, query, t, t, 0, opts);
  }

  /**
   * Like rangeQuery, but waits for a slot under `maxConcurrency`, then evaluates in slices of
   * steps and lets the event loop run between slices, where an aborted `signal` or the timeout
   * stops the query. Results, annotations and statistics are those of rangeQuery.
   */
  rangeQueryAsync(q: Queryable, query: string | Expr, start: number, end: number, step: number, opts: AsyncQueryOptions = {}): Promise<QueryResult> {
    try {
      checkRange(start, end, step);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.execAsync(q, query, start, end, step, opts);
  }

  private prepare(q: Queryable, query: string | Expr, start: number, end: number, step: number, opts: QueryOptions): Prepared {
    const text = opts.text ?? (typeof query === 'string' ? query : '');
    const expr = typeof query === 'string' ? this.parse(query) : query;
    resolveDurationExprs(expr, { stepMs: step, rangeMs: end - start });
    const annotations = new Annotations(text);
    const timeout = opts.timeout !== undefined && opts.timeout < this.timeout ? opts.timeout : this.timeout;
    const ev = new Evaluator(
      q,
      {
        lookbackDelta: opts.lookbackDelta ?? this.lookbackDelta,
        maxSamples: this.maxSamples,
        subqueryStep: () => this.defaultEvalInterval,
        enableDelayedNameRemoval: this.delayedNameRemoval,
      },
      annotations,
      start,
      end,
      step,
      // performance.now(): sub-millisecond timeouts (timeout=1us) must expire as they do upstream.
      performance.now() + timeout,
      opts.signal,
    );
    const grid = makeGrid(start, end, step);
    if (opts.perStepStats && this.enablePerStepStats) ev.perStep = new Float64Array(grid.steps);
    if (opts.signal?.aborted) throw new QueryError('query was canceled', 'canceled');
    return { expr, text, ev, annotations, grid };
  }

  /** Evaluates every step at once. */
  private evalWhole(p: Prepared, ph: Phases, instant: boolean): Value {
    let raw: EvalValue;
    p.ev.setTopGrid(p.grid, 0);
    try {
      raw = p.ev.eval(p.expr, p.grid);
    } finally {
      p.ev.close();
    }
    ph.evaluated = performance.now();
    return instant ? instantResult(raw, p.grid.start, p.ev.namesDropped) : rangeResult(raw, p.grid);
  }

  private exec(q: Queryable, query: string | Expr, start: number, end: number, step: number, opts: QueryOptions): QueryResult {
    const now = performance.now();
    const ph: Phases = { queued: now, started: now, prepared: now, evaluated: now, sorted: now };
    this.metrics.queries++;
    let p: Prepared | undefined;
    try {
      p = this.prepare(q, query, start, end, step, opts);
      ph.prepared = performance.now();
      const value = this.evalWhole(p, ph, step === 0);
      ph.sorted = performance.now();
      return this.finish(p, value, ph, start, end, step, opts);
    } catch (e) {
      this.failed(e, p, ph, query, start, end, step, opts);
      throw e;
    } finally {
      this.metrics.queries--;
    }
  }

  private async execAsync(q: Queryable, query: string | Expr, start: number, end: number, step: number, opts: AsyncQueryOptions): Promise<QueryResult> {
    const now = performance.now();
    const ph: Phases = { queued: now, started: now, prepared: now, evaluated: now, sorted: now };
    this.metrics.queries++;
    let p: Prepared | undefined;
    let admitted = false;
    try {
      await this.gate.acquire(opts.signal);
      admitted = true;
      ph.started = performance.now();
      p = this.prepare(q, query, start, end, step, opts);
      ph.prepared = performance.now();
      let value: Value;
      if (p.grid.steps < 2) {
        value = this.evalWhole(p, ph, step === 0);
      } else {
        const builder = await this.evalSlices(p, opts.sliceSteps);
        ph.evaluated = performance.now();
        value = builder.matrix();
      }
      ph.sorted = performance.now();
      return this.finish(p, value, ph, start, end, step, opts);
    } catch (e) {
      this.failed(e, p, ph, query, start, end, step, opts);
      throw e;
    } finally {
      if (admitted) this.gate.release();
      this.metrics.queries--;
    }
  }

  /**
   * Each step of a range query is independent of the others (`@ start()`/`@ end()` and step()
   * refer to the whole query, subquery steps are aligned to absolute time), so the grid is
   * evaluated in consecutive slices, yielding to the event loop between them, sized by
   * SliceSizer. Each slice re-evaluates the inner steps its subquery windows
   * reach back over, so a slice spans at least those ranges (re-evaluation then costs at most
   * about as much as the slice itself); re-reading a range selector's window is cheap next to
   * the per-step work over it, so range selectors set no minimum.
   */
  private async evalSlices(p: Prepared, fixedSteps: number | undefined): Promise<RangeResultBuilder> {
    const { ev, expr, grid } = p;
    const type = exprType(expr);
    if (type === 'matrix' || type === 'string') throw invalidRangeType(type);
    const builder = new RangeResultBuilder(grid);
    const minSteps = Math.max(2, fixedSteps ?? Math.ceil(subqueryReach(expr) / grid.interval));
    const sizer = new SliceSizer(fixedSteps !== undefined ? minSteps : FIRST_SLICE_STEPS, minSteps, SLICE_TARGET_MS);
    for (let first = 0; first < grid.steps; ) {
      let n = Math.min(fixedSteps !== undefined ? minSteps : sizer.next, grid.steps - first);
      // A one-step grid evaluates like an instant query (sort(), topk order), so none is left over.
      if (grid.steps - first - n === 1) n++;
      const slice: Grid = {
        start: grid.start + first * grid.interval,
        end: grid.start + (first + n - 1) * grid.interval,
        interval: grid.interval,
        steps: n,
      };
      const t = performance.now();
      ev.setTopGrid(slice, first);
      try {
        builder.add(ev.eval(expr, slice), first);
      } finally {
        ev.close();
      }
      first += n;
      if (first >= grid.steps) break;
      sizer.took(n, performance.now() - t);
      await new Promise<void>((r) => setImmediate(r));
      ev.checkNow();
    }
    return builder;
  }

  private statistics(ev: Evaluator | undefined, grid: Grid | undefined, ph: Phases): QueryStatistics {
    // Whole nanoseconds, as Prometheus reports durations.
    const sec = (ms: number): number => Math.round(ms * 1e6) / 1e9;
    const samples: QueryStatistics['samples'] = { totalQueryableSamples: ev?.stats.totalQueryableSamples ?? 0, peakSamples: ev?.stats.peakSamples ?? 0 };
    if (ev?.perStep && grid) samples.totalQueryableSamplesPerStep = perStepStats(ev.perStep, samples.totalQueryableSamples, grid);
    return {
      timings: {
        evalTotalTime: sec(ph.sorted - ph.prepared),
        resultSortTime: sec(ph.sorted - ph.evaluated),
        queryPreparationTime: sec(ph.prepared - ph.started),
        innerEvalTime: sec(ph.evaluated - ph.prepared),
        execQueueTime: sec(ph.started - ph.queued),
        execTotalTime: sec(ph.sorted - ph.queued),
      },
      samples,
    };
  }

  private finish(p: Prepared, value: Value, ph: Phases, start: number, end: number, step: number, opts: QueryOptions): QueryResult {
    const stats = this.statistics(p.ev, p.grid, ph);
    this.record(stats, { query: p.text, start, end, step, origin: opts.origin });
    return { value, warnings: p.annotations.warnings, infos: p.annotations.infos, stats };
  }

  private failed(e: unknown, p: Prepared | undefined, ph: Phases, query: string | Expr, start: number, end: number, step: number, opts: QueryOptions): void {
    const t = performance.now();
    if (ph.prepared < ph.started || p === undefined) ph.prepared = t;
    ph.evaluated = ph.sorted = t;
    const text = p?.text ?? opts.text ?? (typeof query === 'string' ? query : '');
    if (e instanceof QueryError && e.kind === 'canceled') {
      this.metrics.canceled++;
      this.log.debug('Query canceled', { query: text, reason: String(opts.signal?.reason ?? 'canceled') });
    }
    this.record(this.statistics(p?.ev, p?.grid, ph), { query: text, start, end, step, origin: opts.origin, error: (e as Error).message });
  }

  private record(stats: QueryStatistics, entry: { query: string; start: number; end: number; step: number; origin?: QueryOrigin; error?: string }): void {
    this.metrics.samplesTotal += stats.samples.totalQueryableSamples;
    this.onQueryDone?.(stats);
    if (!this.queryLogger) return;
    try {
      this.queryLogger.log({ ...entry, stats });
    } catch (e) {
      this.metrics.queryLogFailures++;
      this.log.error('Cannot log query', { err: e });
    }
  }
}

function checkRange(start: number, end: number, step: number): void {
  if (step <= 0) throw new QueryError('zero or negative query resolution step widths are not accepted. Try a positive integer', 'bad_data');
  if (end < start) throw new QueryError('end timestamp must not be before start time', 'bad_data');
}

/** How far before a step the expression's subqueries evaluate their inner expressions (at most). */
function subqueryReach(expr: Expr): number {
  let total = 0;
  inspect(expr, (n) => {
    if (n.type === 'SubqueryExpr') total += n.range;
  });
  return total;
}

/**
 * `[[t, n], ...]` in seconds. Samples counted off the query's own steps (inside subqueries)
 * go to the last step, as Prometheus attributes a subquery's samples to its end time.
 */
function perStepStats(perStep: Float64Array, total: number, g: Grid): [number, number][] {
  let counted = 0;
  for (let i = 0; i < perStep.length; i++) counted += perStep[i];
  const out: [number, number][] = new Array(perStep.length);
  for (let i = 0; i < perStep.length; i++) out[i] = [(g.start + i * g.interval) / 1000, perStep[i]];
  if (out.length > 0 && total > counted) out[out.length - 1][1] += total - counted;
  return out;
}
