import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_FEATURES, parseExpr } from './parser.js';
import { toTreeJSON } from './tree_json.js';

test('parse_query tree JSON', () => {
  const tree = toTreeJSON(
    parseExpr('sum by (job) (rate(foo{a="b"}[5m] offset 1m)) / on (job) group_left fill_right (1) -sum_over_time(bar[1h:5m] @ 10)', ALL_FEATURES),
  );
  assert.deepEqual(tree, {
    type: 'binaryExpr',
    op: '/',
    bool: false,
    matching: { card: 'many-to-one', labels: ['job'], on: true, include: [], fillValues: { lhs: null, rhs: 1 } },
    lhs: {
      type: 'aggregation',
      op: 'sum',
      grouping: ['job'],
      without: false,
      param: null,
      expr: {
        type: 'call',
        func: { name: 'rate', argTypes: ['matrix'], variadic: 0, returnType: 'vector' },
        args: [
          {
            type: 'matrixSelector',
            name: 'foo',
            range: 300_000,
            offset: 60_000,
            matchers: [
              { name: 'a', value: 'b', type: '=' },
              { name: '__name__', value: 'foo', type: '=' },
            ],
            timestamp: null,
            startOrEnd: null,
            anchored: false,
            smoothed: false,
          },
        ],
      },
    },
    rhs: {
      type: 'unaryExpr',
      op: '-',
      expr: {
        type: 'call',
        func: { name: 'sum_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector' },
        args: [
          {
            type: 'subquery',
            range: 3_600_000,
            step: 300_000,
            offset: 0,
            timestamp: 10_000,
            startOrEnd: null,
            alignEvalTime: false,
            expr: {
              type: 'vectorSelector',
              name: 'bar',
              offset: 0,
              matchers: [{ name: '__name__', value: 'bar', type: '=' }],
              timestamp: null,
              startOrEnd: null,
              anchored: false,
              smoothed: false,
            },
          },
        ],
      },
    },
  });
  assert.deepEqual(toTreeJSON(parseExpr('(1e3 * count_values("x", y))', ALL_FEATURES)), {
    type: 'parenExpr',
    expr: {
      type: 'binaryExpr',
      op: '*',
      bool: false,
      matching: null,
      lhs: { type: 'numberLiteral', val: '1000' },
      rhs: {
        type: 'aggregation',
        op: 'count_values',
        param: { type: 'stringLiteral', val: 'x' },
        expr: {
          type: 'vectorSelector',
          name: 'y',
          offset: 0,
          matchers: [{ name: '__name__', value: 'y', type: '=' }],
          timestamp: null,
          startOrEnd: null,
          anchored: false,
          smoothed: false,
        },
        grouping: [],
        without: false,
      },
    },
  });
});
