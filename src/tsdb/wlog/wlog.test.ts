import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../testing/peers.js';
import { crc32c } from '../encoding/crc32c.js';
import { WAL } from './writer.js';
import { WalCorruptionError, WalReader } from './reader.js';
import { repairWal } from './repair.js';
import { listSegments, PAGE_SIZE } from './segment.js';

/** Deterministic record i: compressible (repetitive) or not (pseudo-random), of length len. */
function makeRecord(i: number, len: number, random: boolean): Uint8Array {
  const b = new Uint8Array(len);
  let x = (i + 1) * 2654435761;
  for (let k = 0; k < len; k++) {
    if (random) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[k] = x & 0xff;
    } else b[k] = (i + (k >> 5)) & 0xff;
  }
  if (len >= 4) new DataView(b.buffer).setUint32(0, i);
  return b;
}

const SIZES = [0, 1, 10, 100, 1000, 7, PAGE_SIZE - 7, PAGE_SIZE - 14, PAGE_SIZE, 3 * PAGE_SIZE + 5, 50_000, 13];

function readAll(dir: string): { recs: Uint8Array[]; err: Error | undefined } {
  const r = new WalReader(listSegments(dir), dir);
  const recs: Uint8Array[] = [];
  while (r.next()) recs.push(new Uint8Array(r.record()));
  r.close();
  return { recs, err: r.err };
}

for (const compress of [false, true]) {
  test(`records of every size round trip across segments (compress=${compress})`, () => {
    const tmp = tempDir();
    try {
      const w = WAL.open(tmp.path, { segmentSize: 4 * PAGE_SIZE, compress });
      const want: Uint8Array[] = [];
      for (let i = 0; i < 120; i++) {
        const rec = makeRecord(i, SIZES[i % SIZES.length]!, i % 3 === 0);
        want.push(rec);
        if (i % 5 === 4) w.log(want[i - 1]!, rec);
        else if (i % 5 !== 3) w.log(rec);
      }
      w.close();
      const segs = listSegments(tmp.path);
      assert.ok(segs.length > 5, `expected several segments, got ${segs.length}`);
      for (const s of segs.slice(0, -1)) {
        const size = statSync(s.path).size;
        assert.equal(size % PAGE_SIZE, 0, `closed segment ${s.index} is page aligned`);
        assert.ok(size <= 4 * PAGE_SIZE, `segment ${s.index} (${size} bytes) within the segment size`);
      }
      const { recs, err } = readAll(tmp.path);
      assert.equal(err, undefined);
      assert.equal(recs.length, want.length);
      for (let i = 0; i < want.length; i++) assert.deepEqual(recs[i], want[i], `record ${i}`);
    } finally {
      tmp.remove();
    }
  });
}

test('exact page layout: header, crc, zero padding, fragment types', () => {
  const tmp = tempDir();
  try {
    const w = WAL.open(tmp.path, { compress: false });
    const a = makeRecord(1, 10, true);
    w.log(a);
    // Fills the page up to 5 bytes before its end: less than a header, so 5 zero bytes follow.
    const b = makeRecord(2, PAGE_SIZE - (7 + 10) - 7 - 5, true);
    w.log(b);
    const c = makeRecord(3, PAGE_SIZE, true); // first + last fragments
    w.log(c);
    w.close();
    const f = readFileSync(join(tmp.path, '00000000'));
    assert.equal(f[0], 1);
    assert.equal(f.readUInt16BE(1), 10);
    assert.equal(f.readUInt32BE(3), crc32c(a));
    assert.deepEqual(new Uint8Array(f.subarray(7, 17)), a);
    assert.equal(f[17], 1);
    const padStart = 17 + 7 + b.length;
    assert.equal(padStart, PAGE_SIZE - 5);
    assert.deepEqual([...f.subarray(padStart, PAGE_SIZE)], [0, 0, 0, 0, 0]);
    assert.equal(f[PAGE_SIZE], 2, 'first fragment');
    assert.equal(f.readUInt16BE(PAGE_SIZE + 1), PAGE_SIZE - 7);
    assert.equal(f[2 * PAGE_SIZE], 4, 'last fragment');
    assert.equal(f.readUInt16BE(2 * PAGE_SIZE + 1), 7);
    // Closing pads the last page, as Prometheus does.
    assert.equal(f.length, 3 * PAGE_SIZE);
    assert.ok(f.subarray(2 * PAGE_SIZE + 14).every((b) => b === 0), 'zero padding after the last fragment');
  } finally {
    tmp.remove();
  }
});

