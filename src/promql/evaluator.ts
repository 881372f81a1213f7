/**
 * Evaluates an expression over a grid of steps. Instant queries are a grid of one step.
 * Each node returns its values for every step at once (see series.ts).
 */
import type { Matcher } from '../model/matcher.js';
import type { Queryable, Querier, SelectHints, SeriesSet } from '../storage/interface.js';
import { Annotations, QueryError } from './annotations.js';
import type { Expr, MatrixSelector, SubqueryExpr } from './parser/ast.js';
import { evalBinary } from './binary.js';
import { evalAggregate } from './aggregations.js';
import { evalCall } from './functions/index.js';
import { evalVectorSelector, forEachRangeSeries, selectorTimes } from './selectors.js';
import { evalSubquery, subqueryBases } from './subquery.js';
import { withoutName, type StepSeries, type EvalValue, type Grid, type RawSeries, type ScalarValue, type VectorValue } from './series.js';

export interface EvaluatorOptions {
  lookbackDelta: number;
  maxSamples: number;
  /** Default subquery step in ms for a given subquery range. */
  subqueryStep: (rangeMs: number) => number;
  enableDelayedNameRemoval: boolean;
}

export interface QueryStats {
  totalQueryableSamples: number;
  peakSamples: number;
}

export class Evaluator {
  private readonly queriers: Querier[] = [];
  readonly stats: QueryStats = { totalQueryableSamples: 0, peakSamples: 0 };
  private checks = 0;
  /** Some series lost (or will lose) its name, so result labels may collide. */
  namesDropped = false;

