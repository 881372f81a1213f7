import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import { formatApiFloat, formatValue, Matrix, Scalar, StringValue, toApiData, Vector } from './value.js';

test('floats format as Prometheus renders them in JSON', () => {
  assert.equal(formatValue(1), '1');
  assert.equal(formatValue(0.1), '0.1');
  assert.equal(formatValue(-2.5), '-2.5');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(Infinity), '+Inf');
  assert.equal(formatValue(-Infinity), '-Inf');
  assert.equal(formatValue(1e21), '1000000000000000000000');
  assert.equal(formatValue(1.5e-7), '0.00000015');
  assert.equal(formatValue(-1.25e22), '-12500000000000000000000');
});

test('API data shapes for every result type', () => {
  assert.deepEqual(toApiData(new Scalar(1500, 2)), { resultType: 'scalar', result: [1.5, '2'] });
  assert.deepEqual(toApiData(new StringValue(1000, 'x')), { resultType: 'string', result: [1, 'x'] });
  const l = Labels.fromStrings('__name__', 'up', 'job', 'a');
  assert.deepEqual(toApiData(new Vector([l], Float64Array.of(2000), Float64Array.of(1))), {
    resultType: 'vector',
    result: [{ metric: { __name__: 'up', job: 'a' }, value: [2, '1'] }],
  });
  assert.deepEqual(toApiData(new Matrix([{ labels: l, timestamps: Float64Array.of(0, 15000), values: Float64Array.of(1, NaN) }])), {
    resultType: 'matrix',
    result: [{ metric: { __name__: 'up', job: 'a' }, values: [[0, '1'], [15, 'NaN']] }],
  });
});

test('API floats are written as Prometheus writes them in JSON (e format below 1e-6 and from 1e21)', () => {
  const cases: [number, string][] = [
    [1e-7, '1e-07'],
    [-1.5e-7, '-1.5e-07'],
    [1e21, '1e+21'],
    [1.234e300, '1.234e+300'],
    [1e-6, '0.000001'],
    [1e20, '100000000000000000000'],
    [0.05, '0.05'],
    [0, '0'],
    [NaN, 'NaN'],
    [-Infinity, '-Inf'],
  ];
  for (const [v, want] of cases) assert.equal(formatApiFloat(v), want, String(v));
});
