import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../testing/paths.js';
import { ValueType } from '../../storage/interface.js';
import { STALE_NAN, isStaleNaN, float64Bits } from '../../model/value.js';
import { XORChunk, XORIterator } from './xor.js';
import { Encoding } from './chunk.js';

const testdata = join(repoRoot, 'src', 'tsdb', 'chunkenc', 'testdata');

interface RawChunk {
  encoding: number;
  data: Uint8Array;
}

/** Splits a Prometheus chunks segment file into its chunks (CRC not checked here). */
function readChunkFile(buf: Uint8Array): RawChunk[] {
  assert.equal(buf[0], 0x85);
  assert.equal(buf[3], 0xdd);
  const out: RawChunk[] = [];
  let p = 8;
  while (p < buf.length) {
    let len = 0;
    let shift = 0;
    for (;;) {
      const b = buf[p++];
      len |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    const encoding = buf[p++];
    out.push({ encoding, data: new Uint8Array(buf.buffer, buf.byteOffset + p, len) });
    p += len + 4;
  }
  return out;
}

function parseValue(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/** The fixture's samples per series, in the label order promtool writes series. */
function readFixture(): Map<string, { t: number[]; v: number[] }> {
  const series = new Map<string, { t: number[]; v: number[] }>();
  for (const line of readFileSync(join(testdata, 'samples.om'), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [name, value, ts] = line.split(' ');
    let s = series.get(name);
    if (!s) series.set(name, (s = { t: [], v: [] }));
    s.t.push(Math.round(Number(ts) * 1000));
    s.v.push(parseValue(value));
  }
  return new Map([...series.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

function decode(data: Uint8Array): { t: number[]; v: number[] } {
  const it = new XORIterator().reset(data, 0, data.length);
  const t: number[] = [];
  const v: number[] = [];
  while (it.next() === ValueType.Float) {
    t.push(it.atT());
    v.push(it.atV());
  }
  assert.equal(it.err(), null);
  return { t, v };
}

test('decodes chunks written by Prometheus 2.42 and re-encodes them byte for byte', () => {
  const chunks = readChunkFile(readFileSync(join(testdata, 'prom-2.42-chunks-000001')));
  const fixture = readFixture();
  assert.equal(chunks.length, 31);
  const allT: number[] = [];
  const allV: number[] = [];
  for (const c of chunks) {
    assert.equal(c.encoding, Encoding.XOR);
    const { t, v } = decode(c.data);
    assert.equal(t.length, (c.data[0] << 8) | c.data[1]);
    const re = new XORChunk();
    const app = re.appender();
    for (let i = 0; i < t.length; i++) app.append(t[i], v[i]);
    assert.deepEqual(re.bytes(), c.data);
    allT.push(...t);
    allV.push(...v);
  }
  const wantT = [...fixture.values()].flatMap((s) => s.t);
  const wantV = [...fixture.values()].flatMap((s) => s.v);
  assert.deepEqual(allT, wantT);
  assert.equal(allV.length, wantV.length);
  for (let i = 0; i < wantV.length; i++) {
    if (Number.isNaN(wantV[i])) assert.ok(Number.isNaN(allV[i]));
    else assert.ok(Object.is(allV[i], wantV[i]), `sample ${i}: ${allV[i]} != ${wantV[i]}`);
  }
});

test('keeps NaN payloads exact, stale markers included', () => {
  const c = new XORChunk();
  const app = c.appender();
  // A Float64Array, not a JS array: V8 quiets signalling NaNs (the stale marker) stored in
  // double arrays.
  const vals = new Float64Array(new BigUint64Array([
    0x3ff0000000000000n, 0x7ff0000000000002n, 0x4000000000000000n, 0x7ff8000000000001n,
    0x7ff0000000000002n, 0x7ff0000000000002n, 0x8000000000000000n, 0n,
  ]).buffer);
  assert.ok(isStaleNaN(vals[1]) && float64Bits(vals[1]) === float64Bits(STALE_NAN));
  vals.forEach((v, i) => app.append(1000 + i * 15000, v));
  const it = c.iterator();
  for (const v of vals) {
    assert.equal(it.next(), ValueType.Float);
    assert.equal(float64Bits(it.atV()), float64Bits(v));
  }
  assert.equal(it.next(), ValueType.None);
  it.reset(c.bytes(), 0, c.bytes().length);
  it.next();
  it.next();
  assert.ok(isStaleNaN(it.atV()));
});

test('round-trips extreme timestamps and deltas in every bucket', () => {
  const ts = [-5_000_000_000_000, -4_999_999_999_000, -4_999_999_998_000];
  let t = 0;
  for (const d of [1, 2, 8193, 8194, 8194 - 8191, 65537, 1, 524289, 1, 2 ** 40, 1, 3, 2 ** 45, 7]) {
    t += d;
    ts.push(t);
  }
  ts.push(2 ** 52);
  const c = new XORChunk();
  const app = c.appender();
  ts.forEach((x, i) => app.append(x, i * 1.1));
  const { t: got, v } = decode(c.bytes());
  assert.deepEqual(got, ts);
  assert.deepEqual(v, ts.map((_, i) => i * 1.1));
});

test('appending to a chunk rebuilt from bytes continues it', () => {
  const a = new XORChunk();
  const app = a.appender();
  for (let i = 0; i < 10; i++) app.append(i * 1000, Math.sin(i));
  const b = new XORChunk(a.bytes().slice());
  const app2 = b.appender();
  for (let i = 10; i < 20; i++) app2.append(i * 1000, Math.sin(i));
  assert.equal(b.numSamples(), 20);
  const { t, v } = decode(b.bytes());
  assert.deepEqual(t, Array.from({ length: 20 }, (_, i) => i * 1000));
  assert.deepEqual(v, Array.from({ length: 20 }, (_, i) => Math.sin(i)));
});

test('seek never moves backwards and stops at the end', () => {
  const c = new XORChunk();
  const app = c.appender();
  for (let i = 0; i < 100; i++) app.append(i * 10, i);
  const it = c.iterator();
  assert.equal(it.seek(55), ValueType.Float);
  assert.equal(it.atT(), 60);
  assert.equal(it.seek(20), ValueType.Float);
  assert.equal(it.atT(), 60);
  assert.equal(it.next(), ValueType.Float);
  assert.equal(it.atT(), 70);
  assert.equal(it.seek(990), ValueType.Float);
  assert.equal(it.atV(), 99);
  assert.equal(it.seek(991), ValueType.None);
});

test('a truncated chunk reports an error instead of garbage', () => {
  const c = new XORChunk();
  const app = c.appender();
  for (let i = 0; i < 50; i++) app.append(i * 1000 + (i % 3), Math.random());
  const bytes = c.bytes().slice(0, 30);
  const it = new XORIterator().reset(bytes, 0, bytes.length);
  let n = 0;
  while (it.next() === ValueType.Float) n++;
  assert.ok(n < 50);
  assert.match(String(it.err()), /truncated/);
});
