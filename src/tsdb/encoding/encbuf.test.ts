import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EncBuf } from './encbuf.js';
import { DecBuf } from './decbuf.js';
import { crc32c } from './crc32c.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('fixed-width integers are big-endian', () => {
  const e = new EncBuf(4);
  e.putByte(0xab);
  e.putBE16(0x0102);
  e.putBE32(0xdeadbeef);
  assert.equal(hex(e.get()), 'ab0102deadbeef');
  e.reset();
  e.putBE64(2 ** 53 - 1);
  e.putBE64(-1);
  e.putBE64Big(0xfedcba9876543210n);
  e.putBE64Float(1.5);
  assert.equal(hex(e.get()), '001fffffffffffff' + 'ffffffffffffffff' + 'fedcba9876543210' + '3ff8000000000000');
  const d = new DecBuf(e.get());
  assert.equal(d.be64(), 2 ** 53 - 1);
  assert.equal(d.be64Signed(), -1);
  assert.equal(d.be64Big(), 0xfedcba9876543210n);
  assert.equal(d.be64Float(), 1.5);
  assert.equal(d.len(), 0);
  assert.equal(d.err, undefined);
});

test('uvarint encoding matches LEB128 and round-trips across the safe range', () => {
  const e = new EncBuf();
  e.putUvarint(300);
  assert.equal(hex(e.get()), 'ac02');
  e.reset();
  e.putVarint(-1);
  e.putVarint(1);
  e.putVarint(-64);
  assert.equal(hex(e.get()), '01027f');
  const values = [0, 1, 127, 128, 16383, 16384, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32 + 5, 1.7e12, 2 ** 53 - 1];
  e.reset();
  for (const v of values) {
    e.putUvarint(v);
    // Zigzag doubles the magnitude, so signed values are exact up to 2^52.
    const sv = Math.min(v, 2 ** 52);
    e.putVarint(sv);
    e.putVarint(-sv);
    assert.equal(EncBuf.uvarintSize(v), (() => { const x = new EncBuf(); x.putUvarint(v); return x.len; })());
  }
  const d = new DecBuf(e.get());
  for (const v of values) {
    const sv = Math.min(v, 2 ** 52);
    assert.equal(d.uvarint(), v);
    assert.equal(d.varint(), sv);
    assert.equal(d.varint(), -sv === 0 ? 0 : -sv);
  }
  assert.equal(d.err, undefined);
  assert.equal(d.len(), 0);
});

test('64-bit varints as bigint', () => {
  const e = new EncBuf();
  const vals = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 123456789012345678n];
  for (const v of vals) e.putVarintBig(v);
  e.putUvarintBig(2n ** 64n - 1n);
  const d = new DecBuf(e.get());
  for (const v of vals) assert.equal(d.varintBig(), v);
  assert.equal(d.uvarintBig(), 2n ** 64n - 1n);
  assert.equal(d.err, undefined);
  // The same bytes read as a number: the max u64 is not exact but must not error.
  const d2 = new DecBuf(e.get(), e.len - 10);
  assert.ok(d2.uvarint() > 1.8e19, 'd2.uvarint() > 1.8e19');
  assert.equal(d2.err, undefined);
});

test('strings and bytes, ASCII and multi-byte UTF-8, short and long', () => {
  const e = new EncBuf(8);
  const strs = ['', 'a', '__name__', 'ünïcødé', '日本語ラベル', 'x'.repeat(1000), 'é'.repeat(40)];
  for (const s of strs) e.putUvarintStr(s);
  e.putUvarintBytes(Uint8Array.of(1, 2, 3));
  e.putString('raw');
  const d = new DecBuf(e.get());
  for (const s of strs) assert.equal(d.uvarintStr(), s);
  assert.deepEqual([...d.uvarintBytes()], [1, 2, 3]);
  assert.equal(d.string(3), 'raw');
  assert.equal(d.err, undefined);
});

test('reserve/setBE32 and putCRC32C', () => {
  const e = new EncBuf();
  const at = e.reserve(4);
  e.putString('123456789');
  e.setBE32(at, 9);
  e.putCRC32C(4);
  const d = new DecBuf(e.get());
  assert.equal(d.be32(), 9);
  d.skip(9);
  assert.equal(d.be32(), 0xe3069283);
  assert.equal(d.crc32c(4, 13), crc32c(new TextEncoder().encode('123456789')));
});

test('decoder errors are sticky and never throw', () => {
  const d = new DecBuf(Uint8Array.of(0x80, 0x80));
  assert.equal(d.uvarint(), 0);
  assert.match(d.err!, /truncated varint/);
  assert.equal(d.be32(), 0);
  assert.match(d.err!, /truncated varint/);
  d.reset(Uint8Array.of(0, 5, 65));
  assert.equal(d.be16(), 5);
  assert.equal(d.be32(), 0);
  assert.match(d.err!, /unexpected end/);
  d.reset(Uint8Array.of(5, 65));
  assert.equal(d.uvarintStr(), '');
  assert.ok(d.err, 'd.err');
  d.reset(new Uint8Array(11).fill(0xff));
  d.uvarint();
  assert.match(d.err!, /overflows/);
  d.reset(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0x0f));
  assert.equal(d.uvarint32(), 0);
  assert.match(d.err!, /32 bits/);
});

test('DecBuf honours start/end bounds of a larger array', () => {
  const b = Uint8Array.of(9, 9, 0, 0, 0, 7, 9);
  const d = new DecBuf(b, 2, 6);
  assert.equal(d.be32(), 7);
  assert.equal(d.byte(), 0);
  assert.ok(d.err, 'd.err');
});