  constructor(
    readonly queryable: Queryable,
    readonly opts: EvaluatorOptions,
    readonly annotations: Annotations,
    /** Query start and end, for `@ start()` / `@ end()`. */
    readonly queryStart: number,
    readonly queryEnd: number,
    /** Query step in ms (0 for instant queries), for step(). */
    readonly queryStep: number,
    private readonly deadline: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  get lookbackDelta(): number {
    return this.opts.lookbackDelta;
  }

  close(): void {
    for (const q of this.queriers) q.close();
    this.queriers.length = 0;
  }

  select(mint: number, maxt: number, hints: SelectHints, matchers: readonly Matcher[]): SeriesSet {
    this.checkDeadline();
    const q = this.queryable.querier(mint, maxt);
    this.queriers.push(q);
    return q.select(false, hints, matchers);
  }

  atTime(timestamp: number | null, startOrEnd: 'start' | 'end' | null): number | null {
    if (startOrEnd === 'start') return this.queryStart;
    if (startOrEnd === 'end') return this.queryEnd;
    return timestamp;
  }

  /** Throws when the query ran out of time or was cancelled. Cheap enough to call often. */
  checkDeadline(): void {
    if ((++this.checks & 63) !== 0) return;
    if (this.signal?.aborted) throw new QueryError('query was canceled', 'canceled');
    if (Date.now() > this.deadline) throw new QueryError('query timed out in expression evaluation', 'timeout');
  }

  /** Accounts samples read from storage (`touched`) and held at once by one node (`held`). */
  countSamples(touched: number, held: number): void {
    this.stats.totalQueryableSamples += touched;
    if (held > this.stats.peakSamples) this.stats.peakSamples = held;
    this.checkHeld(held);
  }

  /** Throws once a node holds more samples than allowed; call while accumulating, too. */
  checkHeld(held: number): void {
    if (held > this.opts.maxSamples) {
      throw new QueryError('query processing would load too many samples into memory in query execution');
    }
  }

  eval(e: Expr, g: Grid): EvalValue {
    this.checks = 63;
    this.checkDeadline();
    switch (e.type) {
      case 'NumberLiteral':
        return { kind: 'scalar', values: new Float64Array(g.steps).fill(e.value) };
      case 'StringLiteral':
        return { kind: 'string', value: e.value };
      case 'ParenExpr':
      case 'StepInvariantExpr':
        return this.eval(e.expr, g);
      case 'UnaryExpr': {
        const v = this.eval(e.expr, g);
        if (e.op === '+') return v;
        if (v.kind === 'scalar') {
          const out = new Float64Array(g.steps);
          for (let i = 0; i < g.steps; i++) out[i] = -v.values[i];
          return { kind: 'scalar', values: out };
        }
        if (v.kind !== 'vector') throw new QueryError('unary minus on non-numeric value');
        for (const s of v.series) {
          for (let i = 0; i < g.steps; i++) s.values[i] = -s.values[i];
          this.dropName(s);
        }
        return v;
      }
      case 'VectorSelector':
        return { kind: 'vector', series: evalVectorSelector(this, e, g, false) };
      case 'MatrixSelector':
        return { kind: 'matrix', series: this.rawWindows(e, g) };
      case 'SubqueryExpr':
        return { kind: 'matrix', series: this.rawWindows(e, g) };
      case 'BinaryExpr':
        return evalBinary(this, e, g);
      case 'AggregateExpr':
        return evalAggregate(this, e, g);
      case 'Call':
        return evalCall(this, e, g);
    }
  }

  evalVector(e: Expr, g: Grid): VectorValue {
    const v = this.eval(e, g);
    if (v.kind !== 'vector') throw new QueryError(`expected instant vector, got ${v.kind}`);
    return v;
  }

  evalScalar(e: Expr, g: Grid): ScalarValue {
    const v = this.eval(e, g);
    if (v.kind !== 'scalar') throw new QueryError(`expected scalar, got ${v.kind}`);
    return v;
  }

  /** Marks a series' name for removal (or removes it now without delayed removal). */
  dropName(s: StepSeries): void {
    this.namesDropped = true;
    if (this.opts.enableDelayedNameRemoval) s.dropName = true;
    else s.labels = withoutName(s.labels);
  }

  /**
   * Feeds every series of a range-vector argument (matrix selector or subquery) to `fn`, with
   * `bases[i]`, the end of step i's window, and the window length.
   */
  forEachRange(
    arg: Expr,
    g: Grid,
    func: string | undefined,
    fn: (s: RawSeries, bases: Float64Array, range: number) => void,
  ): void {
    while (arg.type === 'ParenExpr' || arg.type === 'StepInvariantExpr') arg = arg.expr;
    if (arg.type === 'MatrixSelector') {
      const bases = selectorTimes(this, arg.vectorSelector, g);
      forEachRangeSeries(this, arg, bases, func, (s) => fn(s, bases, arg.range));
      return;
    }
    if (arg.type === 'SubqueryExpr') {
      const bases = subqueryBases(this, arg, g);
      for (const s of evalSubquery(this, arg, bases)) fn(s, bases, arg.range);
      return;
    }
    throw new QueryError(`expected range vector, got ${arg.type}`);
  }

  /** A range vector as a result: each series' samples inside the (single) step's window. */
  private rawWindows(e: MatrixSelector | SubqueryExpr, g: Grid): RawSeries[] {
    if (g.steps !== 1) {
      throw new QueryError('invalid expression type "range vector" for range query, must be Scalar or instant Vector', 'bad_data');
    }
    const out: RawSeries[] = [];
    let held = 0;
    this.forEachRange(e, g, undefined, (s, bases, range) => {
      const end = bases[0];
      let lo = 0;
      while (lo < s.n && s.ts[lo] <= end - range) lo++;
      let hi = lo;
      while (hi < s.n && s.ts[hi] <= end) hi++;
      if (hi === lo) return;
      held += hi - lo;
      out.push({ labels: s.labels, dropName: s.dropName, ts: s.ts.slice(lo, hi), vs: s.vs.slice(lo, hi), n: hi - lo });
    });
    this.countSamples(held, held);
    return out;
  }
}