test('snappy flag is set only when compression shrinks the record', () => {
  const tmp = tempDir();
  try {
    const w = WAL.open(tmp.path, { compress: true });
    w.log(new Uint8Array(1000).fill(7));
    w.log(makeRecord(0, 50, true));
    w.close();
    assert.equal(w.metrics.pageFlushes, 3, "two logs and the closing pad");
    assert.equal(w.metrics.recordPartWrites, 2);
    assert.ok(w.metrics.recordBytesSaved > 900, `saved ${w.metrics.recordBytesSaved}`);
    assert.equal(w.metrics.fsyncs, 1, 'fsync on close only');
    const f = readFileSync(join(tmp.path, '00000000'));
    assert.equal(f[0], 1 | 8);
    assert.ok(f.subarray(w.metrics.recordPartBytes).every((b) => b === 0) && f.length === PAGE_SIZE, 'fragments, then padding to the page end');
    const len = f.readUInt16BE(1);
    assert.ok(len < 100, 'len < 100');
    assert.equal(f[7 + len], 1);
    assert.deepEqual(readAll(tmp.path).recs, [new Uint8Array(1000).fill(7), makeRecord(0, 50, true)]);
  } finally {
    tmp.remove();
  }
});

test('a record larger than a segment gets its own segment; reopening starts a new segment; truncate', () => {
  const tmp = tempDir();
  try {
    const w = WAL.open(tmp.path, { segmentSize: 2 * PAGE_SIZE, compress: false });
    w.log(makeRecord(0, 100, true));
    w.log(makeRecord(1, 5 * PAGE_SIZE, true));
    w.log(makeRecord(2, 100, true));
    w.close();
    assert.deepEqual(listSegments(tmp.path).map((s) => s.index), [0, 1, 2]);
    assert.ok(statSync(join(tmp.path, '00000001')).size > 2 * PAGE_SIZE);
    const w2 = WAL.open(tmp.path, { segmentSize: 2 * PAGE_SIZE });
    assert.equal(w2.currentSegment(), 3);
    w2.log(makeRecord(3, 10, true));
    assert.equal(w2.truncate(2), 2);
    assert.equal(w2.truncate(100), 1, 'never deletes the segment being written');
    w2.close();
    assert.deepEqual(readAll(tmp.path).recs, [makeRecord(3, 10, true)]);
  } finally {
    tmp.remove();
  }
});

/** Writes n records (mixed sizes) into a fresh WAL; returns them and the end offsets in segment 0. */
function writeSample(dir: string, n: number): { recs: Uint8Array[]; ends: number[] } {
  const w = WAL.open(dir, { compress: false });
  const recs: Uint8Array[] = [];
  const ends: number[] = [];
  for (let i = 0; i < n; i++) {
    const rec = makeRecord(i, [20, 3000, 40000, 1][i % 4]!, true);
    w.log(rec);
    recs.push(rec);
    ends.push(statSync(join(dir, '00000000')).size);
  }
  w.close();
  return { recs, ends };
}

test('torn tail at every kind of cut: complete records survive, repair truncates, writing continues', () => {
  const tmp = tempDir();
  try {
    const { recs, ends } = writeSample(tmp.path, 12);
    const full = readFileSync(join(tmp.path, '00000000'));
    const cuts = [ends[5]! - 1, ends[5]! - 3000, ends[2]! + 3, ends[6]! + 7 + 100, ends[8]! + 2, ends[9]!, 1, 0];
    for (const cut of cuts) {
      writeFileSync(join(tmp.path, '00000000'), full.subarray(0, cut));
      for (const s of listSegments(tmp.path)) if (s.index > 0) truncateSync(s.path, 0);
      const complete = ends.filter((e) => e <= cut).length;
      const first = readAll(tmp.path);
      assert.equal(first.recs.length, complete, `cut ${cut}`);
      for (let i = 0; i < complete; i++) assert.deepEqual(first.recs[i], recs[i]);
      if (first.err) {
        assert.ok(first.err instanceof WalCorruptionError, String(first.err));
        assert.equal(first.err.offset, complete === 0 ? 0 : ends[complete - 1]);
        const res = repairWal(tmp.path, first.err);
        assert.equal(res.segment, 0);
        assert.equal(statSync(join(tmp.path, '00000000')).size, first.err.offset);
      }
      const again = readAll(tmp.path);
      assert.equal(again.err, undefined);
      assert.equal(again.recs.length, complete);
    }
    const w = WAL.open(tmp.path, { compress: false });
    w.log(makeRecord(99, 50, true));
    w.close();
    const after = readAll(tmp.path);
    assert.equal(after.err, undefined);
    assert.deepEqual(after.recs.at(-1), makeRecord(99, 50, true));
  } finally {
    tmp.remove();
  }
});

