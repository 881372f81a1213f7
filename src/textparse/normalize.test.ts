import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatOpenMetricsFloat, normalizeFloatLabel } from './normalize.js';

test('formatOpenMetricsFloat matches Go %g with a .0 for integers', () => {
  const cases: Array<[number, string]> = [
    [1, '1.0'],
    [0, '0.0'],
    [-0, '0.0'],
    [-1, '-1.0'],
    [0.5, '0.5'],
    [2.5, '2.5'],
    [10, '10.0'],
    [100000, '100000.0'],
    [1e6, '1e+06'],
    [123456789, '1.23456789e+08'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.1e-4, '0.00011'],
    [-1.5e-7, '-1.5e-07'],
    [1e100, '1e+100'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ];
  for (const [f, s] of cases) assert.equal(formatOpenMetricsFloat(f), s, String(f));
});

test('normalizeFloatLabel rewrites floats and keeps anything else', () => {
  assert.equal(normalizeFloatLabel('1'), '1.0');
  assert.equal(normalizeFloatLabel('+inf'), '+Inf');
  assert.equal(normalizeFloatLabel('0.250'), '0.25');
  assert.equal(normalizeFloatLabel('1e-04'), '0.0001');
  assert.equal(normalizeFloatLabel('fast'), 'fast');
  assert.equal(normalizeFloatLabel('0x10'), '0x10');
});
