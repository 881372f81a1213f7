/**
 * The JSON tree that Prometheus's /api/v1/parse_query returns and its UI's "Explain" view reads.
 * Field names and value shapes follow that API; durations and timestamps are milliseconds.
 */
import type { Matcher } from '../../model/matcher.js';
import type { Expr } from './ast.js';
import { formatFloatF } from './printer.js';

export type TreeJSON = { [key: string]: unknown };

function matchers(ms: readonly Matcher[]): TreeJSON[] {
  return ms.map((m) => ({ name: m.name, value: m.value, type: m.type }));
}

/** Converts a parsed expression to parse_query's JSON shape. */
export function toTreeJSON(e: Expr): TreeJSON {
  switch (e.type) {
    case 'AggregateExpr':
      return {
        type: 'aggregation',
        op: e.op,
        expr: toTreeJSON(e.expr),
        param: e.param === null ? null : toTreeJSON(e.param),
        grouping: e.grouping,
        without: e.without,
      };
    case 'BinaryExpr': {
      const m = e.vectorMatching;
      return {
        type: 'binaryExpr',
        op: e.op,
        lhs: toTreeJSON(e.lhs),
        rhs: toTreeJSON(e.rhs),
        matching:
          m === null
            ? null
            : {
                card: m.card,
                labels: m.matchingLabels,
                on: m.on,
                include: m.include,
                fillValues: { lhs: m.fillValues.lhs, rhs: m.fillValues.rhs },
              },
        bool: e.returnBool,
      };
    }
    case 'Call':
      return {
        type: 'call',
        func: {
          name: e.func.name,
          argTypes: e.func.argTypes,
          variadic: e.func.variadic,
          returnType: e.func.returnType,
        },
        args: e.args.map(toTreeJSON),
      };
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      return {
        type: 'matrixSelector',
        name: vs.name,
        range: e.range,
        offset: vs.originalOffset,
        matchers: matchers(vs.matchers),
        timestamp: vs.timestamp,
        startOrEnd: vs.startOrEnd,
        anchored: vs.anchored,
        smoothed: vs.smoothed,
      };
    }
    case 'SubqueryExpr':
      return {
        type: 'subquery',
        expr: toTreeJSON(e.expr),
        range: e.range,
        offset: e.originalOffset,
        step: e.step,
        timestamp: e.timestamp,
        startOrEnd: e.startOrEnd,
        alignEvalTime: false,
      };
    case 'NumberLiteral':
      return { type: 'numberLiteral', val: formatFloatF(e.value) };
    case 'ParenExpr':
      return { type: 'parenExpr', expr: toTreeJSON(e.expr) };
    case 'StringLiteral':
      return { type: 'stringLiteral', val: e.value };
    case 'UnaryExpr':
      return { type: 'unaryExpr', op: e.op, expr: toTreeJSON(e.expr) };
    case 'VectorSelector':
      return {
        type: 'vectorSelector',
        name: e.name,
        offset: e.originalOffset,
        matchers: matchers(e.matchers),
        timestamp: e.timestamp,
        startOrEnd: e.startOrEnd,
        anchored: e.anchored,
        smoothed: e.smoothed,
      };
    case 'StepInvariantExpr':
      return toTreeJSON(e.expr);
  }
}
