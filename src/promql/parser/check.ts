/**
 * Type checking of a parsed expression, with Prometheus's rules and messages. It walks the tree
 * in the same order as Prometheus so that the first reported problem is the same one.
 */
import type { BinaryExpr, Expr, PositionRange, ValueType } from './ast.js';
import { exprType } from './ast.js';
import { ParseError } from './errors.js';
import { quoteGo } from './strings.js';

/** How types are named in messages. */
export function documentedType(t: ValueType): string {
  switch (t) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return t;
  }
}

const COMPARISON_OPS: ReadonlySet<string> = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS: ReadonlySet<string> = new Set(['and', 'or', 'unless']);

export function isComparisonOp(op: string): boolean {
  return COMPARISON_OPS.has(op);
}
export function isSetOp(op: string): boolean {
  return SET_OPS.has(op);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

class Checker {
  constructor(private readonly input: string) {}

  private fail(range: PositionRange, reason: string): never {
    throw new ParseError(reason, { start: range.start, end: range.end }, this.input);
  }

  private expectType(e: Expr, want: ValueType, context: string): void {
    const t = this.check(e);
    if (t !== want) this.fail(e.posRange, `expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`);
  }

  /** The operator and its modifiers, between the operands, without surrounding spaces. */
  private opRange(n: BinaryExpr): PositionRange {
    let start = n.lhs.posRange.end;
    while (start < n.rhs.posRange.start && isSpace(this.input.charCodeAt(start))) start++;
    let end = n.rhs.posRange.start - 1;
    while (end > start && isSpace(this.input.charCodeAt(end))) end--;
    return { start, end };
  }

  /** Checks `e` and its children; returns its type (computed from the children's, in one pass). */
  check(e: Expr): ValueType {
    switch (e.type) {
      case 'AggregateExpr':
        this.expectType(e.expr, 'vector', 'aggregation expression');
        if (e.param !== null) {
          this.expectType(e.param, e.op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
        }
        break;
      case 'BinaryExpr': {
        const lt = this.check(e.lhs);
        const rt = this.check(e.rhs);
        const vm = e.vectorMatching;
        if (e.returnBool && !isComparisonOp(e.op)) {
          this.fail(this.opRange(e), 'bool modifier can only be used on comparison operators');
        }
        if (isComparisonOp(e.op) && !e.returnBool && lt === 'scalar' && rt === 'scalar') {
          this.fail(this.opRange(e), 'comparisons between scalars must use BOOL modifier');
        }
        if (vm !== null) {
          if (isSetOp(e.op) && vm.card === 'one-to-one') vm.card = 'many-to-many';
          if (vm.on) {
            for (const l of vm.matchingLabels) {
              if (vm.include.includes(l)) {
                this.fail(this.opRange(e), `label ${quoteGo(l)} must not occur in ON and GROUP clause at once`);
              }
            }
          }
        }
        if (lt !== 'scalar' && lt !== 'vector') {
          this.fail(e.lhs.posRange, 'binary expression must contain only scalar and instant vector types');
        }
        if (rt !== 'scalar' && rt !== 'vector') {
          this.fail(e.rhs.posRange, 'binary expression must contain only scalar and instant vector types');
        }
        if (vm !== null) {
          const filled = vm.fillValues.lhs !== null || vm.fillValues.rhs !== null;
          if (lt !== 'vector' || rt !== 'vector') {
            if (vm.matchingLabels.length > 0) this.fail(e.posRange, 'vector matching only allowed between instant vectors');
            if (filled) this.fail(e.posRange, 'filling in missing series only allowed between instant vectors');
            e.vectorMatching = null;
          } else if (isSetOp(e.op)) {
            if (vm.card === 'one-to-many' || vm.card === 'many-to-one') {
              this.fail(e.posRange, `no grouping allowed for ${quoteGo(e.op)} operation`);
            }
            if (vm.card !== 'many-to-many') this.fail(e.posRange, 'set operations must always be many-to-many');
            if (filled) this.fail(e.posRange, 'filling in missing series not allowed for set operators');
          }
        }
        if ((lt === 'scalar' || rt === 'scalar') && isSetOp(e.op)) {
          this.fail(e.posRange, `set operator ${quoteGo(e.op)} not allowed in binary scalar expression`);
        }
        return lt === 'scalar' && rt === 'scalar' ? 'scalar' : 'vector';
      }
      case 'Call': {
        const f = e.func;
        const nargs = f.argTypes.length;
        const name = quoteGo(f.name);
        if (f.variadic === 0) {
          if (nargs !== e.args.length) {
            this.fail(e.posRange, `expected ${nargs} argument(s) in call to ${name}, got ${e.args.length}`);
          }
        } else {
          const min = nargs - 1;
          if (min > e.args.length) {
            this.fail(e.posRange, `expected at least ${min} argument(s) in call to ${name}, got ${e.args.length}`);
          }
          if (f.variadic > 0 && min + f.variadic < e.args.length) {
            this.fail(e.posRange, `expected at most ${min + f.variadic} argument(s) in call to ${name}, got ${e.args.length}`);
          }
        }
        if (f.name === 'info' && e.args.length > 1) {
          const sel = e.args[1]!;
          const t = exprType(sel);
          if (t !== 'vector') {
            this.fail(e.posRange, `expected type instant vector in call to function ${name}, got ${documentedType(t)}`);
          }
          if (sel.type !== 'VectorSelector') this.fail(sel.posRange, 'expected label selectors only');
          if (sel.name !== '') this.fail(sel.posRange, 'expected label selectors only, got vector selector instead');
          sel.bypassEmptyMatcherCheck = true;
        }
        for (let i = 0; i < e.args.length; i++) {
          if (i >= nargs && f.variadic === 0) break;
          const want = f.argTypes[Math.min(i, nargs - 1)]!;
          const arg = e.args[i]!;
          const t = this.check(arg);
          if (t !== want) {
            this.fail(arg.posRange, `expected type ${documentedType(want)} in call to function ${name}, got ${documentedType(t)}`);
          }
        }
        break;
      }
      case 'ParenExpr':
      case 'StepInvariantExpr':
        return this.check(e.expr);
      case 'UnaryExpr': {
        const t = this.check(e.expr);
        if (t !== 'scalar' && t !== 'vector') {
          this.fail(e.posRange, `unary expression only allowed on expressions of type scalar or instant vector, got ${quoteGo(documentedType(t))}`);
        }
        return t;
      }
      case 'SubqueryExpr': {
        const t = this.check(e.expr);
        if (t !== 'vector') this.fail(e.posRange, `subquery is only allowed on instant vector, got ${t} instead`);
        break;
      }
      case 'MatrixSelector':
        this.check(e.vectorSelector);
        break;
      case 'VectorSelector':
        if (e.name !== '') {
          // The last matcher is the one for the name outside the braces.
          for (const m of e.matchers.slice(0, -1)) {
            if (m.name === '__name__') {
              this.fail(e.posRange, `metric name must not be set twice: ${quoteGo(e.name)} or ${quoteGo(m.value)}`);
            }
          }
        } else if (!e.bypassEmptyMatcherCheck && !e.matchers.some((m) => !m.matchesEmpty())) {
          // Refuse selectors that would match every series, which is almost always a typo.
          this.fail(e.posRange, 'vector selector must contain at least one non-empty matcher');
        }
        break;
      case 'NumberLiteral':
      case 'StringLiteral':
        break;
    }
    return exprType(e);
  }
}

/** Type-checks a parsed expression; throws ParseError on the first problem. */
export function checkAST(e: Expr, input: string): void {
  new Checker(input).check(e);
}
