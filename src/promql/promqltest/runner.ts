/**
 * Runs test scripts against the engine over a caller-supplied storage (the runner itself
 * depends only on the storage interfaces). Each eval statement yields one result:
 * passed, failed, or needs native histograms (never run, so never counted as passed).
 */
import { Labels, LabelsBuilder } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import { StorageError, type Appendable, type Queryable } from '../../storage/interface.js';
import { Engine, type EngineOptions } from '../engine.js';
import { inspect, type DurationNode, type Expr } from '../parser/ast.js';
import { dependsOnQuery } from '../parser/duration_expr.js';
import { Scalar, Vector, type Value } from '../value.js';
import { compareResult, type ExpectedAxis } from './compare.js';
import { parseScript, type EvalCmd, type Expectation, type LoadCmd } from './script.js';

export type StatementStatus = 'passed' | 'failed' | 'needs_native_histograms';

export interface StatementResult {
  line: number;
  expr: string;
  status: StatementStatus;
  message?: string;
}

export type TestStorage = Queryable & Appendable & { close?(): unknown };

export interface RunnerOptions {
  /** Creates an empty storage; called at the start and after every `clear`. */
  newStorage: () => TestStorage;
  engine?: Engine;
}

/** Engine settings the upstream scripts are written for. */
export function testEngineOptions(): EngineOptions {
  return {
    lookbackDelta: 5 * 60 * 1000,
    maxSamples: 10000,
    timeout: 100_000,
    enableExperimentalFunctions: true,
    enableDelayedNameRemoval: true,
  };
}

export function testEngine(): Engine {
  return new Engine(testEngineOptions());
}

// Functions whose result depends on the evaluation time even with pinned selectors.
const AT_UNSAFE = new Set([
  'days_in_month', 'day_of_month', 'day_of_week', 'day_of_year', 'hour', 'minute', 'month', 'year',
  'predict_linear', 'time', 'timestamp', 'start', 'end', 'range', 'step',
]);

const QUERY_SHAPE = new Set(['start', 'end', 'range', 'step']);

export async function runScript(text: string, opts: RunnerOptions): Promise<StatementResult[]> {
  const engine = opts.engine ?? testEngine();
  const cmds = parseScript(text);
  let storage = opts.newStorage();
  let histSeries: Labels[] = [];
  const results: StatementResult[] = [];
  try {
    for (const cmd of cmds) {
      if (cmd.kind === 'clear') {
        await storage.close?.();
        storage = opts.newStorage();
        histSeries = [];
      } else if (cmd.kind === 'load') {
        await load(storage, cmd, histSeries);
      } else {
        results.push(runEval(engine, storage, cmd, histSeries));
      }
    }
  } finally {
    await storage.close?.();
  }
  return results;
}

export async function load(storage: TestStorage, cmd: LoadCmd, histSeries: Labels[]): Promise<void> {
  const app = storage.appender();
  // A series defined twice keeps only its last definition, as upstream keys loads by series.
  const defs = new Map<string, LoadCmd['series'][number]>();
  for (const s of cmd.series) if (!s.startTimestamps) defs.set(s.labels.toString(), s);
  for (const s of defs.values()) {
    if (s.histogram) histSeries.push(s.labels);
    let ref = 0;
    for (let i = 0; i < s.items.length; i++) {
      const it = s.items[i];
      if (it.kind !== 'value') continue;
      try {
        ref = app.append(ref, ref === 0 ? s.labels : Labels.EMPTY, i * cmd.interval, it.v);
      } catch (e) {
        // Scripts may list a sample twice; storage keeps the first.
        if (!(e instanceof StorageError && e.kind === 'duplicate')) throw e;
      }
    }
    if (cmd.withNhcb) {
      // The converted native histogram lives under the name without `_bucket` (and without `le`).
      const name = s.labels.metricName();
      if (name.endsWith('_bucket')) {
        histSeries.push(new LabelsBuilder(s.labels).set('__name__', name.slice(0, -7)).del('le').labels());
      }
    }
  }
  await app.commit();
}

function matchesAny(matchers: readonly Matcher[], series: Labels[]): boolean {
  return series.some((l) => matchers.every((m) => m.matches(l.get(m.name))));
}

