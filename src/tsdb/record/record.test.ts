import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EncBuf } from '../encoding/encbuf.js';
import { Labels } from '../../model/labels.js';
import { STALE_NAN, isStaleNaN, writeStaleNaN } from '../../model/value.js';
import {
  encodeExemplars,
  encodeHistogramSamples,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
} from './encode.js';
import { RecordDecodeError, RecordDecoder } from './decode.js';
import { RecordType, recordType, SampleBatch } from './types.js';
import type { RefHistogramSample } from './histogram.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('series record: exact bytes and round trip', () => {
  const e = new EncBuf();
  const rec = encodeSeries(e, [{ ref: 2, labels: Labels.fromStrings('__name__', 'up', 'job', 'a') }]);
  // type 1, be64 ref 2, 2 labels, "__name__" "up" "job" "a"
  assert.equal(hex(rec), '01' + '0000000000000002' + '02' + '085f5f6e616d655f5f' + '027570' + '036a6f62' + '0161');
  const out = new RecordDecoder().series(rec, []);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.ref, 2);
  assert.ok(out[0]!.labels.equals(Labels.fromStrings('job', 'a', '__name__', 'up')));
});

test('samples record: exact bytes, deltas against the first sample, negative deltas, stale NaN', () => {
  const e = new EncBuf();
  // A Float64Array, not an array literal: V8 canonicalizes NaN payloads stored in plain double arrays.
  const vals = new Float64Array(3);
  vals[0] = 1.5;
  writeStaleNaN(vals, 1);
  vals[2] = -0;
  assert.ok(isStaleNaN(STALE_NAN), 'isStaleNaN(STALE_NAN)');
  const rec = encodeSamples(e, [10, 9, 12], [1000, 999, 2000], vals, 3);
  assert.equal(
    hex(rec),
    '02' + '000000000000000a' + '00000000000003e8' +
      '00' + '00' + '3ff8000000000000' +
      '01' + '01' + '7ff0000000000002' +
      '04' + 'd00f' + '8000000000000000',
  );
  const b = new SampleBatch(1);
  new RecordDecoder().samples(rec, b);
  assert.equal(b.n, 3);
  assert.deepEqual([...b.refs.subarray(0, 3)], [10, 9, 12]);
  assert.deepEqual([...b.ts.subarray(0, 3)], [1000, 999, 2000]);
  assert.equal(b.vs[0], 1.5);
  assert.ok(isStaleNaN(b.vs[1]!), 'isStaleNaN(b.vs[1]!)');
  assert.ok(Object.is(b.vs[2], -0), 'Object.is(b.vs[2], -0)');
  assert.equal(recordType(rec), RecordType.Samples);
});

test('samples record: empty, large batches, timestamps before 1970, reused batch', () => {
  const e = new EncBuf(16);
  const d = new RecordDecoder();
  const b = new SampleBatch(4);
  assert.equal(hex(encodeSamples(e, [], [], [], 0)), '02');
  d.samples(encodeSamples(e, [], [], [], 0), b);
  assert.equal(b.n, 0);
  const n = 5000;
  const refs = new Float64Array(n).map((_, i) => 1 + ((i * 7919) % 3000));
  const ts = new Float64Array(n).map((_, i) => 1_700_000_000_000 + ((i * 31) % 60000) - 30000);
  const vs = new Float64Array(n).map((_, i) => Math.sin(i) * 1e6);
  d.samples(encodeSamples(e, refs, ts, vs, n), b);
  assert.equal(b.n, n);
  assert.deepEqual(b.refs.subarray(0, n), refs);
  assert.deepEqual(b.ts.subarray(0, n), ts);
  assert.deepEqual(b.vs.subarray(0, n), vs);
  d.samples(encodeSamples(e, [1], [-5000], [2], 1), b);
  assert.equal(b.n, 1);
  assert.equal(b.ts[0], -5000);
});

test('tombstones, exemplars and metadata round trip', () => {
  const e = new EncBuf();
  const d = new RecordDecoder();
  const stones = [{ ref: 1, mint: -10, maxt: 20 }, { ref: 5, mint: 0, maxt: 2 ** 50 }];
  assert.deepEqual(d.tombstones(encodeTombstones(e, stones), []), stones);

  const ex = [
    { ref: 7, t: 1000, v: 0.25, labels: Labels.fromStrings('trace_id', 'abc') },
    { ref: 3, t: 900, v: 1, labels: Labels.EMPTY },
  ];
  const exOut = d.exemplars(encodeExemplars(e, ex), []);
  assert.equal(exOut.length, 2);
  assert.deepEqual(exOut.map((x) => [x.ref, x.t, x.v, x.labels.toString()]), [[7, 1000, 0.25, '{trace_id="abc"}'], [3, 900, 1, '{}']]);

  const md = [
    { ref: 1, type: 'counter' as const, unit: 'seconds', help: 'Total time spent ünïcode.' },
    { ref: 300, type: 'gaugehistogram' as const, unit: '', help: '' },
  ];
  const rec = encodeMetadata(e, md);
  assert.equal(hex(rec.subarray(0, 3)), '060101');
  assert.deepEqual(d.metadata(rec, []), md);
});

