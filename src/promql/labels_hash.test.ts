import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xxhash64 } from './labels_hash.js';

test('xxhash64 matches the reference vectors', () => {
  const enc = new TextEncoder();
  assert.equal(xxhash64(new Uint8Array(0)), 0xef46db3751d8e999n);
  assert.equal(xxhash64(enc.encode('a')), 0xd24ec4f1a98c6e5bn);
  assert.equal(xxhash64(enc.encode('abc')), 0x44bc2cf5ad770999n);
  assert.equal(xxhash64(enc.encode('Nobody inspects the spammish repetition')), 0xfbcea83c8a378bf1n);
});