/** Whether the statement touches native histograms, which this engine does not store. */
function needsHistograms(cmd: EvalCmd, expr: Expr | null, histSeries: Labels[]): boolean {
  if (cmd.histogramOutput) return true;
  if (!expr || histSeries.length === 0) return false;
  let found = false;
  inspect(expr, (n) => {
    if (n.type === 'VectorSelector' && matchesAny(n.matchers, histSeries)) found = true;
  });
  return found;
}

function runEval(engine: Engine, storage: TestStorage, cmd: EvalCmd, histSeries: Labels[]): StatementResult {
  let expr: Expr | null = null;
  try {
    expr = engine.parse(cmd.expr);
  } catch {
    // A parse error is judged like any other query error below.
  }
  const base = { line: cmd.line, expr: cmd.expr };
  if (needsHistograms(cmd, expr, histSeries)) return { ...base, status: 'needs_native_histograms' };
  const message = cmd.range ? checkRange(engine, storage, cmd) : checkInstant(engine, storage, cmd);
  return message === null ? { ...base, status: 'passed' } : { ...base, status: 'failed', message };
}

interface Outcome {
  value?: Value;
  warnings: string[];
  infos: string[];
  error?: Error;
}

function run(f: () => { value: Value; warnings: string[]; infos: string[] }): Outcome {
  try {
    return f();
  } catch (e) {
    return { warnings: [], infos: [], error: e as Error };
  }
}

function expects(cmd: EvalCmd, type: Expectation['type']): Expectation[] {
  return cmd.expectations.filter((e) => e.type === type);
}

function matchText(e: Expectation, text: string): boolean {
  if (e.match === 'msg') return text === e.text;
  if (e.match === 'regex') return new RegExp(e.text).test(text);
  return true;
}

/** Checks the error expectation; returns a message, null when fine, or 'done' when an expected failure happened. */
function checkError(cmd: EvalCmd, o: Outcome): string | null | 'done' {
  const fails = expects(cmd, 'fail');
  if (o.error) {
    if (fails.length === 0) return `error evaluating query: ${o.error.message}`;
    for (const f of fails) {
      if (!matchText(f, o.error.message)) return `expected error matching ${f.match}: ${JSON.stringify(f.text)} but got ${JSON.stringify(o.error.message)}`;
    }
    return 'done';
  }
  if (fails.length > 0) return 'expected error but got none';
  return null;
}

function checkAnnotations(cmd: EvalCmd, o: Outcome): string | null {
  for (const [kind, none, list] of [
    ['warn', 'no_warn', o.warnings],
    ['info', 'no_info', o.infos],
  ] as const) {
    if (expects(cmd, none).length > 0 && list.length > 0) return `unexpected ${kind} annotations: ${JSON.stringify(list)}`;
    const exp = expects(cmd, kind);
    if (exp.length === 0) continue;
    if (list.length === 0) return `expected ${kind} annotations but got none`;
    for (const e of exp) {
      if (!list.some((a) => matchText(e, a))) return `expected ${kind} annotation matching ${JSON.stringify(e.text)}, got ${JSON.stringify(list)}`;
    }
    for (const a of list) {
      if (!exp.some((e) => matchText(e, a))) return `unexpected ${kind} annotation ${JSON.stringify(a)}`;
    }
  }
  return null;
}

function checkRange(engine: Engine, storage: TestStorage, cmd: EvalCmd): string | null {
  const o = run(() => engine.rangeQuery(storage, cmd.expr, cmd.start, cmd.end, cmd.step));
  const err = checkError(cmd, o);
  if (err === 'done') return null;
  if (err !== null) return err;
  const ann = checkAnnotations(cmd, o);
  if (ann) return ann;
  return compareResult(cmd, o.value!, { start: cmd.start, end: cmd.end, step: cmd.step }, expects(cmd, 'ordered').length > 0);
}

