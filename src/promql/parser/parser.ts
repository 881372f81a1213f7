/**
 * Recursive-descent PromQL parser with precedence climbing for binary operators. It produces the
 * AST of ast.ts and then type-checks it (check.ts), reporting the first problem as a ParseError
 * worded like Prometheus's.
 */
import { Matcher, MatchType } from '../../model/matcher.js';
import { parseDuration } from '../../model/duration.js';
import type {
  AggregateExpr,
  AggregateOp,
  AtPreprocessor,
  BinaryExpr,
  BinaryOp,
  Call,
  DurationExpr,
  DurationNode,
  Expr,
  FillValues,
  FunctionDef,
  MatrixSelector,
  NumberLiteral,
  PositionRange,
  SubqueryExpr,
  VectorMatching,
  VectorSelector,
} from './ast.js';
import { checkAST } from './check.js';
import { dependsOnQuery, evalDurationSeconds, secondsToMs } from './duration_expr.js';
import { DurationExprError, ParseError } from './errors.js';
import { FUNCTIONS } from './functions.js';
import { describeToken, Lexer, type Token, type TokenType } from './lexer.js';
import { isWellFormed, quoteGo, unquote } from './strings.js';

export interface ParserOptions {
  /** Allow functions and aggregations marked experimental (limitk, info, sort_by_label, ...). */
  enableExperimentalFunctions?: boolean;
  /**
   * Allow arithmetic in ranges, steps and offsets (`[5m*2]`, `offset (1h/2)`, `[step()]`).
   * On unless set to false: Prometheus 3.14 made it a default.
   */
  enableDurationExpressions?: boolean;
  /** Allow the `anchored` and `smoothed` range modifiers. */
  enableExtendedRangeSelectors?: boolean;
  /** Allow `fill(...)`, `fill_left(...)`, `fill_right(...)` on binary operators. */
  enableBinopFillModifiers?: boolean;
  /** Functions to accept instead of the built-in table. */
  functions?: ReadonlyMap<string, FunctionDef>;
}

/** Every experimental syntax switched on, as Prometheus's own PromQL tests run. */
export const ALL_FEATURES: Readonly<ParserOptions> = Object.freeze({
  enableExperimentalFunctions: true,
  enableDurationExpressions: true,
  enableExtendedRangeSelectors: true,
  enableBinopFillModifiers: true,
});

const AGGREGATORS_WITH_PARAM: ReadonlySet<string> = new Set([
  'topk', 'bottomk', 'count_values', 'quantile', 'limitk', 'limit_ratio',
]);
const EXPERIMENTAL_AGGREGATORS: ReadonlySet<string> = new Set(['limitk', 'limit_ratio']);

/** Binary operator precedence, higher binds tighter. `^` is right-associative. */
const PRECEDENCE: Partial<Record<TokenType, number>> = {
  LOR: 1,
  LAND: 2,
  LUNLESS: 2,
  EQLC: 3,
  NEQ: 3,
  LTE: 3,
  LSS: 3,
  GTE: 3,
  GTR: 3,
  // Prometheus does not document where the histogram trim operators rank; they sit with the
  // comparisons they resemble.
  TRIM_UPPER: 3,
  TRIM_LOWER: 3,
  ADD: 4,
  SUB: 4,
  MUL: 5,
  DIV: 5,
  MOD: 5,
  ATAN2: 5,
  POW: 6,
};
const POW_PRECEDENCE = 6;

const DURATION_OPS: Partial<Record<TokenType, DurationExpr['op']>> = {
  ADD: '+',
  SUB: '-',
  MUL: '*',
  DIV: '/',
  MOD: '%',
  POW: '^',
};

const MATCH_OPS: Partial<Record<TokenType, MatchType>> = {
  EQL: MatchType.Equal,
  NEQ: MatchType.NotEqual,
  EQL_REGEX: MatchType.Regexp,
  NEQ_REGEX: MatchType.NotRegexp,
};

/** Tokens that name a metric when they start a vector selector. */
const METRIC_NAME_TOKENS: ReadonlySet<TokenType> = new Set<TokenType>([
  'IDENTIFIER', 'METRIC_IDENTIFIER', 'AGGREGATOR', 'BY', 'WITHOUT', 'LAND', 'LOR', 'LUNLESS',
  'OFFSET', 'START', 'END', 'STEP', 'RANGE', 'ANCHORED', 'SMOOTHED',
]);

