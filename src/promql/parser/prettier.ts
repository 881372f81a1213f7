/**
 * Multi-line formatting like Prometheus's `parser.Prettify` (the API's format_query): any node
 * whose one-line form is longer than 100 bytes is split, children indented two spaces per level.
 */
import type { Expr } from './ast.js';
import { aggregateOpString, binaryOpString, exprToString, subquerySuffix } from './printer.js';

const MAX_LINE = 100;
const encoder = new TextEncoder();

function indent(level: number): string {
  return '  '.repeat(level);
}

function tooLong(s: string): boolean {
  // Prometheus measures bytes.
  return s.length > MAX_LINE || (s.length * 3 > MAX_LINE && encoder.encode(s).length > MAX_LINE);
}

function pretty(e: Expr, level: number): string {
  const flat = exprToString(e);
  const pad = indent(level);
  switch (e.type) {
    case 'AggregateExpr': {
      if (!tooLong(flat)) return pad + flat;
      const param = e.param !== null ? pretty(e.param, level + 1) + ',\n' : '';
      return `${pad}${aggregateOpString(e)}(\n${param}${pretty(e.expr, level + 1)}\n${pad})`;
    }
    case 'BinaryExpr':
      if (!tooLong(flat)) return pad + flat;
      return `${pretty(e.lhs, level + 1)}\n${pad}${binaryOpString(e)}\n${pretty(e.rhs, level + 1)}`;
    case 'Call':
      if (!tooLong(flat)) return pad + flat;
      return `${pad}${e.func.name}(\n${e.args.map((a) => pretty(a, level + 1)).join(',\n')}\n${pad})`;
    case 'ParenExpr':
      if (!tooLong(flat)) return pad + flat;
      return `${pad}(\n${pretty(e.expr, level + 1)}\n${pad})`;
    case 'SubqueryExpr':
      // Prometheus emits a short subquery without indentation; keep its output identical.
      if (!tooLong(flat)) return flat;
      return pretty(e.expr, level) + subquerySuffix(e);
    case 'UnaryExpr':
      return pad + e.op + pretty(e.expr, level).trim();
    case 'StepInvariantExpr':
      return pretty(e.expr, level);
    default:
      return pad + flat;
  }
}

/** Formats an expression over several lines where it is too long for one. */
export function prettify(e: Expr): string {
  return pretty(e, 0);
}
