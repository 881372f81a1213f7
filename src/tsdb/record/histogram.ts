/**
 * Native histogram samples in WAL records (types 7-10): encoding and decoding.
 *
 * Integer histograms (`isFloat: false`) carry bucket counts as deltas between consecutive
 * buckets and integer counts; float histograms carry absolute float counts. Custom-bucket
 * histograms (schema -53) add their bucket bounds in `customValues`. Records of types 9/10
 * are laid out exactly like 7/8; only the schema says whether custom values follow.
 */
import type { DecBuf } from '../encoding/decbuf.js';
import type { EncBuf } from '../encoding/encbuf.js';

export const CUSTOM_BUCKETS_SCHEMA = -53;

export interface HistogramSpan {
  offset: number;
  length: number;
}

export interface WalHistogram {
  isFloat: boolean;
  counterResetHint: number;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positiveSpans: HistogramSpan[];
  negativeSpans: HistogramSpan[];
  positiveBuckets: number[];
  negativeBuckets: number[];
  customValues: number[];
}

export interface RefHistogramSample {
  ref: number;
  t: number;
  h: WalHistogram;
}

function readSpans(d: DecBuf): HistogramSpan[] {
  const n = d.uvarint();
  const out: HistogramSpan[] = [];
  for (let i = 0; i < n && d.err === undefined; i++) out.push({ offset: d.varint(), length: d.uvarint32() });
  return out;
}

function readCounts(d: DecBuf, isFloat: boolean): number[] {
  const n = d.uvarint();
  const out: number[] = [];
  for (let i = 0; i < n && d.err === undefined; i++) out.push(isFloat ? d.be64Float() : d.varint());
  return out;
}

/** Reads one histogram body (after its ref/time deltas). */
export function readHistogram(d: DecBuf, isFloat: boolean): WalHistogram {
  const counterResetHint = d.byte();
  const schema = d.varint();
  const zeroThreshold = d.be64Float();
  const zeroCount = isFloat ? d.be64Float() : d.uvarint();
  const count = isFloat ? d.be64Float() : d.uvarint();
  const sum = d.be64Float();
  const positiveSpans = readSpans(d);
  const negativeSpans = readSpans(d);
  const positiveBuckets = readCounts(d, isFloat);
  const negativeBuckets = readCounts(d, isFloat);
  const customValues: number[] = [];
  if (schema === CUSTOM_BUCKETS_SCHEMA) {
    const n = d.uvarint();
    for (let i = 0; i < n && d.err === undefined; i++) customValues.push(d.be64Float());
  }
  return { isFloat, counterResetHint, schema, zeroThreshold, zeroCount, count, sum, positiveSpans, negativeSpans, positiveBuckets, negativeBuckets, customValues };
}

function writeSpans(e: EncBuf, spans: HistogramSpan[]): void {
  e.putUvarint(spans.length);
  for (const s of spans) {
    e.putVarint(s.offset);
    e.putUvarint(s.length);
  }
}

function writeCounts(e: EncBuf, counts: number[], isFloat: boolean): void {
  e.putUvarint(counts.length);
  for (const c of counts) {
    if (isFloat) e.putBE64Float(c);
    else e.putVarint(c);
  }
}

export function writeHistogram(e: EncBuf, h: WalHistogram): void {
  e.putByte(h.counterResetHint);
  e.putVarint(h.schema);
  e.putBE64Float(h.zeroThreshold);
  if (h.isFloat) {
    e.putBE64Float(h.zeroCount);
    e.putBE64Float(h.count);
  } else {
    e.putUvarint(h.zeroCount);
    e.putUvarint(h.count);
  }
  e.putBE64Float(h.sum);
  writeSpans(e, h.positiveSpans);
  writeSpans(e, h.negativeSpans);
  writeCounts(e, h.positiveBuckets, h.isFloat);
  writeCounts(e, h.negativeBuckets, h.isFloat);
  if (h.schema === CUSTOM_BUCKETS_SCHEMA) {
    e.putUvarint(h.customValues.length);
    for (const v of h.customValues) e.putBE64Float(v);
  }
}