/** Tokens that may be used as label names in grouping lists: every word-like token. */
const LABEL_TOKENS: ReadonlySet<TokenType> = new Set<TokenType>([
  ...METRIC_NAME_TOKENS, 'ATAN2', 'BOOL', 'ON', 'IGNORING', 'GROUP_LEFT', 'GROUP_RIGHT', 'FILL',
  'FILL_LEFT', 'FILL_RIGHT',
]);

/** Keywords that are also zero-argument functions when followed by `(`. */
const KEYWORD_FUNCTIONS: ReadonlySet<TokenType> = new Set<TokenType>(['START', 'END', 'STEP', 'RANGE']);

const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const DURATION_EXPECTED = 'number, duration, step(), or range()';

class Parser {
  private readonly lexer: Lexer;
  private readonly buf: Token[] = [];
  /** End offset of the last consumed token. */
  private prevEnd = 0;
  private readonly functions: ReadonlyMap<string, FunctionDef>;

  constructor(
    private readonly input: string,
    private readonly opts: ParserOptions,
  ) {
    this.lexer = new Lexer(input);
    this.functions = opts.functions ?? FUNCTIONS;
  }

  // ---- token stream ----

  private peek(k = 0): Token {
    while (this.buf.length <= k) {
      let t = this.lexer.next();
      while (t.type === 'COMMENT') t = this.lexer.next();
      this.buf.push(t);
    }
    return this.buf[k]!;
  }

  private take(): Token {
    const t = this.peek();
    this.buf.shift();
    this.prevEnd = t.end;
    return t;
  }

  private fail(range: PositionRange, reason: string): never {
    throw new ParseError(reason, { start: range.start, end: range.end }, this.input);
  }

  /** Reports `t` as unexpected; a lexer error token is reported as itself. */
  private unexpected(t: Token, context = '', expected = ''): never {
    if (t.type === 'ERROR') this.fail({ start: t.pos, end: t.end }, t.val);
    let msg = 'unexpected ' + describeToken(t);
    if (context !== '') msg += ' in ' + context;
    if (expected !== '') msg += ', expected ' + expected;
    this.fail({ start: t.pos, end: t.end }, msg);
  }

  private expect(type: TokenType, context = '', expected = ''): Token {
    const t = this.peek();
    if (t.type !== type) this.unexpected(t, context, expected);
    return this.take();
  }

  // ---- entry points ----

  parseExpression(): Expr {
    if (this.peek().type === 'EOF') this.fail({ start: 0, end: 0 }, 'no expression found in input');
    const expr = this.parseBinary(0);
    const t = this.peek();
    if (t.type !== 'EOF') this.unexpected(t);
    checkAST(expr, this.input);
    return expr;
  }

  parseSelectorOnly(): VectorSelector {
    const t = this.peek();
    let vs: VectorSelector;
    if (t.type === 'LEFT_BRACE') vs = this.parseVectorSelector(null);
    else if (METRIC_NAME_TOKENS.has(t.type)) vs = this.parseVectorSelector(this.take());
    else this.unexpected(t);
    const end = this.peek();
    if (end.type !== 'EOF') this.unexpected(end);
    return vs;
  }

  // ---- expressions ----

  private parseBinary(minPrec: number): Expr {
    let lhs = this.parseUnary();
    for (;;) {
      const opTok = this.peek();
      const prec = PRECEDENCE[opTok.type];
      if (prec === undefined || prec < minPrec) return lhs;
      this.take();
      const returnBool = this.peek().type === 'BOOL';
      if (returnBool) this.take();
      const vectorMatching = this.parseBinModifiers();
      const rhs = this.parseBinary(opTok.type === 'POW' ? prec : prec + 1);
      const node: BinaryExpr = {
        type: 'BinaryExpr',
        op: opTok.val.toLowerCase() as BinaryOp,
        lhs,
        rhs,
        returnBool,
        vectorMatching,
        posRange: { start: lhs.posRange.start, end: rhs.posRange.end },
      };
      const fill = node.vectorMatching!.fillValues;
      if ((fill.lhs !== null || fill.rhs !== null) && !this.opts.enableBinopFillModifiers) {
        this.fail(node.posRange, 'binop fill modifiers are experimental and not enabled');
      }
      lhs = node;
    }
  }