/** The expression with every selector and subquery outside subqueries pinned to `t`, or null. */
function pinned(engine: Engine, text: string, t: number): Expr | null {
  let expr: Expr;
  try {
    expr = engine.parse(text);
  } catch {
    return null;
  }
  let unsafe = false;
  inspect(expr, (n) => {
    switch (n.type) {
      case 'VectorSelector':
        if (n.timestamp === null && n.startOrEnd === null) n.timestamp = t;
        break;
      case 'SubqueryExpr':
        if (n.timestamp === null && n.startOrEnd === null) n.timestamp = t;
        return false;
      case 'Call':
        if (AT_UNSAFE.has(n.func.name)) unsafe = true;
        break;
    }
    return true;
  });
  return unsafe ? null : expr;
}

function checkInstant(engine: Engine, storage: TestStorage, cmd: EvalCmd): string | null {
  const t = cmd.start;
  const first = checkInstantAt(engine, storage, cmd, cmd.expr, t, true);
  if (first !== null) return first;
  const pinnedExpr = pinned(engine, cmd.expr, t);
  if (!pinnedExpr) return null;
  const times = t === 0 ? [0, 1e3, 1e4, 1e5, 1e6, 1e7] : [-10 * t, 0, Math.trunc(t / 5), t, 10 * t];
  for (const at of times) {
    // Each run resolves durations in its own copy of the tree.
    const variant = pinned(engine, cmd.expr, t)!;
    const msg = checkInstantAt(engine, storage, cmd, variant, at, false);
    if (msg !== null) return `with @ ${t / 1000} evaluated at ${at / 1000}: ${msg}`;
  }
  return null;
}

/** Uses start(), end(), range() or step(), whose values differ between instant and range mode. */
function queryShaped(engine: Engine, text: string): boolean {
  let found = false;
  const dur = (d: DurationNode | null): void => {
    if (d && dependsOnQuery(d)) found = true;
  };
  inspect(engine.parse(text), (n) => {
    if (n.type === 'Call' && QUERY_SHAPE.has(n.func.name)) found = true;
    if (n.type === 'VectorSelector') dur(n.originalOffsetExpr);
    if (n.type === 'MatrixSelector') dur(n.rangeExpr);
    if (n.type === 'SubqueryExpr') {
      dur(n.rangeExpr);
      dur(n.stepExpr);
      dur(n.originalOffsetExpr);
    }
  });
  return found;
}

function checkInstantAt(engine: Engine, storage: TestStorage, cmd: EvalCmd, q: string | Expr, t: number, annotations: boolean): string | null {
  const o = run(() => engine.instantQuery(storage, q, t));
  const err = checkError(cmd, o);
  if (err === 'done') return null;
  if (err !== null) return err;
  if (annotations) {
    const ann = checkAnnotations(cmd, o);
    if (ann) return ann;
  }
  const ordered = expects(cmd, 'ordered').length > 0;
  const axis: ExpectedAxis = cmd.rangeVector ?? { start: t, end: t, step: 0 };
  const msg = compareResult(cmd, o.value!, axis, ordered);
  if (msg !== null) return msg;
  const v = o.value!;
  if (ordered || v.type === 'matrix' || v.type === 'string' || queryShaped(engine, cmd.expr)) return null;
  // The same query as a range query must give the same values at the middle step.
  const rq = typeof q === 'string' ? q : pinned(engine, cmd.expr, cmd.start)!;
  const r = run(() => engine.rangeQuery(storage, rq, t - 60000, t + 60000, 60000));
  if (r.error) return `error in range mode: ${r.error.message}`;
  const m = r.value!;
  if (m.type !== 'matrix') return 'range mode did not return a matrix';
  const labels: Labels[] = [];
  const vals: number[] = [];
  for (const s of m.series) {
    for (let i = 0; i < s.timestamps.length; i++) {
      if (s.timestamps[i] === t) {
        labels.push(s.labels);
        vals.push(s.values[i]);
        break;
      }
    }
  }
  let mid: Value;
  if (v.type === 'scalar') {
    if (vals.length === 0) return 'range mode returned no value at the middle step for a scalar';
    mid = new Scalar(t, vals[0]);
  } else {
    mid = new Vector(labels, new Float64Array(vals.length).fill(t), Float64Array.from(vals));
  }
  const rm = compareResult(cmd, mid, axis, false);
  return rm === null ? null : `in range mode: ${rm}`;
}
