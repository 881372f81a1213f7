import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BinaryExpr, Call, Expr, MatrixSelector, NumberLiteral, StringLiteral, SubqueryExpr, VectorSelector } from './ast.js';
import { exprType, extractSelectors } from './ast.js';
import { ParseError } from './errors.js';
import { ALL_FEATURES, parseExpr, parseMetricSelector } from './parser.js';
import { exprToString } from './printer.js';
import { resolveDurationExprs } from './duration_expr.js';
import { isWellFormed } from './strings.js';
import { stripped } from './testutil.js';

const p = (q: string): Expr => parseExpr(q, ALL_FEATURES);

function parseError(q: string, opts = ALL_FEATURES): ParseError {
  try {
    parseExpr(q, opts);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  assert.fail(`expected ${JSON.stringify(q)} to fail`);
}

test('number literals', () => {
  const cases: [string, number][] = [
    ['1', 1],
    ['.5', 0.5],
    ['5.', 5],
    ['123.4567', 123.4567],
    ['5e-3', 0.005],
    ['5E3', 5000],
    ['12.34e+6', 12340000],
    ['0xc', 12],
    ['0X1F', 31],
    ['0755', 493],
    ['08', 8],
    ['1_000_000', 1000000],
    ['.123_456', 0.123456],
    ['0x_53_AB', 0x53ab],
    ['+5.5e-3', 0.0055],
    ['-0755', -493],
    ['Inf', Infinity],
    ['+inF', Infinity],
    ['-inf', -Infinity],
    ['1m', 60],
    ['1h30m', 5400],
    ['54s321ms', 54.321],
    ['-2h', -7200],
  ];
  for (const [q, v] of cases) {
    const e = p(q) as NumberLiteral;
    assert.equal(e.type, 'NumberLiteral', q);
    assert.equal(e.value, v, q);
    assert.deepEqual(e.posRange, { start: 0, end: q.length }, q);
  }
  assert.ok(Number.isNaN((p('NaN') as NumberLiteral).value));
  assert.ok(Number.isNaN((p('nan') as NumberLiteral).value));
  assert.equal((p('5m') as NumberLiteral).duration, true);
});

test('string literals use Go escapes; raw strings are verbatim', () => {
  const cases: [string, string][] = [
    [`"double \\" quote"`, 'double " quote'],
    [`'single \\' quote'`, "single ' quote"],
    [`"\\a\\b\\f\\n\\r\\t\\v\\\\"`, '\x07\x08\x0c\n\r\t\x0b\\'],
    [`"\\u1234\\U0001F600☺"`, '\u1234\u{1F600}☺'],
    [`"\\x41\\101"`, 'AA'],
    [`"\\xc3\\xa9"`, 'é'],
    ['`raw \\n "x" \'y\'`', 'raw \\n "x" \'y\''],
    ['`multi\nline`', 'multi\nline'],
    [`'"'`, '"'],
  ];
  for (const [q, v] of cases) {
    const e = p(q) as StringLiteral;
    assert.equal(e.type, 'StringLiteral', q);
    assert.equal(e.value, v, q);
  }
  // A byte that is not valid UTF-8 survives as a lone surrogate and prints back as \x.
  const bad = p(`"a\\xc5z"`) as StringLiteral;
  assert.match(bad.value, /^a[\uDCC5]z$/);
  assert.equal(isWellFormed(bad.value), false);
  assert.equal(isWellFormed('ok \u{1F600}'), true);
  assert.equal(exprToString(bad), `"a\\xc5z"`);
});

test('operator precedence and associativity', () => {
  const cases: [string, string][] = [
    ['1 + 2 * 3', '1 + (2 * 3)'],
    ['1 * 2 + 3', '(1 * 2) + 3'],
    ['2 ^ 3 ^ 2', '2 ^ (3 ^ 2)'],
    ['2 * 3 % 2', '(2 * 3) % 2'],
    ['a + b or c and d', '(a + b) or (c and d)'],
    ['a and b unless c or d', '((a and b) unless c) or d'],
    ['a == b + c', 'a == (b + c)'],
    ['a atan2 b * c', '(a atan2 b) * c'],
    ['-a ^ 2', '-(a ^ 2)'],
    ['-a * 2', '(-a) * 2'],
    ['a - -b', 'a - (-b)'],
    ['h </ 2 + 1', 'h </ (2 + 1)'],
    ['h >/ 0 and h', '(h >/ 0) and h'],
  ];
  const shape = (e: Expr): string => {
    switch (e.type) {
      case 'BinaryExpr': {
        const side = (x: Expr): string => (x.type === 'BinaryExpr' || x.type === 'UnaryExpr' ? `(${shape(x)})` : shape(x));
        return `${side(e.lhs)} ${e.op} ${side(e.rhs)}`;
      }
      case 'UnaryExpr':
        return e.op + (e.expr.type === 'BinaryExpr' ? `(${shape(e.expr)})` : shape(e.expr));
      default:
        return exprToString(e);
    }
  };
  for (const [q, want] of cases) assert.equal(shape(p(q)), want, q);
});

test('unary minus folds into number literals but not into other expressions', () => {
  const one = p('-1') as NumberLiteral;
  assert.equal(one.value, -1);
  assert.deepEqual(one.posRange, { start: 0, end: 2 });
  const pow = p('-1^2');
  assert.equal(pow.type, 'UnaryExpr');
  const mul = p('-1*2') as BinaryExpr;
  assert.equal((mul.lhs as NumberLiteral).value, -1);
  const vec = p(' +some_metric');
  assert.equal(vec.type, 'UnaryExpr');
  assert.deepEqual(vec.posRange, { start: 1, end: 13 });
});

test('vector selectors and matchers', () => {
  const vs = p('foo{a="b", c!="d", e=~"f.*", g!~"h",}') as VectorSelector;
  assert.equal(vs.name, 'foo');
  assert.deepEqual(
    vs.matchers.map((m) => [m.name, m.type, m.value]),
    [
      ['a', '=', 'b'],
      ['c', '!=', 'd'],
      ['e', '=~', 'f.*'],
      ['g', '!~', 'h'],
      ['__name__', '=', 'foo'],
    ],
  );
  assert.deepEqual(vs.posRange, { start: 0, end: 37 });

  const utf8 = p(`{"my.metric", "a.b"="c", 'x'="y"}`) as VectorSelector;
  assert.equal(utf8.name, '');
  assert.deepEqual(
    utf8.matchers.map((m) => [m.name, m.value]),
    [
      ['__name__', 'my.metric'],
      ['a.b', 'c'],
      ['x', 'y'],
    ],
  );
  assert.equal(exprToString(utf8), '{"a.b"="c",__name__="my.metric",x="y"}');

  // Keywords are plain metric names where a selector is expected, and label names in braces.
  for (const kw of ['offset', 'step', 'start', 'end', 'anchored', 'smoothed', 'sum', 'by', 'and', 'fill', 'inf_metric']) {
    const s = p(`${kw}{offset="1", by="2"}`) as VectorSelector;
    assert.equal(s.type, 'VectorSelector', kw);
    assert.equal(s.name, kw);
  }
  assert.equal((p('min') as VectorSelector).name, 'min');
  assert.equal((p('foo:bar:rate5m') as VectorSelector).name, 'foo:bar:rate5m');
  const fill = p('fill + fill') as BinaryExpr;
  assert.equal((fill.lhs as VectorSelector).name, 'fill');
});

test('range selectors, subqueries, offset, @ and extended range modifiers', () => {
  const m = p('foo[5m30s] offset -1h @ 1603774568.5') as MatrixSelector;
  assert.equal(m.type, 'MatrixSelector');
  assert.equal(m.range, 330_000);
  assert.equal(m.vectorSelector.originalOffset, -3_600_000);
  assert.equal(m.vectorSelector.offset, -3_600_000);
  assert.equal(m.vectorSelector.timestamp, 1_603_774_568_500);
  assert.deepEqual(m.posRange, { start: 0, end: 36 });

  assert.equal((p('foo[4.18]') as MatrixSelector).range, 4180);
  assert.equal((p('foo[1800]') as MatrixSelector).range, 1_800_000);
  assert.equal((p('foo @ 3.3335') as VectorSelector).timestamp, 3334);
  assert.equal((p('foo @ -100') as VectorSelector).timestamp, -100_000);
  assert.equal((p('foo @ 1m') as VectorSelector).timestamp, 60_000);
  assert.equal((p('foo @ end()') as VectorSelector).startOrEnd, 'end');
  assert.equal((p('foo offset 3600') as VectorSelector).originalOffset, 3_600_000);

  const sq = p('rate(foo[1m])[1h:5m] offset 10m @ start()') as SubqueryExpr;
  assert.equal(sq.type, 'SubqueryExpr');
  assert.equal(sq.range, 3_600_000);
  assert.equal(sq.step, 300_000);
  assert.equal(sq.originalOffset, 600_000);
  assert.equal(sq.startOrEnd, 'start');
  assert.equal((p('foo[10m:]') as SubqueryExpr).step, 0);

  const anchored = p('increase(foo[1m] anchored)') as Call;
  assert.equal((anchored.args[0] as MatrixSelector).vectorSelector.anchored, true);
  assert.equal((p('foo smoothed') as VectorSelector).smoothed, true);

  // Without parentheses only the first term is the offset.
  const sum = p('foo offset 5s-8') as BinaryExpr;
  assert.equal((sum.lhs as VectorSelector).originalOffset, 5000);
  assert.equal((sum.rhs as NumberLiteral).value, 8);
  const pow = p('foo offset -1^1') as BinaryExpr;
  assert.equal(pow.op, '^');
  assert.equal((pow.lhs as VectorSelector).originalOffset, -1000);
});

test('duration expressions are evaluated when constant and deferred when they use step() or range()', () => {
  const cases: [string, number][] = [
    ['foo[5m+1m]', 360_000],
    ['foo[60*30]', 1_800_000],
    ['foo[2m*(10+5)]', 1_800_000],
    ['foo[-5m+35m]', 1_800_000],
    ['foo[1h/2]', 1_800_000],
    ['foo[1h30m % 1h]', 1_800_000],
    ['foo[(9m30s+30s)*3]', 1_800_000],
    ['foo[11s+10s-5*2^2]', 1000],
    ['foo[min_of(1h, 30m)]', 1_800_000],
    ['foo[MAX_of(1m, 30m)]', 1_800_000],
  ];
  for (const [q, ms] of cases) assert.equal((p(q) as MatrixSelector).range, ms, q);

  const off = p('foo offset (20*(((((8 - 2) / 3) * 7s) % 4) + 8000ms))') as VectorSelector;
  assert.equal(off.originalOffset, 20 * ((((8 - 2) / 3) * 7) % 4 + 8) * 1000);
  assert.equal((p('foo offset -(1^2)') as VectorSelector).originalOffset, -1000);

  const deferred = p('count_over_time(foo[step()+1ms]) + foo offset -min_of(step(), 1s)') as BinaryExpr;
  const ms = (deferred.lhs as Call).args[0] as MatrixSelector;
  assert.equal(ms.range, 0);
  assert.notEqual(ms.rangeExpr, null);
  resolveDurationExprs(deferred, { stepMs: 5000, rangeMs: 60_000 });
  assert.equal(ms.range, 5001);
  assert.equal((deferred.rhs as VectorSelector).originalOffset, -1000);
  assert.equal((deferred.rhs as VectorSelector).offset, -1000);

  const r = p('max_over_time(foo[range()] @ end())') as Call;
  resolveDurationExprs(r, { stepMs: 0, rangeMs: 60_000 });
  assert.equal((r.args[0] as MatrixSelector).range, 60_000);
  assert.throws(() => resolveDurationExprs(p('foo[step()]'), { stepMs: 0, rangeMs: 0 }), /duration must be greater than 0/);
});

test('binary operator modifiers', () => {
  const b = p('a * on(x, "y.z") group_left(w) fill_right(1) b') as BinaryExpr;
  assert.deepEqual(b.vectorMatching, {
    card: 'many-to-one',
    matchingLabels: ['x', 'y.z'],
    on: true,
    include: ['w'],
    fillValues: { lhs: null, rhs: 1 },
  });
  const c = p('a > bool ignoring(x) group_right b') as BinaryExpr;
  assert.equal(c.returnBool, true);
  assert.equal(c.vectorMatching!.card, 'one-to-many');
  assert.equal(c.vectorMatching!.on, false);
  assert.deepEqual(c.vectorMatching!.include, []);
  assert.equal((p('a and b') as BinaryExpr).vectorMatching!.card, 'many-to-many');
  assert.equal((p('a + 1') as BinaryExpr).vectorMatching, null);
  const f = p('a - fill_left(-Inf) fill_right(NaN) b') as BinaryExpr;
  assert.equal(f.vectorMatching!.fillValues.lhs, -Infinity);
  assert.ok(Number.isNaN(f.vectorMatching!.fillValues.rhs));
  assert.deepEqual((p('a + fill(0) b') as BinaryExpr).vectorMatching!.fillValues, { lhs: 0, rhs: 0 });
});

test('aggregations', () => {
  const cases: [string, string][] = [
    ['sum by (job) (x)', 'sum by (job) (x)'],
    ['sum(x) by (job)', 'sum by (job) (x)'],
    ['SUM WITHOUT (a, b,) (x)', 'sum without (a, b) (x)'],
    ['sum by () (x)', 'sum(x)'],
    ['sum without(and, by, avg, count, alert, annotations)(x)', 'sum without (and, by, avg, count, alert, annotations) (x)'],
    ['sum by ("foo bar", baz)({"some.metric"})', 'sum by ("foo bar", baz) ({__name__="some.metric"})'],
    ['topk(5, x)', 'topk(5, x)'],
    ['bottomk by (a) (2, x)', 'bottomk by (a) (2, x)'],
    ['quantile(0.9, x)', 'quantile(0.9, x)'],
    ['count_values("v", x)', 'count_values("v", x)'],
    ['limitk(2, x)', 'limitk(2, x)'],
    ['limit_ratio(0.5, x)', 'limit_ratio(0.5, x)'],
    ['group(x)', 'group(x)'],
    ['stddev(x) + stdvar(x)', 'stddev(x) + stdvar(x)'],
    ['sum(sum)', 'sum(sum)'],
  ];
  for (const [q, want] of cases) {
    const e = p(q);
    assert.equal(exprToString(e), want, q);
    assert.equal(exprType(e), 'vector', q);
  }
});

test('function calls are checked for arity and argument types', () => {
  assert.equal(exprType(p('time()')), 'scalar');
  assert.equal(exprType(p('round(x)')), 'vector');
  assert.equal(exprType(p('round(x, 5)')), 'vector');
  assert.equal(exprType(p('label_join(x, "d", ",", "a", "b", "c")')), 'vector');
  assert.equal(exprType(p('histogram_quantiles(x, "q", 0.1, 0.5, 0.9)')), 'vector');
  assert.equal(exprType(p('step() + range() + start() + end()')), 'scalar');
  assert.equal(exprType(p('max_of(1, min_of(2, 3))')), 'scalar');
  const info = p('info(x, {data=~".+"})') as Call;
  assert.equal((info.args[1] as VectorSelector).bypassEmptyMatcherCheck, true);
  assert.equal((p('info(x, {__name__="target_info"})') as Call).func.name, 'info');
});

test('errors are reported with Prometheus wording and positions', () => {
  const cases: [string, string][] = [
    ['', 'unknown position: parse error: no expression found in input'],
    ['# just a comment\n\n', '1:1: parse error: no expression found in input'],
    ['1+', '1:3: parse error: unexpected end of input'],
    ['.', "1:1: parse error: unexpected character: '.'"],
    ['2.5.', '1:1: parse error: bad number or duration syntax: "2.5."'],
    ['100..4', '1:1: parse error: bad number or duration syntax: "100.."'],
    ['0deadbeef', '1:1: parse error: bad number or duration syntax: "0de"'],
    ['*1', '1:1: parse error: unexpected <op:*>'],
    ['(1))', "1:5: parse error: unexpected right parenthesis ')'"],
    ['((1)', '1:5: parse error: unclosed left parenthesis'],
    ['(', '1:2: parse error: unclosed left parenthesis'],
    ['1 and 1', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
    ['1 == 1', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
    ['1 !~ 1', "1:3: parse error: unexpected character after '!': '~'"],
    ['1 =~ 1', "1:3: parse error: unexpected character after '=': '~'"],
    ['-"string"', '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"'],
    ['-test[5m]', '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"'],
    ['@@', '1:1: parse error: unexpected <op:@>'],
    ['1 offset 1d', '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery'],
    ['foo offset 1s offset 2s', '1:1: parse error: offset may not be set multiple times'],
    ['a - on(b) ignoring(c) d', '1:11: parse error: unexpected <ignoring>'],
    ['foo or on(bar) group_left(baz) bar', '1:1: parse error: no grouping allowed for "or" operation'],
    ['foo + on(x) group_left(x) bar', '1:5: parse error: label "x" must not occur in ON and GROUP clause at once'],
    ['foo + bool bar', '1:5: parse error: bool modifier can only be used on comparison operators'],
    ['foo @ +Inf', '1:1: parse error: timestamp out of bounds for @ modifier: +Inf'],
    ['foo @ NaN', '1:1: parse error: timestamp out of bounds for @ modifier: NaN'],
    ['foo @ 1 @ 2', '1:1: parse error: @ <timestamp> may not be set multiple times'],
    ['rate(x[5m]) @ 1', '1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery'],
    ['{', '1:2: parse error: unexpected end of input inside braces'],
    ['}', "1:1: parse error: unexpected character: '}'"],
    ['some_metric{a=b}', '1:15: parse error: unexpected identifier "b" in label matching, expected string'],
    ['some_metric{a:b="b"}', "1:14: parse error: unexpected character inside braces: ':'"],
    ['foo{gibberish}', '1:14: parse error: unexpected "}" in label matching, expected label matching operator'],
    ['foo{1}', "1:5: parse error: unexpected character inside braces: '1'"],
    ['foo{,}', '1:5: parse error: unexpected "," in label matching, expected identifier or "}"'],
    ['foo{__name__="bar" lol}', '1:20: parse error: unexpected identifier "lol" in label matching, expected "," or "}"'],
    ['foo{__name__= =}', '1:15: parse error: unexpected "=" in label matching, expected string'],
    ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['{x=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['foo{__name__="bar"}', '1:1: parse error: metric name must not be set twice: "foo" or "bar"'],
    ['foo[5mm]', '1:5: parse error: bad number or duration syntax: "5mm"'],
    ['foo[5m1h]', '1:5: parse error: not a valid duration string: "5m1h"'],
    ['foo[5y1hs]', '1:5: parse error: unknown unit "hs" in duration "5y1hs"'],
    ['foo[0m]', '1:5: parse error: duration must be greater than 0'],
    ['foo[-1]', '1:5: parse error: duration must be greater than 0'],
    ['avg_over_time(foo[5m:0s])', '1:22: parse error: duration must be greater than 0'],
    ['foo["5m"]', `1:5: parse error: unexpected character in duration expression: '"'`],
    ['foo[]', '1:5: parse error: unexpected "]" in subquery or range selector, expected number, duration, step(), or range()'],
    ['foo[step]', '1:9: parse error: unexpected "]" in subquery or range selector, expected number, duration, step(), or range()'],
    ['foo{bar="baz"}[', '1:16: parse error: unexpected end of input in duration expression'],
    ['foo[5m', '1:7: parse error: unclosed left bracket'],
    ['foo[1m:1m:1m]', "1:10: parse error: unexpected colon ':'"],
    ['foo[5s x 5s]', "1:8: parse error: unexpected character: 'x', expected ':'"],
    ['sum by (a) by (b) (x)', '1:12: parse error: unexpected <by> in aggregation'],
    ['abs x', '1:5: parse error: unexpected identifier "x"'],
    ['rate(x[5m)', '1:10: parse error: unexpected ")" in subquery or range, expected ":" or "]"'],
    ['sum(x) by', '1:10: parse error: unexpected end of input in grouping opts, expected "("'],
    ['foo[5s/0d]', '1:8: parse error: division by zero'],
    ['foo[5s%0d]', '1:8: parse error: modulo by zero'],
    ['foo offset (4d/0)', '1:16: parse error: division by zero'],
    ['foo offset 9.5e10', '1:12: parse error: duration out of range'],
    ['some_metric[5m] OFFSET', '1:23: parse error: unexpected end of input in offset, expected number, duration, step(), or range()'],
    ['some_metric OFFSET 1m[5m]', '1:22: parse error: no offset modifiers allowed before range'],
    ['some_metric @ 1234 [5m]', '1:20: parse error: no @ modifiers allowed before range'],
    ['some_metric[5m] @', '1:18: parse error: unexpected end of input in @, expected timestamp'],
    ['(foo + bar)[5m]', '1:12: parse error: ranges only allowed for vector selectors'],
    ['sum without(==)(x)', '1:13: parse error: unexpected <op:==> in grouping opts, expected label'],
    ['sum by ("")(x)', '1:9: parse error: invalid label name for grouping: ""'],
    ['sum by ("\\xff")(x)', '1:9: parse error: invalid label name for grouping: "\\xff"'],
    ['sum without(foo,,)(x)', '1:17: parse error: unexpected "," in grouping opts, expected label'],
    ['sum some_metric by (test)', '1:5: parse error: unexpected identifier "some_metric"'],
    ['sum (some_metric) by test', '1:22: parse error: unexpected identifier "test" in grouping opts, expected "("'],
    ['sum () by (test)', '1:1: parse error: no arguments for aggregate expression provided'],
    ['sum (x) without (a) by (b)', '1:21: parse error: unexpected <by>'],
    ['topk(some_metric)', '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1'],
    ['topk(some_metric,)', '1:17: parse error: trailing commas not allowed in function call args'],
    ['topk(a, b)', '1:6: parse error: expected type scalar in aggregation parameter, got instant vector'],
    ['count_values(5, x)', '1:14: parse error: expected type string in aggregation parameter, got scalar'],
    ['floor()', '1:1: parse error: expected 1 argument(s) in call to "floor", got 0'],
    ['floor(1)', '1:7: parse error: expected type instant vector in call to function "floor", got scalar'],
    ['hour(a, b, c)', '1:1: parse error: expected at most 1 argument(s) in call to "hour", got 3'],
    ['label_join(x)', '1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 1'],
    ['non_existent_function_far_bar()', '1:1: parse error: unknown function with name "non_existent_function_far_bar"'],
    ['rate(some_metric)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
    ['rate(x) + y[5m]', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
    ['x + y[5m]', '1:5: parse error: binary expression must contain only scalar and instant vector types'],
    ['x[5m:1m][5m:1m]', '1:1: parse error: subquery is only allowed on instant vector, got matrix instead'],
    ['-=', '1:2: parse error: unexpected "="'],
    ['++-++-+-+-<', '1:11: parse error: unexpected <op:<>'],
    ['a>b()', '1:3: parse error: unknown function with name "b"'],
    ['`\\``', '1:4: parse error: unterminated raw string'],
    ['"\\', '1:1: parse error: escape sequence not terminated'],
    ['"\\c"', "1:1: parse error: unknown escape sequence U+0063 'c'"],
    ['"\\x."', "1:1: parse error: illegal character U+002E '.' in escape sequence"],
    ['"abc', '1:1: parse error: unterminated quoted string'],
    ['info(x, target_info{a="b"})', '1:9: parse error: expected label selectors only, got vector selector instead'],
    ['info(x, {a="b"} == 1)', '1:9: parse error: expected label selectors only'],
    ['foo[5m] smoothed anchored', '1:1: parse error: anchored and smoothed modifiers cannot be used together'],
    ['foo[5m:1m] anchored', '1:1: parse error: anchored modifier is not supported for subqueries'],
    ['x + fill(0) 1', '1:1: parse error: filling in missing series only allowed between instant vectors'],
    ['x and fill(0) y', '1:1: parse error: filling in missing series not allowed for set operators'],
    ['sum(x)\n  + \n  foo{', '3:7: parse error: unexpected end of input inside braces'],
    // Columns count UTF-8 bytes, as in Prometheus.
    ['"ü" + fo{', '1:11: parse error: unexpected end of input inside braces'],
  ];
  const failures: string[] = [];
  for (const [q, want] of cases) {
    let got: string;
    try {
      parseExpr(q, ALL_FEATURES);
      got = '(parsed)';
    } catch (e) {
      got = (e as Error).message;
    }
    if (got !== want) failures.push(`${JSON.stringify(q)}\n    want ${want}\n    got  ${got}`);
  }
  assert.deepEqual(failures, []);
});

test('parse errors expose reason, position range and line/column', () => {
  const e = parseError('sum(rate(foo[5m])) + bar{a="b" c="d"}');
  assert.equal(e.reason, 'unexpected identifier "c" in label matching, expected "," or "}"');
  assert.deepEqual(e.positionRange, { start: 31, end: 32 });
  assert.equal(e.withLineOffset(4).message.startsWith('5:32: parse error:'), true);
});

test('experimental syntax needs its parser option', () => {
  const off = {};
  const cases: [string, string][] = [
    ['limitk(1, x)', 'limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions'],
    ['sort_by_label(x, "a")', 'function "sort_by_label" is not enabled'],
    ['start()', 'function "start" is not enabled'],
    ['foo[5m] anchored', 'anchored modifier is experimental and not enabled'],
    ['foo smoothed', 'smoothed modifier is experimental and not enabled'],
    ['a + fill(0) b', 'binop fill modifiers are experimental and not enabled'],
  ];
  for (const [q, reason] of cases) {
    assert.equal(parseError(q, off).reason, reason, q);
    p(q);
  }
  // Duration expressions are on by default (Prometheus 3.14) and can be switched off.
  const noDurationExpr = { enableDurationExpressions: false };
  for (const q of ['foo[5m+1m]', 'foo offset (5m)', 'foo[step()]']) {
    parseExpr(q, off);
    assert.equal(parseError(q, noDurationExpr).reason, 'experimental duration expression is not enabled', q);
  }
  // Plain literals, also negated ones, are not duration expressions.
  parseExpr('foo[90] offset -10', noDurationExpr);
});

test('invalid regular expressions become parse errors at the matcher', () => {
  const e = parseError('foo{a=~"(.*", b="c"}');
  assert.deepEqual(e.positionRange, { start: 4, end: 12 });
});

test('parseMetricSelector parses series selectors for match[]', () => {
  assert.deepEqual(
    parseMetricSelector('up{job="x"}').map((m) => [m.name, m.type, m.value]),
    [
      ['job', '=', 'x'],
      ['__name__', '=', 'up'],
    ],
  );
  assert.equal(parseMetricSelector('{__name__=~"a.*"}').length, 1);
  assert.throws(() => parseMetricSelector('up + 1'), ParseError);
  assert.throws(() => parseMetricSelector('rate(x[5m])'), ParseError);
});

test('comments are ignored', () => {
  assert.deepEqual(stripped(p('sum(x) # total\n + # more\n 1')), stripped(p('sum(x) + 1')));
  assert.equal((p('foo{# c\na="b"}') as VectorSelector).matchers.length, 2);
});

test('extractSelectors lists the matchers of every selector', () => {
  const sels = extractSelectors(p('sum(rate(a{x="1"}[5m])) / on() b + info(c, {d="e"})'));
  assert.deepEqual(
    sels.map((ms) => ms.map((m) => `${m.name}${m.type}${m.value}`)),
    [['x=1', '__name__=a'], ['__name__=b'], ['__name__=c'], ['d=e']],
  );
});
