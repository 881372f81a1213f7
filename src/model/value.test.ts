import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STALE_NAN, isStaleNaN, float64Bits, writeStaleNaN } from './value.js';

test('stale marker keeps its bit pattern', () => {
  assert.equal(float64Bits(STALE_NAN), 0x7ff0000000000002n);
  assert.ok(isStaleNaN(STALE_NAN));
  assert.ok(!isStaleNaN(NaN));
  assert.ok(!isStaleNaN(1));
  const arr = new Float64Array(2);
  writeStaleNaN(arr, 1);
  assert.ok(isStaleNaN(arr[1]));
});
