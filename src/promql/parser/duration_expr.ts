/**
 * Evaluation of duration expressions (`[5m+1m]`, `offset (1h*2)`, `[step()]`). Values are seconds
 * as floats while evaluating and integer milliseconds once stored in the AST.
 */
import type { DurationNode, Expr, PositionRange } from './ast.js';
import { inspect } from './ast.js';
import { DurationExprError } from './errors.js';

/** Query-dependent inputs: the range query's step and its total range (end - start). */
export interface DurationContext {
  stepMs: number;
  rangeMs: number;
}

/** Largest duration, in seconds, that Prometheus can represent (int64 nanoseconds). */
const MAX_SECONDS = 2 ** 63 / 1e9;

/** Whether the expression uses step() or range() and so can only be evaluated per query. */
export function dependsOnQuery(node: DurationNode): boolean {
  if (node.type === 'NumberLiteral') return false;
  if (node.op === 'step' || node.op === 'range') return true;
  return (node.lhs !== null && dependsOnQuery(node.lhs)) || (node.rhs !== null && dependsOnQuery(node.rhs));
}

/** Evaluates to seconds. `ctx` may be omitted for expressions without step()/range(). */
export function evalDurationSeconds(node: DurationNode, ctx?: DurationContext): number {
  if (node.type === 'NumberLiteral') return node.value;
  switch (node.op) {
    case 'step':
    case 'range':
      if (ctx === undefined) throw new DurationExprError(`${node.op}() needs a query context`, node.posRange);
      return (node.op === 'step' ? ctx.stepMs : ctx.rangeMs) / 1000;
  }
  const rhs = evalDurationSeconds(node.rhs!, ctx);
  if (node.lhs === null) return node.op === '-' ? -rhs : rhs;
  const lhs = evalDurationSeconds(node.lhs, ctx);
  switch (node.op) {
    case '+':
      return lhs + rhs;
    case '-':
      return lhs - rhs;
    case '*':
      return lhs * rhs;
    case '/':
      if (rhs === 0) throw new DurationExprError('division by zero', node.rhs!.posRange);
      return lhs / rhs;
    case '%':
      if (rhs === 0) throw new DurationExprError('modulo by zero', node.rhs!.posRange);
      return lhs % rhs;
    case '^':
      return Math.pow(lhs, rhs);
    case 'min_of':
      return Math.min(lhs, rhs);
    case 'max_of':
      return Math.max(lhs, rhs);
  }
}

/**
 * Converts seconds to integer milliseconds. Rounds to the nearest millisecond so that values
 * such as 1.001 s (1000.9999999999999 ms in floating point) keep the millisecond they were
 * written with.
 */
export function secondsToMs(seconds: number, pos: PositionRange): number {
  if (!Number.isFinite(seconds) || Math.abs(seconds) > MAX_SECONDS) {
    throw new DurationExprError('duration out of range', pos);
  }
  return Math.sign(seconds) * Math.round(Math.abs(seconds) * 1000) + 0;
}

/** Evaluates a duration expression to milliseconds. */
export function evalDurationMs(node: DurationNode, ctx?: DurationContext): number {
  return secondsToMs(evalDurationSeconds(node, ctx), node.posRange);
}

function positiveMs(node: DurationNode, ctx: DurationContext): number {
  const ms = evalDurationMs(node, ctx);
  if (ms <= 0) throw new DurationExprError('duration must be greater than 0', node.posRange);
  return ms;
}

/**
 * Fills in ranges, steps and offsets written with step() or range() for one query, in place.
 * Expressions without them were already evaluated by the parser.
 */
export function resolveDurationExprs(expr: Expr, ctx: DurationContext): void {
  inspect(expr, (node) => {
    switch (node.type) {
      case 'MatrixSelector':
        if (node.rangeExpr !== null && dependsOnQuery(node.rangeExpr)) {
          node.range = positiveMs(node.rangeExpr, ctx);
        }
        break;
      case 'SubqueryExpr':
        if (node.rangeExpr !== null && dependsOnQuery(node.rangeExpr)) {
          node.range = positiveMs(node.rangeExpr, ctx);
        }
        if (node.stepExpr !== null && dependsOnQuery(node.stepExpr)) {
          node.step = evalDurationMs(node.stepExpr, ctx);
          if (node.step < 0) throw new DurationExprError('duration must be greater than 0', node.stepExpr.posRange);
        }
        if (node.originalOffsetExpr !== null && dependsOnQuery(node.originalOffsetExpr)) {
          node.originalOffset = evalDurationMs(node.originalOffsetExpr, ctx);
          node.offset = node.originalOffset;
        }
        break;
      case 'VectorSelector':
        if (node.originalOffsetExpr !== null && dependsOnQuery(node.originalOffsetExpr)) {
          node.originalOffset = evalDurationMs(node.originalOffsetExpr, ctx);
          node.offset = node.originalOffset;
        }
        break;
    }
  });
}
