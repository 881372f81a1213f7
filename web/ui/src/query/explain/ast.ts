// The expression tree of /api/v1/parse_query (Prometheus 3's shape; durations and timestamps in
// milliseconds), printed back to PromQL for each node of the Explain view.
import { formatDuration } from '../../time';

interface LabelMatcher {
  type: '=' | '!=' | '=~' | '!~';
  name: string;
  value: string;
}

interface SelectorFields {
  name: string;
  matchers: LabelMatcher[];
  offset: number;
  timestamp: number | null;
  startOrEnd: 'start' | 'end' | null;
  anchored?: boolean;
  smoothed?: boolean;
}

export type AstNode =
  | { type: 'aggregation'; op: string; expr: AstNode; param: AstNode | null; grouping: string[]; without: boolean }
  | {
      type: 'binaryExpr';
      op: string;
      lhs: AstNode;
      rhs: AstNode;
      matching: { card: string; labels: string[]; on: boolean; include: string[] } | null;
      bool: boolean;
    }
  | { type: 'call'; func: { name: string }; args: AstNode[] }
  | ({ type: 'matrixSelector'; range: number } & SelectorFields)
  | ({ type: 'vectorSelector' } & SelectorFields)
  | { type: 'subquery'; expr: AstNode; range: number; offset: number; step: number; timestamp: number | null; startOrEnd: 'start' | 'end' | null }
  | { type: 'numberLiteral'; val: string }
  | { type: 'stringLiteral'; val: string }
  | { type: 'parenExpr'; expr: AstNode }
  | { type: 'unaryExpr'; op: string; expr: AstNode };

/** The operands shown below a node in the tree, in PromQL order. */
export function children(n: AstNode): AstNode[] {
  switch (n.type) {
    case 'aggregation':
      return n.param ? [n.param, n.expr] : [n.expr];
    case 'binaryExpr':
      return [n.lhs, n.rhs];
    case 'call':
      return n.args;
    case 'subquery':
    case 'parenExpr':
    case 'unaryExpr':
      return [n.expr];
    default:
      return [];
  }
}

const IDENTIFIER = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Go's %q for the ASCII strings PromQL mostly holds; JSON's escaping agrees there. */
const quote = (s: string) => JSON.stringify(s);

function selector(n: SelectorFields): string {
  // A name that is not a PromQL identifier (UTF-8 names of Prometheus 3) goes inside the braces.
  const bareName = n.name && IDENTIFIER.test(n.name) ? n.name : '';
  const ms = n.matchers
    .filter((m) => !(bareName && m.name === '__name__' && m.type === '=' && m.value === bareName))
    .map((m) => (m.name === '__name__' && !bareName && m.type === '=' ? quote(m.value) : `${LABEL_NAME.test(m.name) ? m.name : quote(m.name)}${m.type}${quote(m.value)}`));
  return ms.length || !bareName ? `${bareName}{${ms.join(', ')}}` : bareName;
}

function modifiers(n: { offset: number; timestamp: number | null; startOrEnd: 'start' | 'end' | null }): string {
  let s = '';
  if (n.startOrEnd) s += ` @ ${n.startOrEnd}()`;
  else if (n.timestamp !== null) s += ` @ ${(n.timestamp / 1000).toFixed(3)}`;
  if (n.offset > 0) s += ` offset ${formatDuration(n.offset)}`;
  else if (n.offset < 0) s += ` offset -${formatDuration(-n.offset)}`;
  return s;
}

/** The node as PromQL, printed the way Prometheus prints expressions (one line). */
export function toPromQL(n: AstNode): string {
  switch (n.type) {
    case 'numberLiteral':
      return n.val;
    case 'stringLiteral':
      return quote(n.val);
    case 'vectorSelector':
      return selector(n) + modifiers(n) + (n.anchored ? ' anchored' : '') + (n.smoothed ? ' smoothed' : '');
    case 'matrixSelector':
      return `${selector(n)}[${formatDuration(n.range)}]${modifiers(n)}${n.anchored ? ' anchored' : ''}${n.smoothed ? ' smoothed' : ''}`;
    case 'subquery':
      return `${toPromQL(n.expr)}[${formatDuration(n.range)}:${n.step ? formatDuration(n.step) : ''}]${modifiers(n)}`;
    case 'parenExpr':
      return `(${toPromQL(n.expr)})`;
    case 'unaryExpr':
      return `${n.op}${toPromQL(n.expr)}`;
    case 'call':
      return `${n.func.name}(${n.args.map(toPromQL).join(', ')})`;
    case 'aggregation': {
      const grouping = n.without ? ` without (${n.grouping.join(', ')}) ` : n.grouping.length ? ` by (${n.grouping.join(', ')}) ` : '';
      return `${n.op}${grouping}(${n.param ? `${toPromQL(n.param)}, ` : ''}${toPromQL(n.expr)})`;
    }
    case 'binaryExpr': {
      let mod = n.bool ? ' bool' : '';
      const m = n.matching;
      if (m) {
        if (m.on || m.labels.length) mod += ` ${m.on ? 'on' : 'ignoring'} (${m.labels.join(', ')})`;
        if (m.card === 'many-to-one' || m.card === 'one-to-many') mod += ` ${m.card === 'many-to-one' ? 'group_left' : 'group_right'} (${m.include.join(', ')})`;
      }
      return `${toPromQL(n.lhs)} ${n.op}${mod} ${toPromQL(n.rhs)}`;
    }
  }
}

/** A short name for the node's kind, shown beside it. */
export function kindOf(n: AstNode): string {
  switch (n.type) {
    case 'aggregation':
      return `aggregation (${n.op})`;
    case 'binaryExpr':
      return `binary operator (${n.op})`;
    case 'call':
      return `function (${n.func.name})`;
    case 'matrixSelector':
      return 'range vector selector';
    case 'vectorSelector':
      return 'instant vector selector';
    case 'subquery':
      return 'subquery';
    case 'numberLiteral':
      return 'number';
    case 'stringLiteral':
      return 'string';
    case 'parenExpr':
      return 'parentheses';
    case 'unaryExpr':
      return `unary operator (${n.op})`;
  }
}
