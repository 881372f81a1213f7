/** The PromQL parser's public surface: AST, parsing, type checking, printing and helpers. */
export * from './ast.js';
export { FUNCTIONS, getFunction, ANCHORED_FUNCTIONS, SMOOTHED_FUNCTIONS } from './functions.js';
export { parseExpr, parseMetricSelector, ALL_FEATURES, type ParserOptions } from './parser.js';
export { ParseError, DurationExprError, formatPosition, lineColumn } from './errors.js';
export { documentedType, isComparisonOp, isSetOp } from './check.js';
export {
  exprToString,
  formatFloatF,
  formatFloatG,
  matcherToString,
  selectorToString,
  durationNodeToString,
} from './printer.js';
export { prettify } from './prettier.js';
export { toTreeJSON, type TreeJSON } from './tree_json.js';
export {
  resolveDurationExprs,
  evalDurationMs,
  dependsOnQuery,
  type DurationContext,
} from './duration_expr.js';
export { isWellFormed, quoteGo, unquote } from './strings.js';