test('bit flips are caught by the checksum; repair drops the damaged record, later ones and later segments', () => {
  const tmp = tempDir();
  try {
    const { ends } = writeSample(tmp.path, 12);
    const w = WAL.open(tmp.path, { compress: false });
    w.log(makeRecord(50, 10, true));
    w.close();
    const path = join(tmp.path, '00000000');
    const f = readFileSync(path);
    f[ends[6]! + 4] ^= 0x40; // inside record 7's stored CRC
    writeFileSync(path, f);
    const { recs, err } = readAll(tmp.path);
    assert.equal(recs.length, 7);
    assert.ok(err instanceof WalCorruptionError, 'err instanceof WalCorruptionError');
    assert.match(err.message, /checksum mismatch/);
    assert.equal(err.offset, ends[6]);
    const logs: string[] = [];
    const res = repairWal(tmp.path, err, (m) => logs.push(m));
    assert.equal(res.emptiedSegments, 1);
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /kept \d+ bytes of segment 00000000/);
    assert.deepEqual(readdirSync(tmp.path), ['00000000', '00000001']);
    assert.equal(statSync(join(tmp.path, '00000001')).size, 0);
    assert.equal(readAll(tmp.path).recs.length, 7);
  } finally {
    tmp.remove();
  }
});

test('garbage in page padding and fragments out of order are corruption; zstd records are refused, not repaired', () => {
  const tmp = tempDir();
  try {
    writeSample(tmp.path, 2);
    const path = join(tmp.path, '00000000');
    const f = readFileSync(path);
    // A zero type byte claims the rest of the page is padding; a stray byte after it is corruption.
    const g = Buffer.concat([f, Buffer.from([0, 0, 0, 9])]);
    writeFileSync(path, g);
    let r = readAll(tmp.path);
    assert.equal(r.recs.length, 2);
    assert.match(String(r.err), /non-zero byte in page padding/);
    // A "last" fragment with no "first".
    const h = Buffer.concat([f, Buffer.from([4, 0, 1, ...Buffer.alloc(4), 0])]);
    h.writeUInt32BE(crc32c(Uint8Array.of(0)), f.length + 3);
    writeFileSync(path, h);
    r = readAll(tmp.path);
    assert.match(String(r.err), /last fragment without a first/);
    const z = Buffer.from(f);
    z[0] |= 0x10;
    writeFileSync(path, z);
    r = readAll(tmp.path);
    assert.equal(r.recs.length, 0);
    assert.ok(!(r.err instanceof WalCorruptionError), '!(r.err instanceof WalCorruptionError)');
    assert.match(String(r.err), /zstd/);
  } finally {
    tmp.remove();
  }
});

test('a writer opened before replay survives a repair that empties later segments', () => {
  const tmp = tempDir();
  try {
    const w0 = WAL.open(tmp.path, { compress: false });
    for (let i = 0; i < 3; i++) w0.log(makeRecord(i, 100, true));
    w0.nextSegment();
    w0.log(makeRecord(3, 100, true));
    w0.close();
    // Damage segment 0, then open the writer first (it creates segment 2) and repair after.
    const p0 = join(tmp.path, '00000000');
    const f = readFileSync(p0);
    f[7 + 100 + 7 + 50] ^= 1;
    writeFileSync(p0, f);
    const w = WAL.open(tmp.path, { compress: false });
    assert.equal(w.currentSegment(), 2);
    const first = readAll(tmp.path);
    assert.equal(first.recs.length, 1);
    assert.ok(first.err instanceof WalCorruptionError, String(first.err));
    repairWal(tmp.path, first.err);
    w.log(makeRecord(9, 100, true));
    w.close();
    const after = readAll(tmp.path);
    assert.equal(after.err, undefined);
    assert.deepEqual(after.recs, [makeRecord(0, 100, true), makeRecord(9, 100, true)]);
  } finally {
    tmp.remove();
  }
});