  private parseBinModifiers(): VectorMatching {
    const vm: VectorMatching = {
      card: 'one-to-one',
      matchingLabels: [],
      on: false,
      include: [],
      fillValues: { lhs: null, rhs: null },
    };
    const t = this.peek().type;
    if (t === 'ON' || t === 'IGNORING') {
      this.take();
      vm.on = t === 'ON';
      vm.matchingLabels = this.parseGroupingLabels();
      const g = this.peek().type;
      if (g === 'GROUP_LEFT' || g === 'GROUP_RIGHT') {
        this.take();
        vm.card = g === 'GROUP_LEFT' ? 'many-to-one' : 'one-to-many';
        if (this.peek().type === 'LEFT_PAREN') vm.include = this.parseGroupingLabels();
      }
    }
    this.parseFillModifiers(vm.fillValues);
    return vm;
  }

  private parseFillModifiers(fill: FillValues): void {
    let t = this.peek();
    if (t.type === 'FILL') {
      this.take();
      const v = this.parseFillValue();
      fill.lhs = v;
      fill.rhs = v;
      return;
    }
    let seenLeft = false;
    let seenRight = false;
    for (;;) {
      t = this.peek();
      if (t.type === 'FILL_LEFT' && !seenLeft) {
        this.take();
        fill.lhs = this.parseFillValue();
        seenLeft = true;
      } else if (t.type === 'FILL_RIGHT' && !seenRight) {
        this.take();
        fill.rhs = this.parseFillValue();
        seenRight = true;
      } else return;
    }
  }

