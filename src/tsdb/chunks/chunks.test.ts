import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../testing/peers.js';
import { ChunkWriter } from './writer.js';
import { ChunkReader, ChunkScratch } from './reader.js';
import { refOffset, refSegment } from './format.js';

test('chunk records round-trip and match the documented layout', () => {
  const tmp = tempDir();
  try {
    const w = new ChunkWriter(join(tmp.path, 'chunks'));
    const a = w.write(1, new Uint8Array([0, 1, 2, 3]));
    const b = w.write(2, new Uint8Array(200).fill(7));
    w.close();
    assert.equal(a, 8);
    assert.equal(b, 8 + 1 + 1 + 4 + 4);
    const file = readFileSync(join(tmp.path, 'chunks', '000001'));
    assert.deepEqual([...file.subarray(0, 8)], [0x85, 0xbd, 0x40, 0xdd, 1, 0, 0, 0]);
    assert.deepEqual([...file.subarray(8, 14)], [4, 1, 0, 1, 2, 3]);
    const r = new ChunkReader(join(tmp.path, 'chunks'));
    const ca = r.chunk(a);
    assert.equal(ca.encoding, 1);
    assert.deepEqual([...ca.data], [0, 1, 2, 3]);
    const cb = r.chunk(b);
    assert.equal(cb.encoding, 2);
    assert.equal(cb.data.length, 200);
  } finally {
    tmp.remove();
  }
});

test('segments are cut at the size limit and refs carry the segment number', () => {
  const tmp = tempDir();
  try {
    const w = new ChunkWriter(tmp.path, 1000);
    const refs: number[] = [];
    for (let i = 0; i < 30; i++) refs.push(w.write(1, new Uint8Array(100).fill(i)));
    w.close();
    const files = readdirSync(tmp.path).sort();
    assert.ok(files.length >= 3);
    assert.equal(files[0], '000001');
    for (const f of files) assert.ok(readFileSync(join(tmp.path, f)).length <= 1000);
    assert.equal(refSegment(refs[29]), files.length - 1);
    const r = new ChunkReader(tmp.path);
    for (let i = 0; i < 30; i++) assert.equal(r.chunk(refs[i]).data[50], i);
    assert.equal(refOffset(refs[0]), 8);
  } finally {
    tmp.remove();
  }
});

test('a corrupted chunk is reported with its ref', () => {
  const tmp = tempDir();
  try {
    const w = new ChunkWriter(tmp.path);
    const ref = w.write(1, new Uint8Array([9, 9, 9]));
    w.close();
    const f = join(tmp.path, '000001');
    const bytes = readFileSync(f);
    bytes[11] ^= 0xff;
    writeFileSync(f, bytes);
    assert.throws(() => new ChunkReader(tmp.path).chunk(ref), /checksum mismatch for chunk at ref 8/);
    assert.throws(() => new ChunkReader(tmp.path).chunk(ref + 100), /outside segment/);
    writeFileSync(f, Buffer.from('garbage!!'));
    assert.throws(() => new ChunkReader(tmp.path).chunk(ref), /invalid magic/);
  } finally {
    tmp.remove();
  }
});

test('chunks larger than the read window and across segments read back intact', () => {
  const tmp = tempDir();
  try {
    const w = new ChunkWriter(tmp.path, (5 << 20) / 2);
    const big = new Uint8Array(1_500_000).map((_, i) => i & 0xff);
    const refs = [w.write(1, new Uint8Array([1])), w.write(3, big), w.write(1, new Uint8Array([2])), w.write(3, big), w.write(1, new Uint8Array([3]))];
    w.close();
    assert.equal(refSegment(refs[4]), 1);
    const r = new ChunkReader(tmp.path);
    const scratch = new ChunkScratch();
    // Out of order on purpose: every read may need a fresh window.
    for (const i of [4, 1, 0, 3, 2]) {
      r.chunkInto(refs[i], scratch);
      if (i % 2 === 1) {
        assert.equal(scratch.encoding, 3);
        assert.equal(scratch.len, big.length);
        assert.deepEqual(scratch.buf.subarray(0, scratch.len), big);
      } else assert.deepEqual([...scratch.buf.subarray(0, scratch.len)], [i / 2 + 1]);
    }
    r.close();
  } finally {
    tmp.remove();
  }
});
