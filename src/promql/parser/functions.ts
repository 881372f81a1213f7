/** The PromQL function table (Prometheus 3.x): names, argument types, variadic counts, result types. */
import type { FunctionDef, ValueType } from './ast.js';

const S: ValueType = 'scalar';
const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const STR: ValueType = 'string';

function fn(
  name: string,
  argTypes: ValueType[],
  returnType: ValueType,
  opts: { variadic?: number; experimental?: boolean } = {},
): FunctionDef {
  return Object.freeze({
    name,
    argTypes: Object.freeze(argTypes),
    variadic: opts.variadic ?? 0,
    returnType,
    experimental: opts.experimental ?? false,
  });
}

const X = { experimental: true };

// Instant-vector-in, instant-vector-out functions with one argument.
const simpleVector = [
  'abs', 'absent', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'ceil', 'cos', 'cosh', 'deg',
  'exp', 'floor', 'histogram_avg', 'histogram_count', 'histogram_stddev', 'histogram_stdvar',
  'histogram_sum', 'ln', 'log10', 'log2', 'rad', 'sgn', 'sin', 'sinh', 'sort', 'sort_desc', 'sqrt',
  'tan', 'tanh', 'timestamp',
];

// Range-vector-in, instant-vector-out functions with one argument.
const simpleRange = [
  'absent_over_time', 'avg_over_time', 'changes', 'count_over_time', 'delta', 'deriv',
  'first_over_time', 'idelta', 'increase', 'irate', 'last_over_time', 'max_over_time',
  'min_over_time', 'present_over_time', 'rate', 'resets', 'stddev_over_time', 'stdvar_over_time',
  'sum_over_time',
];

const experimentalRange = [
  'mad_over_time', 'ts_of_first_over_time', 'ts_of_last_over_time', 'ts_of_max_over_time',
  'ts_of_min_over_time',
];

// Date functions take an optional instant vector of timestamps (default: vector(time())).
const dateFunctions = [
  'day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute', 'month', 'year',
];

const all: FunctionDef[] = [
  ...simpleVector.map((n) => fn(n, [V], V)),
  ...simpleRange.map((n) => fn(n, [M], V)),
  ...experimentalRange.map((n) => fn(n, [M], V, X)),
  ...dateFunctions.map((n) => fn(n, [V], V, { variadic: 1 })),
  fn('clamp', [V, S, S], V),
  fn('clamp_max', [V, S], V),
  fn('clamp_min', [V, S], V),
  fn('double_exponential_smoothing', [M, S, S], V, X),
  fn('end', [], S, X),
  fn('histogram_fraction', [S, S, V], V),
  fn('histogram_quantile', [S, V], V),
  fn('histogram_quantiles', [V, STR, S, S], V, { variadic: 9, experimental: true }),
  fn('info', [V, V], V, { variadic: 1, experimental: true }),
  fn('label_join', [V, STR, STR, STR], V, { variadic: -1 }),
  fn('label_replace', [V, STR, STR, STR, STR], V),
  fn('max_of', [S, S], S, X),
  fn('min_of', [S, S], S, X),
  fn('pi', [], S),
  fn('predict_linear', [M, S], V),
  fn('quantile_over_time', [S, M], V),
  fn('range', [], S, X),
  fn('round', [V, S], V, { variadic: 1 }),
  fn('start_timestamp', [V], V, X),
  fn('scalar', [V], S),
  fn('sort_by_label', [V, STR], V, { variadic: -1, experimental: true }),
  fn('sort_by_label_desc', [V, STR], V, { variadic: -1, experimental: true }),
  fn('start', [], S, X),
  fn('step', [], S, X),
  fn('time', [], S),
  fn('vector', [S], V),
];

/** Every PromQL function by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(all.map((f) => [f.name, f]));

export function getFunction(name: string): FunctionDef | undefined {
  return FUNCTIONS.get(name);
}

/** Functions that accept the `anchored` range modifier on their range-vector argument. */
export const ANCHORED_FUNCTIONS: ReadonlySet<string> = new Set(['changes', 'delta', 'increase', 'rate', 'resets']);
/** Functions that accept the `smoothed` range modifier on their range-vector argument. */
export const SMOOTHED_FUNCTIONS: ReadonlySet<string> = new Set(['delta', 'increase', 'rate']);