test('metadata decoding skips unknown fields', () => {
  const e = new EncBuf();
  e.putByte(RecordType.Metadata);
  e.putUvarint(4);
  e.putByte(2);
  e.putUvarint(3);
  for (const s of ['NEW', 'x', 'HELP', 'h', 'UNIT', 'u']) e.putUvarintStr(s);
  assert.deepEqual(new RecordDecoder().metadata(e.get(), []), [{ ref: 4, type: 'gauge', unit: 'u', help: 'h' }]);
});

test('histogram records of all four types round trip', () => {
  const e = new EncBuf();
  const d = new RecordDecoder();
  const base = {
    counterResetHint: 0, zeroThreshold: 1e-128, sum: 12.5,
    positiveSpans: [{ offset: -2, length: 2 }, { offset: 3, length: 1 }], negativeSpans: [{ offset: 0, length: 1 }],
  };
  const intH: RefHistogramSample[] = [
    { ref: 5, t: 100, h: { ...base, isFloat: false, schema: 3, zeroCount: 2, count: 9, positiveBuckets: [1, 2, -1], negativeBuckets: [3], customValues: [] } },
    { ref: 4, t: 90, h: { ...base, isFloat: false, schema: -4, zeroCount: 0, count: 0, positiveBuckets: [0, 0, 0], negativeBuckets: [0], customValues: [] } },
  ];
  assert.deepEqual(d.histograms(encodeHistogramSamples(e, RecordType.HistogramSamples, intH), []), intH);
  const floatH: RefHistogramSample[] = [
    { ref: 5, t: 100, h: { ...base, isFloat: true, schema: 0, zeroCount: 0.5, count: 9.5, positiveBuckets: [1.5, 2, 1], negativeBuckets: [3], customValues: [] } },
  ];
  assert.deepEqual(d.histograms(encodeHistogramSamples(e, RecordType.FloatHistogramSamples, floatH), []), floatH);
  const nhcb: RefHistogramSample[] = [
    { ref: 1, t: 1, h: { ...base, negativeSpans: [], isFloat: false, schema: -53, zeroCount: 0, count: 3, positiveBuckets: [1, 1, 1], negativeBuckets: [], customValues: [0.1, 1, 10] } },
  ];
  assert.deepEqual(d.histograms(encodeHistogramSamples(e, RecordType.CustomBucketsHistogramSamples, nhcb), []), nhcb);
  const nhcbF: RefHistogramSample[] = [{ ref: 1, t: 1, h: { ...nhcb[0]!.h, isFloat: true, positiveBuckets: [1, 2, 3] } }];
  assert.deepEqual(d.histograms(encodeHistogramSamples(e, RecordType.CustomBucketsFloatHistogramSamples, nhcbF), []), nhcbF);
  assert.throws(() => encodeHistogramSamples(e, RecordType.HistogramSamples, nhcbF), /does not match/);
});

test('malformed records throw RecordDecodeError', () => {
  const d = new RecordDecoder();
  const e = new EncBuf();
  const rec = encodeSamples(e, [1, 2], [3, 4], [5, 6], 2);
  assert.throws(() => d.samples(rec.subarray(0, rec.length - 3), new SampleBatch()), RecordDecodeError);
  assert.throws(() => d.series(rec, []), /record type 2, expected 1/);
  const s = encodeSeries(e, [{ ref: 1, labels: Labels.fromStrings('a', 'b') }]);
  assert.throws(() => d.series(Uint8Array.of(...s, 0xff), []), RecordDecodeError);
  assert.throws(() => d.series(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f), []), /label count/);
});

test('unsorted label sets from foreign writers are sorted on decode', () => {
  const e = new EncBuf();
  e.putByte(RecordType.Series);
  e.putBE64(9);
  e.putUvarint(2);
  for (const s of ['job', 'x', '__name__', 'm']) e.putUvarintStr(s);
  const [s] = new RecordDecoder().series(e.get(), []);
  assert.deepEqual(s!.labels.toFlat(), ['__name__', 'm', 'job', 'x']);
});
