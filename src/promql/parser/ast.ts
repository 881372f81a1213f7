/**
 * PromQL abstract syntax tree. Every node is a plain object discriminated on `type` and carries
 * `posRange`, the half-open range [start, end) of UTF-16 code-unit offsets into the query text.
 *
 * Times and durations are integer milliseconds. The parser never evaluates anything; the engine
 * reads these nodes and may fill in the fields documented as "set by the engine".
 */
import type { Matcher } from '../../model/matcher.js';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export interface PositionRange {
  start: number;
  end: number;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
/** Native histogram trim operators: `</` keeps observations below, `>/` above a threshold. */
export type TrimOp = '</' | '>/';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp | TrimOp;

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'count_values'
  | 'quantile'
  | 'limitk'
  | 'limit_ratio';

/** `@ start()` / `@ end()`: resolved by the engine to the query's start or end time. */
export type AtPreprocessor = 'start' | 'end';

export type VectorMatchCardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface FunctionDef {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  /** 0: exactly argTypes.length args; n > 0: up to n more of the last type; -1: unlimited more. */
  readonly variadic: number;
  readonly returnType: ValueType;
  /** Needs `enableExperimentalFunctions`. */
  readonly experimental: boolean;
}

export interface NumberLiteral {
  type: 'NumberLiteral';
  value: number;
  /** Written as a duration (`5m`) where a number was expected; the printer keeps that form. */
  duration: boolean;
  posRange: PositionRange;
}

export interface StringLiteral {
  type: 'StringLiteral';
  value: string;
  posRange: PositionRange;
}

export interface VectorSelector {
  type: 'VectorSelector';
  /** Metric name, or '' when only given by a `__name__` matcher. */
  name: string;
  /** All matchers, including the `__name__="name"` matcher implied by `name`. */
  matchers: Matcher[];
  /** Offset as written in the query (after evaluating a constant duration expression). */
  originalOffset: number;
  /** The offset written as a duration expression, or null for a plain literal or none. */
  originalOffsetExpr: DurationNode | null;
  /** Effective offset; the parser sets it to originalOffset, the engine may adjust it. */
  offset: number;
  /** `@` timestamp in ms, or null. */
  timestamp: number | null;
  /** `@ start()` / `@ end()`, or null. */
  startOrEnd: AtPreprocessor | null;
  /** `anchored` range modifier (experimental extended range selectors). */
  anchored: boolean;
  /** `smoothed` range modifier (experimental extended range selectors). */
  smoothed: boolean;
  /** True for the label-selector argument of info(), which may consist of empty matchers. */
  bypassEmptyMatcherCheck: boolean;
  posRange: PositionRange;
}

export interface MatrixSelector {
  type: 'MatrixSelector';
  vectorSelector: VectorSelector;
  /** Range in ms (0 until the engine resolves a non-constant rangeExpr such as `[step()]`). */
  range: number;
  /** Range written as a duration expression (`[5m+1m]`), or null for a plain duration. */
  rangeExpr: DurationNode | null;
  posRange: PositionRange;
}

export interface SubqueryExpr {
  type: 'SubqueryExpr';
  expr: Expr;
  range: number;
  rangeExpr: DurationNode | null;
  /** Resolution step in ms; 0 means the engine's default evaluation interval. */
  step: number;
  stepExpr: DurationNode | null;
  originalOffset: number;
  originalOffsetExpr: DurationNode | null;
  offset: number;
  timestamp: number | null;
  startOrEnd: AtPreprocessor | null;
  posRange: PositionRange;
}

export interface ParenExpr {
  type: 'ParenExpr';
  expr: Expr;
  posRange: PositionRange;
}

export interface UnaryExpr {
  type: 'UnaryExpr';
  op: '+' | '-';
  expr: Expr;
  posRange: PositionRange;
}

export interface FillValues {
  /** Value used for a series missing on the left side, or null for no filling. */
  lhs: number | null;
  rhs: number | null;
}

export interface VectorMatching {
  card: VectorMatchCardinality;
  /** Labels listed in on(...) or ignoring(...). */
  matchingLabels: string[];
  /** true for on(...), false for ignoring(...) or no clause. */
  on: boolean;
  /** Extra labels listed in group_left(...) / group_right(...). */
  include: string[];
  /** fill(...) / fill_left(...) / fill_right(...) modifiers (experimental). */
  fillValues: FillValues;
}

export interface BinaryExpr {
  type: 'BinaryExpr';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** `bool` modifier on a comparison. */
  returnBool: boolean;
  /** Present when both sides are instant vectors, null otherwise. */
  vectorMatching: VectorMatching | null;
  posRange: PositionRange;
}

export interface AggregateExpr {
  type: 'AggregateExpr';
  op: AggregateOp;
  expr: Expr;
  /** Parameter of topk, bottomk, quantile, count_values, limitk, limit_ratio; else null. */
  param: Expr | null;
  grouping: string[];
  without: boolean;
  posRange: PositionRange;
}

export interface Call {
  type: 'Call';
  func: FunctionDef;
  args: Expr[];
  posRange: PositionRange;
}

/** Marks a subtree whose result does not depend on the evaluation step. Only the engine creates it. */
export interface StepInvariantExpr {
  type: 'StepInvariantExpr';
  expr: Expr;
  posRange: PositionRange;
}

export type DurationOp = '+' | '-' | '*' | '/' | '%' | '^' | 'step' | 'range' | 'min_of' | 'max_of';

/**
 * Arithmetic on durations inside `[...]`, after `offset` and after `:` of a subquery.
 * Leaves are NumberLiterals holding seconds. Unary minus/plus has lhs null. `step`/`range`
 * (the query step and range) have no operands. `min_of`/`max_of` use lhs and rhs.
 */
export interface DurationExpr {
  type: 'DurationExpr';
  op: DurationOp;
  lhs: DurationNode | null;
  rhs: DurationNode | null;
  /** Written inside parentheses. */
  wrapped: boolean;
  posRange: PositionRange;
}

export type DurationNode = NumberLiteral | DurationExpr;

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | AggregateExpr
  | Call
  | StepInvariantExpr;

export type Node = Expr | DurationExpr;

/** The type an expression evaluates to (the parser has already checked the tree). */
export function exprType(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
    case 'AggregateExpr':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      return exprType(e.expr);
    case 'BinaryExpr':
      return exprType(e.lhs) === 'scalar' && exprType(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'Call':
      return e.func.returnType;
  }
}

/** Direct child expressions, in source order. Duration expressions are not included. */
export function children(e: Expr): Expr[] {
  switch (e.type) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
      return [];
    case 'MatrixSelector':
      return [e.vectorSelector];
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      return [e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
    case 'AggregateExpr':
      return e.param === null ? [e.expr] : [e.param, e.expr];
    case 'Call':
      return e.args;
  }
}

/**
 * Depth-first pre-order walk. `visit` gets each node and the path of its ancestors (outermost
 * first); returning false skips that node's children.
 */
export function inspect(e: Expr, visit: (node: Expr, path: readonly Expr[]) => boolean | void): void {
  const path: Expr[] = [];
  const walk = (n: Expr): void => {
    if (visit(n, path) === false) return;
    path.push(n);
    for (const c of children(n)) walk(c);
    path.pop();
  };
  walk(e);
}

/** The matchers of every vector selector in the tree, in source order (e.g. for federation). */
export function extractSelectors(e: Expr): Matcher[][] {
  const out: Matcher[][] = [];
  inspect(e, (n) => {
    if (n.type === 'VectorSelector') out.push(n.matchers);
  });
  return out;
}
