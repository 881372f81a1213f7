/**
 * Throughput of crc32c (slicing-by-8 vs byte-at-a-time) and of varint/string encode+decode.
 * Run: npm run build && node dist/tsdb/encoding/encoding.bench.js
 */
import { crc32c } from './crc32c.js';
import { EncBuf } from './encbuf.js';
import { DecBuf } from './decbuf.js';

function timeIt(name: string, bytes: number, iters: number, fn: () => void): void {
  for (let i = 0; i < Math.min(iters, 50); i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iters; i++) fn();
  const ns = Number(process.hrtime.bigint() - t0);
  console.log(`${name.padEnd(40)} ${((bytes * iters) / ns * 1e3).toFixed(0).padStart(6)} MB/s  ${(ns / iters).toFixed(0)} ns/op`);
}

const T1 = new Int32Array(256);
for (let b = 0; b < 256; b++) {
  let c = b;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  T1[b] = c;
}
function crcByte(buf: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = (c >>> 8) ^ T1[(c ^ buf[i]!) & 0xff]!;
  return ~c >>> 0;
}

const page = new Uint8Array(32 * 1024).map((_, i) => (i * 31) & 0xff);
const small = page.subarray(0, 200);
let sink = 0;
timeIt('crc32c slicing-by-8, 32 KiB', page.length, 3000, () => (sink ^= crc32c(page)));
timeIt('crc32c byte-at-a-time, 32 KiB', page.length, 3000, () => (sink ^= crcByte(page)));
timeIt('crc32c slicing-by-8, 200 B', small.length, 300000, () => (sink ^= crc32c(small)));
timeIt('crc32c byte-at-a-time, 200 B', small.length, 300000, () => (sink ^= crcByte(small)));

const e = new EncBuf(1 << 16);
const d = new DecBuf();
const strs = ['__name__', 'http_requests_total', 'instance', 'localhost:9090', 'job', 'prometheus'];
timeIt('encode 1000 x (varint ts delta + f64)', 1000 * 11, 3000, () => {
  e.reset();
  for (let i = 0; i < 1000; i++) {
    e.putVarint(i * 15000);
    e.putBE64Float(i * 0.5);
  }
});
const enc = e.copy();
timeIt('decode 1000 x (varint ts delta + f64)', enc.length, 3000, () => {
  d.reset(enc);
  for (let i = 0; i < 1000; i++) {
    sink += d.varint();
    sink += d.be64Float();
  }
});
e.reset();
for (let i = 0; i < 100; i++) for (const s of strs) e.putUvarintStr(s);
const encS = e.copy();
timeIt('decode 600 short label strings', encS.length, 3000, () => {
  d.reset(encS);
  for (let i = 0; i < 600; i++) sink += d.uvarintStr().length;
});
console.log(sink === 0.5 ? '' : 'ok');
