/**
 * Record encoders, byte-compatible with Prometheus's WAL.
 *
 * Each function resets the given EncBuf, writes one record and returns a view of it
 * (valid until the EncBuf is used again). To log several records in one WAL call, encode
 * them into separate EncBufs.
 *
 *   encodeSeries(e, series)                         type 1: be64 ref, uvarint #labels, uvarint-prefixed strings
 *   encodeSamples(e, refs, ts, vs, n)               type 2: be64 first ref, be64 first t, then per sample
 *                                                   varint ref delta, varint t delta (both vs the first), be64 float
 *   encodeTombstones(e, stones)                     type 3: be64 ref, varint mint, varint maxt
 *   encodeExemplars(e, exemplars)                   type 4: like samples, plus labels per exemplar
 *   encodeMetadata(e, metadata)                     type 6: uvarint ref, type byte, 2 fields UNIT and HELP
 *   encodeHistogramSamples(e, type, samples)        types 7-10
 */
import { type EncBuf, writeVarintAt } from '../encoding/encbuf.js';
import type { Labels } from '../../model/labels.js';
import { writeHistogram, type RefHistogramSample } from './histogram.js';
import { metricTypeToCode, RecordType, type RefExemplar, type RefMetadata, type RefSeries, type RefTombstone } from './types.js';

function putLabels(e: EncBuf, labels: Labels): void {
  const flat = labels.toFlat();
  e.putUvarint(flat.length >> 1);
  for (let i = 0; i < flat.length; i++) e.putUvarintStr(flat[i]!);
}

export function encodeSeries(e: EncBuf, series: readonly RefSeries[]): Uint8Array {
  e.reset();
  e.putByte(RecordType.Series);
  for (const s of series) {
    e.putBE64(s.ref);
    putLabels(e, s.labels);
  }
  return e.get();
}

export function encodeSamples(e: EncBuf, refs: ArrayLike<number>, ts: ArrayLike<number>, vs: ArrayLike<number>, n: number): Uint8Array {
  e.reset();
  e.putByte(RecordType.Samples);
  if (n === 0) return e.get();
  const ref0 = refs[0]!;
  const t0 = ts[0]!;
  e.putBE64(ref0);
  e.putBE64(t0);
  // One grow for the worst case (two 10-byte varints and the value), then unchecked writes.
  e.grow(n * 28);
  const buf = e.buf;
  const dv = e.dataView();
  let p = e.len;
  for (let i = 0; i < n; i++) {
    p = writeVarintAt(buf, p, refs[i]! - ref0);
    p = writeVarintAt(buf, p, ts[i]! - t0);
    dv.setFloat64(p, vs[i]!, false);
    p += 8;
  }
  e.len = p;
  return e.get();
}

export function encodeTombstones(e: EncBuf, stones: readonly RefTombstone[]): Uint8Array {
  e.reset();
  e.putByte(RecordType.Tombstones);
  for (const s of stones) {
    e.putBE64(s.ref);
    e.putVarint(s.mint);
    e.putVarint(s.maxt);
  }
  return e.get();
}

export function encodeExemplars(e: EncBuf, exemplars: readonly RefExemplar[]): Uint8Array {
  e.reset();
  e.putByte(RecordType.Exemplars);
  if (exemplars.length === 0) return e.get();
  const first = exemplars[0]!;
  e.putBE64(first.ref);
  e.putBE64(first.t);
  for (const x of exemplars) {
    e.putVarint(x.ref - first.ref);
    e.putVarint(x.t - first.t);
    e.putBE64Float(x.v);
    putLabels(e, x.labels);
  }
  return e.get();
}

export function encodeMetadata(e: EncBuf, metadata: readonly RefMetadata[]): Uint8Array {
  e.reset();
  e.putByte(RecordType.Metadata);
  for (const m of metadata) {
    e.putUvarint(m.ref);
    e.putByte(metricTypeToCode(m.type));
    e.putUvarint(2);
    e.putUvarintStr('UNIT');
    e.putUvarintStr(m.unit);
    e.putUvarintStr('HELP');
    e.putUvarintStr(m.help);
  }
  return e.get();
}

/** `type` is one of the four histogram record types; it must match the samples' float-ness. */
export function encodeHistogramSamples(e: EncBuf, type: number, samples: readonly RefHistogramSample[]): Uint8Array {
  const isFloat = type === RecordType.FloatHistogramSamples || type === RecordType.CustomBucketsFloatHistogramSamples;
  if (type < RecordType.HistogramSamples || type > RecordType.CustomBucketsFloatHistogramSamples) {
    throw new Error(`record type ${type} is not a histogram record`);
  }
  e.reset();
  e.putByte(type);
  if (samples.length === 0) return e.get();
  const first = samples[0]!;
  e.putBE64(first.ref);
  e.putBE64(first.t);
  for (const s of samples) {
    if (s.h.isFloat !== isFloat) throw new Error('histogram kind does not match the record type');
    e.putVarint(s.ref - first.ref);
    e.putVarint(s.t - first.t);
    writeHistogram(e, s.h);
  }
  return e.get();
}
