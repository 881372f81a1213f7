import { test } from 'node:test';
import assert from 'node:assert/strict';
import snappy from 'snappy';
import SnappyJS from 'snappyjs';
import { snappyDecode, snappyDecodedLength } from './snappy.js';

/** Inputs with literals of every length class, short and long, overlapping and distant copies. */
function inputs(): Uint8Array[] {
  let x = 7;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2147483648), x);
  const out: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(1), new Uint8Array(100_000).fill(3)];
  for (const len of [10, 61, 300, 70_000, 300_000]) {
    const random = new Uint8Array(len).map(() => rnd() & 0xff);
    out.push(random);
    const mixed = new Uint8Array(len);
    for (let i = 0; i < len; i++) mixed[i] = i % 1000 < 500 ? (i >> 3) & 0xff : rnd() & 0x3;
    out.push(mixed);
  }
  return out;
}

test('decodes what native snappy and snappyjs encode, into a reused buffer', () => {
  const dst = new Uint8Array(400_000);
  for (const src of inputs()) {
    for (const enc of [snappy.compressSync(src), SnappyJS.compress(src)]) {
      assert.equal(snappyDecodedLength(enc), src.length);
      const n = snappyDecode(enc, dst);
      assert.equal(n, src.length);
      assert.deepEqual(dst.subarray(0, n), src);
    }
  }
});

test('malformed input throws instead of reading or writing out of bounds', () => {
  const enc = snappy.compressSync(new Uint8Array(1000).map((_, i) => i % 7));
  const dst = new Uint8Array(2000);
  assert.throws(() => snappyDecode(enc.subarray(0, enc.length - 2), dst), /snappy/);
  assert.throws(() => snappyDecode(enc, new Uint8Array(10)), /output buffer/);
  assert.throws(() => snappyDecode(Uint8Array.of(5, 0x01 | (0 << 2), 0), dst), /bad copy/);
  assert.throws(() => snappyDecode(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 1), dst), /length header/);
  assert.equal(snappyDecodedLength(Uint8Array.of(0x80)), -1);
});
