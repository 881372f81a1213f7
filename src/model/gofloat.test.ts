import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoFloat } from './gofloat.js';

test('floats print as Go %g does', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [1e6, '1e+06'],
    [0.0001, '0.0001'],
    [0.00001234, '1.234e-05'],
    [1.0267820369e10, '1.0267820369e+10'],
    [1e100, '1e+100'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [0.1 + 0.2, '0.30000000000000004'],
  ];
  for (const [v, s] of cases) assert.equal(formatGoFloat(v), s, String(v));
});
