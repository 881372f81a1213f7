/**
 * Canonical single-line rendering of an expression, as Prometheus's `expr.String()` (used by the
 * API's format_query without prettifying and in error and annotation messages). The output
 * parses back to the same tree.
 */
import { formatDuration } from '../../model/duration.js';
import type { Matcher } from '../../model/matcher.js';
import type {
  AggregateExpr,
  AtPreprocessor,
  BinaryExpr,
  DurationNode,
  Expr,
  MatrixSelector,
  NumberLiteral,
  SubqueryExpr,
  VectorMatching,
  VectorSelector,
} from './ast.js';
import { quoteGo } from './strings.js';

/** Shortest round-trip digits of |v| and the decimal point position (value = 0.D × 10^dp). */
function shortestDigits(v: number): { digits: string; dp: number } {
  const [mant, exp] = Math.abs(v).toExponential().split('e');
  const digits = mant!.replace('.', '');
  return { digits, dp: Number(exp) + 1 };
}

function specialFloat(v: number): string | null {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return null;
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent. */
export function formatFloatF(v: number): string {
  const special = specialFloat(v);
  if (special !== null) return special;
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  if (v === 0) return sign + '0';
  const { digits, dp } = shortestDigits(v);
  if (dp <= 0) return sign + '0.' + '0'.repeat(-dp) + digits;
  if (dp >= digits.length) return sign + digits + '0'.repeat(dp - digits.length);
  return sign + digits.slice(0, dp) + '.' + digits.slice(dp);
}

/** Go's `%v` for a float64 (shortest `%g`): exponent form below 1e-4 and from 1e6 up. */
export function formatFloatG(v: number): string {
  const special = specialFloat(v);
  if (special !== null) return special;
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const { digits, dp } = shortestDigits(v);
  const exp = dp - 1;
  if (exp < -4 || exp >= 6) {
    const sign = v < 0 ? '-' : '';
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const e = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`;
  }
  return formatFloatF(v);
}

const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function labelName(name: string): string {
  return LEGACY_LABEL.test(name) ? name : quoteGo(name);
}

function labelList(names: readonly string[]): string {
  return names.map(labelName).join(', ');
}

/** A matcher as Prometheus prints it: `name="value"`, quoting names that need it. */
export function matcherToString(m: Matcher): string {
  return `${labelName(m.name)}${m.type}${quoteGo(m.value)}`;
}

function durationMs(ms: number): string {
  return formatDuration(ms);
}

export function durationNodeToString(n: DurationNode): string {
  if (n.type === 'NumberLiteral') return numberToString(n);
  let s: string;
  switch (n.op) {
    case 'step':
    case 'range':
      s = `${n.op}()`;
      break;
    case 'min_of':
    case 'max_of':
      s = `${n.op}(${durationNodeToString(n.lhs!)}, ${durationNodeToString(n.rhs!)})`;
      break;
    default:
      if (n.lhs === null) s = (n.op === '-' ? '-' : '') + durationNodeToString(n.rhs!);
      else s = `${durationNodeToString(n.lhs)} ${n.op} ${durationNodeToString(n.rhs!)}`;
  }
  return n.wrapped ? `(${s})` : s;
}

function numberToString(n: NumberLiteral): string {
  if (n.duration && Number.isFinite(n.value)) {
    const ms = Math.sign(n.value) * Math.round(Math.abs(n.value) * 1000);
    return ms < 0 ? '-' + durationMs(-ms) : durationMs(ms);
  }
  return formatFloatF(n.value);
}

function atString(timestamp: number | null, startOrEnd: AtPreprocessor | null): string {
  if (timestamp !== null) return ` @ ${(timestamp / 1000).toFixed(3)}`;
  if (startOrEnd !== null) return ` @ ${startOrEnd}()`;
  return '';
}

function offsetString(ms: number, expr: DurationNode | null): string {
  if (expr !== null) return ` offset ${durationNodeToString(expr)}`;
  if (ms > 0) return ` offset ${durationMs(ms)}`;
  if (ms < 0) return ` offset -${durationMs(-ms)}`;
  return '';
}

function extendedString(vs: VectorSelector): string {
  if (vs.anchored) return ' anchored';
  if (vs.smoothed) return ' smoothed';
  return '';
}

/** The selector part `name{matchers}` without modifiers. */
export function selectorToString(vs: VectorSelector): string {
  const parts: string[] = [];
  for (const m of vs.matchers) {
    // The name matcher implied by a name outside the braces is printed as that name.
    if (m.name === '__name__' && m.type === '=' && m.value === vs.name && m.value !== '') continue;
    parts.push(matcherToString(m));
  }
  if (parts.length === 0) return vs.name;
  parts.sort();
  return `${vs.name}{${parts.join(',')}}`;
}

function vectorSelectorToString(vs: VectorSelector): string {
  return (
    selectorToString(vs) +
    atString(vs.timestamp, vs.startOrEnd) +
    extendedString(vs) +
    offsetString(vs.originalOffset, vs.originalOffsetExpr)
  );
}

function rangeString(ms: number, expr: DurationNode | null): string {
  return expr !== null ? durationNodeToString(expr) : durationMs(ms);
}

function matrixToString(m: MatrixSelector): string {
  const vs = m.vectorSelector;
  return (
    `${selectorToString(vs)}[${rangeString(m.range, m.rangeExpr)}]` +
    extendedString(vs) +
    atString(vs.timestamp, vs.startOrEnd) +
    offsetString(vs.originalOffset, vs.originalOffsetExpr)
  );
}

/** `[range:step] @ t offset d` of a subquery. */
export function subquerySuffix(s: SubqueryExpr): string {
  let step = '';
  if (s.stepExpr !== null) step = durationNodeToString(s.stepExpr);
  else if (s.step !== 0) step = durationMs(s.step);
  return (
    `[${rangeString(s.range, s.rangeExpr)}:${step}]` +
    atString(s.timestamp, s.startOrEnd) +
    offsetString(s.originalOffset, s.originalOffsetExpr)
  );
}

/** `sum by (job) ` / `sum without (a) ` / `sum`: the operator and its grouping. */
export function aggregateOpString(a: AggregateExpr): string {
  if (a.without) return `${a.op} without (${labelList(a.grouping)}) `;
  if (a.grouping.length > 0) return `${a.op} by (${labelList(a.grouping)}) `;
  return a.op;
}

function matchingString(vm: VectorMatching | null): string {
  if (vm === null) return '';
  let s = '';
  const grouped = vm.card === 'many-to-one' || vm.card === 'one-to-many';
  if (vm.matchingLabels.length > 0 || vm.on || grouped) {
    s += ` ${vm.on ? 'on' : 'ignoring'} (${labelList(vm.matchingLabels)})`;
  }
  if (grouped) s += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${labelList(vm.include)})`;
  const { lhs, rhs } = vm.fillValues;
  if (lhs !== null && rhs !== null && Object.is(lhs, rhs)) s += ` fill (${formatFloatG(lhs)})`;
  else {
    if (lhs !== null) s += ` fill_left (${formatFloatG(lhs)})`;
    if (rhs !== null) s += ` fill_right (${formatFloatG(rhs)})`;
  }
  return s;
}

/** The operator with its modifiers: `+`, `== bool`, `* on (a) group_left (b)`. */
export function binaryOpString(b: BinaryExpr): string {
  return b.op + (b.returnBool ? ' bool' : '') + matchingString(b.vectorMatching);
}

/** Renders an expression on one line, like Prometheus's String(). */
export function exprToString(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      return numberToString(e);
    case 'StringLiteral':
      return quoteGo(e.value);
    case 'VectorSelector':
      return vectorSelectorToString(e);
    case 'MatrixSelector':
      return matrixToString(e);
    case 'SubqueryExpr':
      return exprToString(e.expr) + subquerySuffix(e);
    case 'ParenExpr':
      return `(${exprToString(e.expr)})`;
    case 'UnaryExpr':
      return e.op + exprToString(e.expr);
    case 'BinaryExpr':
      return `${exprToString(e.lhs)} ${binaryOpString(e)} ${exprToString(e.rhs)}`;
    case 'AggregateExpr':
      return `${aggregateOpString(e)}(${e.param !== null ? exprToString(e.param) + ', ' : ''}${exprToString(e.expr)})`;
    case 'Call':
      return `${e.func.name}(${e.args.map(exprToString).join(', ')})`;
    case 'StepInvariantExpr':
      return exprToString(e.expr);
  }
}
