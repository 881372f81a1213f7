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

/** What earlier slices of the same query already accounted for one node (see Engine's sliced path). */
interface Carry {
  held: number;
  /** Last step time accounted. */
  until: number;
}

export class Evaluator {
  private readonly queriers: Querier[] = [];
  readonly stats: QueryStats = { totalQueryableSamples: 0, peakSamples: 0 };
  private checks = 0;
  private readonly carried = new Map<object, Carry>();
  /** Samples touched per step of the whole query grid, when the caller asked for them. */
  perStep: Float64Array | null = null;
  /** The grid of the steps being evaluated now (all of them, or one slice) and its first step's index. */
  private topGrid: Grid | null = null;
  private topOffset = 0;
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
    /** On the performance.now() clock. */
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
    if (performance.now() > this.deadline) throw new QueryError('query timed out in expression evaluation', 'timeout');
  }

  /** Sets the steps evaluated next: a slice of the query's grid starting at step `offset`. */
  setTopGrid(g: Grid, offset: number): void {
    this.topGrid = g;
    this.topOffset = offset;
  }

  /** Per-step sample counts for `g`'s steps when `g` is the query's own grid (or slice), else null. */
  stepCounts(g: Grid): Float64Array | null {
    if (this.perStep === null || g !== this.topGrid) return null;
    return this.perStep.subarray(this.topOffset, this.topOffset + g.steps);
  }

  /**
   * Index of the first step of `g` that an earlier slice has not yet accounted for `node`.
   * Slices overlap where windows or subquery grids reach back; counting only new steps keeps
   * stats and the max-samples limit those of the whole query.
   */
  firstNewStep(node: object, g: Grid): number {
    const c = this.carried.get(node);
    if (c === undefined) return 0;
    if (g.interval === 0) return g.start <= c.until ? g.steps : 0;
    if (c.until < g.start) return 0;
    return Math.min(g.steps, Math.floor((c.until - g.start) / g.interval) + 1);
  }

  /**
   * Accounts a node's new samples: `touched` read from storage, `held` in memory, which adds to
   * what earlier slices held for the node when `additive` (step-indexed data), else is a maximum.
   */
  account(node: object, g: Grid, touched: number, held: number, additive: boolean): void {
    let c = this.carried.get(node);
    if (c === undefined) this.carried.set(node, (c = { held: 0, until: -Infinity }));
    c.held = additive ? c.held + held : Math.max(c.held, held);
    const last = g.start + (g.steps - 1) * g.interval;
    if (last > c.until) c.until = last;
    this.countSamples(touched, c.held);
  }

  /** What earlier slices held for `node`, to check a limit while accumulating. */
  heldBefore(node: object): number {
    return this.carried.get(node)?.held ?? 0;
  }

  /** Checks cancellation and the deadline now, not on every 64th call. */
  checkNow(): void {
    this.checks = 63;
    this.checkDeadline();
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