  private parseFillValue(): number {
    this.expect('LEFT_PAREN', 'fill modifier', '"("');
    let sign = 1;
    const s = this.peek().type;
    if (s === 'ADD' || s === 'SUB') {
      this.take();
      if (s === 'SUB') sign = -1;
    }
    const t = this.peek();
    if (t.type !== 'NUMBER' && t.type !== 'DURATION') this.unexpected(t, 'fill modifier', 'number');
    const v = sign * this.literalValue(this.take());
    this.expect('RIGHT_PAREN', 'fill modifier', '")"');
    return v;
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.type === 'ADD' || t.type === 'SUB') {
      this.take();
      // Unary operators bind like multiplication: tighter than + and -, looser than ^.
      const operand = this.parseBinary(POW_PRECEDENCE);
      if (operand.type === 'NumberLiteral') {
        if (t.type === 'SUB') operand.value = -operand.value;
        operand.posRange.start = t.pos;
        return operand;
      }
      return {
        type: 'UnaryExpr',
        op: t.type === 'SUB' ? '-' : '+',
        expr: operand,
        posRange: { start: t.pos, end: operand.posRange.end },
      };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.type) {
      case 'NUMBER':
      case 'DURATION':
        return this.numberLiteral(this.take());
      case 'STRING': {
        this.take();
        return { type: 'StringLiteral', value: this.unquote(t), posRange: { start: t.pos, end: t.end } };
      }
      case 'LEFT_PAREN': {
        this.take();
        const expr = this.parseBinary(0);
        const close = this.peek();
        if (close.type !== 'RIGHT_PAREN') this.unexpected(close);
        this.take();
        return { type: 'ParenExpr', expr, posRange: { start: t.pos, end: close.end } };
      }
      case 'LEFT_BRACE':
        return this.parseVectorSelector(null);
      case 'AGGREGATOR': {
        const n = this.peek(1).type;
        if (n === 'LEFT_PAREN' || n === 'BY' || n === 'WITHOUT') return this.parseAggregate();
        return this.parseVectorSelector(this.take());
      }
      case 'IDENTIFIER':
        if (this.peek(1).type === 'LEFT_PAREN') return this.parseCall();
        return this.parseVectorSelector(this.take());
    }
    if (KEYWORD_FUNCTIONS.has(t.type) && this.peek(1).type === 'LEFT_PAREN') return this.parseCall();
    if (METRIC_NAME_TOKENS.has(t.type)) return this.parseVectorSelector(this.take());
    this.unexpected(t);
  }

  private literalValue(t: Token): number {
    if (t.type === 'DURATION') return this.durationSeconds(t);
    return this.parseNumber(t);
  }

  private numberLiteral(t: Token): NumberLiteral {
    return {
      type: 'NumberLiteral',
      value: this.literalValue(t),
      duration: t.type === 'DURATION',
      posRange: { start: t.pos, end: t.end },
    };
  }

  private durationSeconds(t: Token): number {
    try {
      return parseDuration(t.val) / 1000;
    } catch (e) {
      this.fail({ start: t.pos, end: t.end }, (e as Error).message);
    }
  }

  /** Numbers as Go's strconv.ParseInt(s, 0, 64) then ParseFloat accept them. */
  private parseNumber(t: Token): number {
    const lower = t.val.toLowerCase();
    if (lower === 'inf') return Infinity;
    if (lower === 'nan') return NaN;
    const s = t.val.replace(/_/g, '');
    let v: number;
    if (/^0[xX]/.test(s)) v = Number(s);
    else if (/^0[0-7]+$/.test(s)) v = parseInt(s, 8);
    else v = Number(s);
    if (Number.isNaN(v)) this.fail({ start: t.pos, end: t.end }, `error parsing number: strconv.ParseFloat: parsing ${quoteGo(t.val)}: invalid syntax`);
    if (!Number.isFinite(v)) {
      this.fail({ start: t.pos, end: t.end }, `error parsing number: strconv.ParseFloat: parsing ${quoteGo(t.val)}: value out of range`);
    }
    return v;
  }

  private unquote(t: Token): string {
    try {
      return unquote(t.val);
    } catch (e) {
      this.fail({ start: t.pos, end: t.end }, `error unquoting string ${quoteGo(t.val)}: ${(e as Error).message}`);
    }
  }

  // ---- selectors ----

  private parseVectorSelector(nameTok: Token | null): VectorSelector {
    const matchers: Matcher[] = [];
    const start = nameTok !== null ? nameTok.pos : this.peek().pos;
    let end = nameTok !== null ? nameTok.end : start;
    if (this.peek().type === 'LEFT_BRACE') {
      this.take();
      for (;;) {
        const t = this.peek();
        if (t.type === 'RIGHT_BRACE') break;
        matchers.push(this.parseLabelMatcher());
        const sep = this.peek();
        if (sep.type === 'COMMA') this.take();
        else if (sep.type !== 'RIGHT_BRACE') this.unexpected(sep, 'label matching', '"," or "}"');
      }
      end = this.take().end;
    }
    const name = nameTok !== null ? nameTok.val : '';
    if (name !== '') matchers.push(Matcher.create(MatchType.Equal, '__name__', name));
    return {
      type: 'VectorSelector',
      name,
      matchers,
      originalOffset: 0,
      originalOffsetExpr: null,
      offset: 0,
      timestamp: null,
      startOrEnd: null,
      anchored: false,
      smoothed: false,
      bypassEmptyMatcherCheck: false,
      posRange: { start, end },
    };
  }

  private parseLabelMatcher(): Matcher {
    const t = this.peek();
    let label: string;
    if (t.type === 'IDENTIFIER') {
      this.take();
      label = t.val;
      if (MATCH_OPS[this.peek().type] === undefined) {
        this.unexpected(this.peek(), 'label matching', 'label matching operator');
      }
    } else if (t.type === 'STRING') {
      this.take();
      label = this.unquote(t);
      // A lone quoted string names the metric: {"my.metric"}.
      if (MATCH_OPS[this.peek().type] === undefined) return this.matcher(MatchType.Equal, '__name__', label, t, t);
    } else {
      this.unexpected(t, 'label matching', 'identifier or "}"');
    }
    const op = MATCH_OPS[this.take().type]!;
    const v = this.peek();
    if (v.type !== 'STRING') this.unexpected(v, 'label matching', 'string');
    this.take();
    return this.matcher(op, label, this.unquote(v), t, v);
  }

  private matcher(type: MatchType, name: string, value: string, first: Token, last: Token): Matcher {
    try {
      return Matcher.create(type, name, value);
    } catch (e) {
      this.fail({ start: first.pos, end: last.end }, (e as Error).message);
    }
  }

  // ---- aggregations and calls ----

  private parseGroupingLabels(): string[] {
    this.expect('LEFT_PAREN', 'grouping opts', '"("');
    const labels: string[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'RIGHT_PAREN') break;
      if (t.type === 'STRING') {
        const name = this.unquote(this.take());
        if (name === '' || !isWellFormed(name)) {
          this.fail({ start: t.pos, end: t.end }, `invalid label name for grouping: ${quoteGo(name)}`);
        }
        labels.push(name);
      } else if (LABEL_TOKENS.has(t.type) && LEGACY_LABEL.test(t.val)) {
        labels.push(this.take().val);
      } else {
        this.unexpected(t, 'grouping opts', 'label');
      }
      const sep = this.peek();
      if (sep.type === 'COMMA') this.take();
      else if (sep.type !== 'RIGHT_PAREN') this.unexpected(sep, 'grouping opts', '"," or ")"');
    }
    this.take();
    return labels;
  }

  /** `( expr, expr, ... )`, reporting trailing commas as Prometheus does. */
  private parseArgs(): Expr[] {
    this.expect('LEFT_PAREN');
    const args: Expr[] = [];
    if (this.peek().type === 'RIGHT_PAREN') {
      this.take();
      return args;
    }
    for (;;) {
      args.push(this.parseBinary(0));
      const t = this.peek();
      if (t.type === 'RIGHT_PAREN') {
        this.take();
        return args;
      }
      if (t.type !== 'COMMA') this.unexpected(t);
      this.take();
      if (this.peek().type === 'RIGHT_PAREN') {
        this.fail({ start: t.pos, end: t.end }, 'trailing commas not allowed in function call args');
      }
    }
  }

  private parseAggregate(): AggregateExpr {
    const opTok = this.take();
    const op = opTok.val.toLowerCase() as AggregateOp;
    let grouping: string[] = [];
    let without = false;
    let modifierSeen = false;
    const modifier = (): void => {
      without = this.take().type === 'WITHOUT';
      grouping = this.parseGroupingLabels();
      modifierSeen = true;
    };
    if (this.peek().type === 'BY' || this.peek().type === 'WITHOUT') {
      modifier();
      if (this.peek().type !== 'LEFT_PAREN') this.unexpected(this.peek(), 'aggregation');
    }
    const args = this.parseArgs();
    if (!modifierSeen && (this.peek().type === 'BY' || this.peek().type === 'WITHOUT')) modifier();
    const posRange = { start: opTok.pos, end: this.prevEnd };
    if (args.length === 0) this.fail(posRange, 'no arguments for aggregate expression provided');
    let desired = 1;
    let param: Expr | null = null;
    if (AGGREGATORS_WITH_PARAM.has(op)) {
      if (EXPERIMENTAL_AGGREGATORS.has(op) && !this.opts.enableExperimentalFunctions) {
        this.fail(posRange, `${op}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`);
      }
      desired = 2;
      param = args[0]!;
    }
    if (args.length !== desired) {
      this.fail(posRange, `wrong number of arguments for aggregate expression provided, expected ${desired}, got ${args.length}`);
    }
    return { type: 'AggregateExpr', op, expr: args[desired - 1]!, param, grouping, without, posRange };
  }

  private parseCall(): Call {
    const nameTok = this.take();
    const name = KEYWORD_FUNCTIONS.has(nameTok.type) ? nameTok.val.toLowerCase() : nameTok.val;
    const args = this.parseArgs();
    const nameRange = { start: nameTok.pos, end: nameTok.end };
    const func = this.functions.get(name);
    if (func === undefined) this.fail(nameRange, `unknown function with name ${quoteGo(name)}`);
    if (func.experimental && !this.opts.enableExperimentalFunctions) {
      this.fail(nameRange, `function ${quoteGo(name)} is not enabled`);
    }
    return { type: 'Call', func, args, posRange: { start: nameTok.pos, end: this.prevEnd } };
  }

  // ---- postfix modifiers: ranges, subqueries, offset, @, anchored/smoothed ----

  private parsePostfix(expr: Expr): Expr {
    for (;;) {
      const t = this.peek();
      switch (t.type) {
        case 'LEFT_BRACKET':
          expr = this.parseRangeOrSubquery(expr);
          break;
        case 'OFFSET':
          this.take();
          this.applyOffset(expr);
          break;
        case 'AT':
          this.take();
          this.applyAt(expr);
          break;
        case 'ANCHORED':
        case 'SMOOTHED':
          this.take();
          this.applyExtendedRange(expr, t.type === 'ANCHORED' ? 'anchored' : 'smoothed');
          break;
        default:
          return expr;
      }
    }
  }

  private parseRangeOrSubquery(expr: Expr): Expr {
    const open = this.take();
    const first = this.peek();
    if (first.type === 'RIGHT_BRACKET' || first.type === 'COLON') {
      this.unexpected(first, 'subquery or range selector', DURATION_EXPECTED);
    }
    const range = this.parseDurationExpr(0, 'subquery or range selector');
    const t = this.peek();
    if (t.type === 'RIGHT_BRACKET') {
      const close = this.take();
      let err = '';
      if (expr.type !== 'VectorSelector') err = 'ranges only allowed for vector selectors';
      else if (expr.originalOffset !== 0 || expr.originalOffsetExpr !== null) err = 'no offset modifiers allowed before range';
      else if (expr.timestamp !== null || expr.startOrEnd !== null) err = 'no @ modifiers allowed before range';
      if (err !== '') this.fail({ start: open.pos, end: close.end }, err);
      const ms: MatrixSelector = {
        type: 'MatrixSelector',
        vectorSelector: expr as VectorSelector,
        range: 0,
        rangeExpr: null,
        posRange: { start: expr.posRange.start, end: close.end },
      };
      [ms.range, ms.rangeExpr] = this.durationField(range, true);
      return ms;
    }
    if (t.type !== 'COLON') this.unexpected(t, 'subquery or range', '":" or "]"');
    this.take();
    let stepNode: DurationNode | null = null;
    if (this.peek().type !== 'RIGHT_BRACKET') {
      stepNode = this.parseDurationExpr(0, 'subquery selector');
    }
    const close = this.peek();
    if (close.type !== 'RIGHT_BRACKET') this.unexpected(close, 'subquery selector', '"]"');
    this.take();
    const sq: SubqueryExpr = {
      type: 'SubqueryExpr',
      expr,
      range: 0,
      rangeExpr: null,
      step: 0,
      stepExpr: null,
      originalOffset: 0,
      originalOffsetExpr: null,
      offset: 0,
      timestamp: null,
      startOrEnd: null,
      posRange: { start: expr.posRange.start, end: close.end },
    };
    [sq.range, sq.rangeExpr] = this.durationField(range, true);
    if (stepNode !== null) {
      [sq.step, sq.stepExpr] = this.durationField(stepNode, false);
      // An explicit step must be positive; `[5m:]` (no step) takes the default interval.
      const resolvedLater = sq.stepExpr !== null && dependsOnQuery(sq.stepExpr);
      if (sq.step <= 0 && !resolvedLater) this.fail(stepNode.posRange, 'duration must be greater than 0');
    }
    return sq;
  }

  /**
   * Turns a parsed duration into the AST's (milliseconds, expression) pair. A plain literal is
   * stored as a value only. Expressions are kept for printing and evaluated now unless they
   * depend on the query (step(), range()).
   */
  private durationField(node: DurationNode, mustBePositive: boolean): [number, DurationNode | null] {
    const isLiteral = node.type === 'NumberLiteral';
    if (!isLiteral && this.opts.enableDurationExpressions === false) {
      this.fail(node.posRange, 'experimental duration expression is not enabled');
    }
    if (!isLiteral && dependsOnQuery(node)) return [0, node];
    let ms: number;
    try {
      ms = secondsToMs(evalDurationSeconds(node), node.posRange);
    } catch (e) {
      if (e instanceof DurationExprError) this.fail(e.positionRange, e.message);
      throw e;
    }
    if (mustBePositive && ms <= 0) this.fail(node.posRange, 'duration must be greater than 0');
    return [ms, isLiteral ? null : node];
  }

  /**
   * A duration expression inside brackets: literals, + - * / % ^ with the usual precedence,
   * parentheses, step(), range(), min_of(a, b), max_of(a, b) and unary signs.
   */
  private parseDurationExpr(minPrec: number, context: string): DurationNode {
    let lhs = this.parseDurationUnary(context);
    for (;;) {
      const t = this.peek();
      const op = DURATION_OPS[t.type];
      const prec = PRECEDENCE[t.type];
      if (op === undefined || prec === undefined || prec < minPrec) return lhs;
      this.take();
      const rhs = this.parseDurationExpr(t.type === 'POW' ? prec : prec + 1, context);
      lhs = {
        type: 'DurationExpr',
        op,
        lhs,
        rhs,
        wrapped: false,
        posRange: { start: lhs.posRange.start, end: rhs.posRange.end },
      };
    }
  }

  private parseDurationUnary(context: string): DurationNode {
    const t = this.peek();
    if (t.type === 'ADD' || t.type === 'SUB') {
      this.take();
      return this.applySign(t, this.parseDurationExprOperand(context));
    }
    return this.parseDurationPrimary(context);
  }

  /** Operand of a unary sign: binds tighter than * but looser than ^. */
  private parseDurationExprOperand(context: string): DurationNode {
    let lhs = this.parseDurationUnary(context);
    const t = this.peek();
    if (t.type === 'POW') {
      this.take();
      const rhs = this.parseDurationExpr(POW_PRECEDENCE, context);
      lhs = { type: 'DurationExpr', op: '^', lhs, rhs, wrapped: false, posRange: { start: lhs.posRange.start, end: rhs.posRange.end } };
    }
    return lhs;
  }

  private applySign(sign: Token, node: DurationNode): DurationNode {
    if (node.type === 'NumberLiteral') {
      if (sign.type === 'SUB') node.value = -node.value;
      node.posRange.start = sign.pos;
      return node;
    }
    if (sign.type === 'ADD') return node;
    return { type: 'DurationExpr', op: '-', lhs: null, rhs: node, wrapped: false, posRange: { start: sign.pos, end: node.posRange.end } };
  }

  private parseDurationPrimary(context: string): DurationNode {
    const t = this.peek();
    switch (t.type) {
      case 'NUMBER':
      case 'DURATION':
        return this.numberLiteral(this.take());
      case 'LEFT_PAREN': {
        this.take();
        const inner = this.parseDurationExpr(0, context);
        const close = this.peek();
        if (close.type !== 'RIGHT_PAREN') this.unexpected(close, context, '")"');
        this.take();
        const range = { start: t.pos, end: close.end };
        if (inner.type === 'DurationExpr') {
          inner.wrapped = true;
          inner.posRange = range;
          return inner;
        }
        // A parenthesised literal keeps its parentheses through an identity node.
        return { type: 'DurationExpr', op: '+', lhs: null, rhs: inner, wrapped: true, posRange: range };
      }
      case 'STEP':
      case 'RANGE': {
        this.take();
        this.expect('LEFT_PAREN', context, DURATION_EXPECTED);
        const close = this.expect('RIGHT_PAREN', context, '")"');
        return {
          type: 'DurationExpr',
          op: t.type === 'STEP' ? 'step' : 'range',
          lhs: null,
          rhs: null,
          wrapped: false,
          posRange: { start: t.pos, end: close.end },
        };
      }
      case 'IDENTIFIER': {
        const name = t.val.toLowerCase();
        if (name !== 'min_of' && name !== 'max_of') break;
        this.take();
        this.expect('LEFT_PAREN', context, '"("');
        const a = this.parseDurationExpr(0, context);
        this.expect('COMMA', context, '","');
        const b = this.parseDurationExpr(0, context);
        const close = this.expect('RIGHT_PAREN', context, '")"');
        return { type: 'DurationExpr', op: name, lhs: a, rhs: b, wrapped: false, posRange: { start: t.pos, end: close.end } };
      }
    }
    this.unexpected(t, context, DURATION_EXPECTED);
  }

  /** The target of offset/@: the vector selector (inside a range selector) or subquery. */
  private modifierTarget(expr: Expr, what: string): VectorSelector | SubqueryExpr {
    switch (expr.type) {
      case 'VectorSelector':
      case 'SubqueryExpr':
        return expr;
      case 'MatrixSelector':
        return expr.vectorSelector;
    }
    this.fail(expr.posRange, `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`);
  }

  private applyOffset(expr: Expr): void {
    // Without parentheses only a single (optionally signed) duration term is the offset:
    // `foo offset 5m + 1` adds 1 to the selected value.
    const t = this.peek();
    let node: DurationNode;
    if (t.type === 'ADD' || t.type === 'SUB') {
      this.take();
      node = this.applySign(t, this.parseDurationPrimary('offset'));
    } else {
      node = this.parseDurationPrimary('offset');
    }
    const target = this.modifierTarget(expr, 'offset');
    if (target.originalOffset !== 0 || target.originalOffsetExpr !== null) {
      this.fail(expr.posRange, 'offset may not be set multiple times');
    }
    const [ms, dexpr] = this.durationField(node, false);
    target.originalOffset = ms;
    target.offset = ms;
    target.originalOffsetExpr = dexpr;
    expr.posRange.end = this.prevEnd;
  }

  private applyAt(expr: Expr): void {
    const t = this.peek();
    let ts: number | null = null;
    let pre: AtPreprocessor | null = null;
    if (t.type === 'START' || t.type === 'END') {
      this.take();
      this.expect('LEFT_PAREN', '@', 'timestamp');
      this.expect('RIGHT_PAREN', '@', '")"');
      pre = t.type === 'START' ? 'start' : 'end';
    } else {
      let sign = 1;
      if (t.type === 'ADD' || t.type === 'SUB') {
        this.take();
        if (t.type === 'SUB') sign = -1;
      }
      const n = this.peek();
      if (n.type !== 'NUMBER' && n.type !== 'DURATION') this.unexpected(n, '@', 'timestamp');
      ts = sign * this.literalValue(this.take());
      if (!Number.isFinite(ts) || Math.abs(ts) >= 2 ** 63) {
        this.fail(expr.posRange, `timestamp out of bounds for @ modifier: ${formatGoFloatF(ts)}`);
      }
    }
    const target = this.modifierTarget(expr, '@');
    if (target.timestamp !== null || target.startOrEnd !== null) {
      this.fail(expr.posRange, '@ <timestamp> may not be set multiple times');
    }
    if (ts !== null) target.timestamp = Math.sign(ts) * Math.round(Math.abs(ts) * 1000) + 0;
    target.startOrEnd = pre;
    expr.posRange.end = this.prevEnd;
  }

  private applyExtendedRange(expr: Expr, which: 'anchored' | 'smoothed'): void {
    if (!this.opts.enableExtendedRangeSelectors) {
      this.fail(expr.posRange, `${which} modifier is experimental and not enabled`);
    }
    if (expr.type === 'SubqueryExpr') this.fail(expr.posRange, `${which} modifier is not supported for subqueries`);
    if (expr.type !== 'VectorSelector' && expr.type !== 'MatrixSelector') {
      this.fail(expr.posRange, `${which} modifier not implemented`);
    }
    const vs = expr.type === 'VectorSelector' ? expr : expr.vectorSelector;
    if (which === 'anchored') vs.anchored = true;
    else vs.smoothed = true;
    if (vs.anchored && vs.smoothed) this.fail(expr.posRange, 'anchored and smoothed modifiers cannot be used together');
  }
}

/** Go's `%f` for a float: six decimals, `+Inf`, `-Inf`, `NaN`. */
function formatGoFloatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toFixed(6);
}

/** Parses a PromQL expression. Throws ParseError. */
export function parseExpr(input: string, opts: ParserOptions = {}): Expr {
  try {
    return new Parser(input, opts).parseExpression();
  } catch (e) {
    // Thousands of nested parentheses exhaust the JS stack; report that as a query error.
    if (e instanceof RangeError) {
      throw new ParseError('expression is nested too deeply', { start: 0, end: input.length }, input);
    }
    throw e;
  }
}

/** Parses a series selector such as `up{job="x"}` or `{__name__=~"a.*"}` (API `match[]`). */
export function parseMetricSelector(input: string, opts: ParserOptions = {}): Matcher[] {
  return new Parser(input, opts).parseSelectorOnly().matchers;
}
