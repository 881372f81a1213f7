/** Function dispatch: every implemented PromQL function by name. */
import { QueryError } from '../annotations.js';
import type { Evaluator } from '../evaluator.js';
import type { Call } from '../parser/ast.js';
import type { EvalValue, Grid } from '../series.js';
import type { FuncImpl } from './common.js';
import { checkModifier } from './extended.js';
import { histogramFunctions } from './histogram.js';
import { infoFunctions } from './info.js';
import { labelFunctions } from './label.js';
import { mathFunctions } from './math.js';
import { overTimeFunctions } from './over_time.js';
import { rateFunctions } from './rate.js';
import { sortFunctions } from './sort.js';
import { timeFunctions } from './time.js';
import { vectorFunctions } from './vector.js';

const IMPLS: ReadonlyMap<string, FuncImpl> = new Map(
  Object.entries({
    ...mathFunctions,
    ...timeFunctions,
    ...rateFunctions,
    ...overTimeFunctions,
    ...labelFunctions,
    ...sortFunctions,
    ...histogramFunctions,
    ...vectorFunctions,
    ...infoFunctions,
  }),
);

export function evalCall(ev: Evaluator, call: Call, g: Grid): EvalValue {
  const impl = IMPLS.get(call.func.name);
  if (!impl) throw new QueryError(`function "${call.func.name}" is not supported`);
  checkModifier(call);
  return impl(ev, call, g);
}
