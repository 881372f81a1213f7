/**
 * The PromQL engine: parses a query, evaluates it over a Queryable and shapes the result
 * (instant: scalar, string, vector or range vector; range: matrix sorted by labels).
 */
import { Labels } from '../model/labels.js';
import type { Queryable } from '../storage/interface.js';
import { Annotations, QueryError } from './annotations.js';
import { Evaluator, type EvaluatorOptions } from './evaluator.js';
import type { Expr } from './parser/ast.js';
import { resolveDurationExprs } from './parser/duration_expr.js';
import { parseExpr, type ParserOptions } from './parser/parser.js';
import { makeGrid, stepTime, withoutName, type EvalValue, type Grid, type StepSeries } from './series.js';
import { Matrix, Scalar, StringValue, Vector, type MatrixSeries, type Value } from './value.js';

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
}

export interface QueryOptions {
  signal?: AbortSignal;
  lookbackDelta?: number;
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

export class Engine {
  readonly lookbackDelta: number;
  readonly maxSamples: number;
  readonly timeout: number;
  readonly defaultEvalInterval: number;
  readonly delayedNameRemoval: boolean;
  readonly parserOptions: ParserOptions;

  constructor(opts: EngineOptions = {}) {
    this.lookbackDelta = opts.lookbackDelta ?? 5 * 60 * 1000;
    this.maxSamples = opts.maxSamples ?? 50_000_000;
    this.timeout = opts.timeout ?? 2 * 60 * 1000;
    this.defaultEvalInterval = opts.defaultEvalInterval ?? 60 * 1000;
    this.delayedNameRemoval = opts.enableDelayedNameRemoval ?? false;
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

  /** Evaluates at one instant `t` (ms). Throws ParseError or QueryError. */
  instantQuery(q: Queryable, query: string | Expr, t: number, opts: QueryOptions = {}): QueryResult {
    return this.exec(q, query, t, t, 0, opts);
  }

  /** Evaluates at start, start+step, ..., end (ms). */
  rangeQuery(q: Queryable, query: string | Expr, start: number, end: number, step: number, opts: QueryOptions = {}): QueryResult {
    if (step <= 0) throw new QueryError('zero or negative query resolution step widths are not accepted. Try a positive integer', 'bad_data');
    if (end < start) throw new QueryError('end timestamp must not be before start time', 'bad_data');
    return this.exec(q, query, start, end, step, opts);
  }

  private exec(q: Queryable, query: string | Expr, start: number, end: number, step: number, opts: QueryOptions): QueryResult {
    const t0 = performance.now();
    const text = typeof query === 'string' ? query : '';
    const expr = typeof query === 'string' ? this.parse(query) : query;
    resolveDurationExprs(expr, { stepMs: step, rangeMs: end - start });
    const t1 = performance.now();
    const annotations = new Annotations(text);
    const evOpts: EvaluatorOptions = {
      lookbackDelta: opts.lookbackDelta ?? this.lookbackDelta,
      maxSamples: this.maxSamples,
      subqueryStep: () => this.defaultEvalInterval,
      enableDelayedNameRemoval: this.delayedNameRemoval,
    };
    const ev = new Evaluator(q, evOpts, annotations, start, end, step, Date.now() + this.timeout, opts.signal);
    if (opts.signal?.aborted) throw new QueryError('query was canceled', 'canceled');
    const grid = makeGrid(start, end, step);
    let raw: EvalValue;
    try {
      raw = ev.eval(expr, grid);
    } finally {
      ev.close();
    }
    const t2 = performance.now();
    const value = step === 0 ? instantResult(raw, start, ev.namesDropped) : rangeResult(raw, grid);
    const t3 = performance.now();
    const sec = (ms: number): number => ms / 1000;
    return {
      value,
      warnings: annotations.warnings,
      infos: annotations.infos,
      stats: {
        timings: {
          evalTotalTime: sec(t3 - t1),
          resultSortTime: sec(t3 - t2),
          queryPreparationTime: sec(t1 - t0),
          innerEvalTime: sec(t2 - t1),
          execQueueTime: 0,
          execTotalTime: sec(t3 - t0),
        },
        samples: { ...ev.stats },
      },
    };
  }
}

const SAME_LABELSET = 'vector cannot contain metrics with the same labelset';

function instantResult(v: EvalValue, t: number, namesDropped: boolean): Value {
  switch (v.kind) {
    case 'scalar':
      return new Scalar(t, v.values[0]);
    case 'string':
      return new StringValue(t, v.value);
    case 'vector': {
      const present = v.series.filter((s) => s.present[0]);
      const labels = present.map((s) => s.visibleLabels());
      // Operators keep their outputs unique; only dropping names can make two series collide.
      if (namesDropped) assertUnique(labels);
      const values = new Float64Array(present.length);
      for (let i = 0; i < present.length; i++) values[i] = present[i].values[0];
      return new Vector(labels, new Float64Array(present.length).fill(t), values);
    }
    case 'matrix': {
      const series = v.series.map((s) => ({
        labels: s.dropName ? withoutName(s.labels) : s.labels,
        timestamps: s.ts,
        values: s.vs,
      }));
      assertUnique(series.map((s) => s.labels));
      return new Matrix(series);
    }
  }
}

function assertUnique(labels: Labels[]): void {
  if (labels.length < 2) return;
  const seen = new Map<number, Labels[]>();
  for (const l of labels) {
    const h = l.hash();
    const list = seen.get(h);
    if (list?.some((o) => o.equals(l))) throw new QueryError(SAME_LABELSET);
    if (list) list.push(l);
    else seen.set(h, [l]);
  }
}

function rangeResult(v: EvalValue, g: Grid): Matrix {
  if (v.kind === 'scalar') {
    const ts = new Float64Array(g.steps);
    for (let i = 0; i < g.steps; i++) ts[i] = stepTime(g, i);
    return new Matrix([{ labels: Labels.EMPTY, timestamps: ts, values: v.values.slice() }]);
  }
  if (v.kind !== 'vector') {
    const name = v.kind === 'matrix' ? 'range vector' : 'string';
    throw new QueryError(`invalid expression type "${name}" for range query, must be Scalar or instant Vector`, 'bad_data');
  }
  // Series whose labels coincide once names are dropped merge, unless they overlap in time.
  const byHash = new Map<number, { labels: Labels; list: StepSeries[] }[]>();
  const groups: { labels: Labels; list: StepSeries[] }[] = [];
  for (const s of v.series) {
    if (!s.anyPresent()) continue;
    const l = s.visibleLabels();
    const h = l.hash();
    let cands = byHash.get(h);
    if (!cands) byHash.set(h, (cands = []));
    const same = cands.find((c) => c.labels.equals(l));
    if (same) same.list.push(s);
    else {
      const grp = { labels: l, list: [s] };
      cands.push(grp);
      groups.push(grp);
    }
  }
  const out: MatrixSeries[] = [];
  for (const { labels, list } of groups) {
    if (list.length === 1) {
      out.push(compact(labels, list[0], g));
      continue;
    }
    let n = 0;
    for (let i = 0; i < g.steps; i++) {
      let c = 0;
      for (const s of list) c += s.present[i];
      if (c > 1) throw new QueryError(SAME_LABELSET);
      n += c;
    }
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n);
    let j = 0;
    for (let i = 0; i < g.steps; i++) {
      for (const s of list) {
        if (!s.present[i]) continue;
        timestamps[j] = stepTime(g, i);
        values[j] = s.values[i];
        j++;
      }
    }
    out.push({ labels, timestamps, values });
  }
  out.sort((a, b) => Labels.compare(a.labels, b.labels));
  return new Matrix(out);
}

/** The present steps of one series as matrix points. */
function compact(labels: Labels, s: StepSeries, g: Grid): MatrixSeries {
  const pres = s.present;
  let n = 0;
  for (let i = 0; i < pres.length; i++) n += pres[i];
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < pres.length; i++) {
    if (!pres[i]) continue;
    timestamps[j] = g.start + i * g.interval;
    values[j] = s.values[i];
    j++;
  }
  return { labels, timestamps, values };
}
