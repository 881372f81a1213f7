import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUlid, newUlid, ulidTime } from './ulid.js';

test('ulid encodes time and randomness in Crockford base32', () => {
  // Spec example: time 1469918176385 gives the prefix 01ARYZ6S41.
  const id = newUlid(1469918176385, new Uint8Array(10));
  assert.equal(id, '01ARYZ6S41' + '0'.repeat(16));
  assert.equal(ulidTime(id), 1469918176385);
  const ones = newUlid(0, new Uint8Array(10).fill(255));
  assert.equal(ones, '0000000000' + 'Z'.repeat(16));
  assert.ok(isUlid(newUlid()));
  assert.ok(!isUlid('01ARYZ6S41000000000000000I'));
  assert.ok(!isUlid('81ARYZ6S410000000000000000'));
});

test('ulids sort by time and differ by randomness', () => {
  const a = newUlid(1000);
  const b = newUlid(2000);
  assert.ok(a < b);
  assert.notEqual(newUlid(5), newUlid(5));
  assert.equal(ulidTime('01M82FSA0CMREWM6TPFR6VRBG2') > 0, true);
});
