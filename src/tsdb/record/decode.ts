/**
 * Record decoders. Malformed input throws RecordDecodeError (the WAL's CRCs make that a
 * sign of a bug or a foreign format, not of a torn write).
 *
 *   const d = new RecordDecoder();
 *   d.samples(rec, batch)          fills a reusable SampleBatch (typed arrays, no per-sample objects)
 *   d.series(rec, out)             appends RefSeries (labels with interned names) to out
 *   d.tombstones(rec, out)  d.exemplars(rec, out)  d.metadata(rec, out)  d.histograms(rec, out)
 *
 * Label names are interned (their set is small), so millions of series share one string per name.
 */
import { DecBuf } from '../encoding/decbuf.js';
import { Labels, LabelsBuilder } from '../../model/labels.js';
import { readHistogram, type RefHistogramSample } from './histogram.js';
import { metricTypeFromCode, RecordType, type RefExemplar, type RefMetadata, type RefSeries, type RefTombstone, SampleBatch } from './types.js';

export class RecordDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordDecodeError';
  }
}

/** Caps the name interner so a hostile WAL with unique names cannot grow it without bound. */
const MAX_INTERNED = 1 << 16;

export class RecordDecoder {
  private readonly d = new DecBuf();
  private readonly names = new Map<string, string>();
  private readonly builder = new LabelsBuilder();

  private begin(rec: Uint8Array, ...types: number[]): DecBuf {
    const d = this.d;
    d.reset(rec);
    const t = d.byte();
    if (!types.includes(t)) throw new RecordDecodeError(`record type ${t}, expected ${types.join(' or ')}`);
    return d;
  }

  private finish(d: DecBuf, what: string, count: number): void {
    if (d.err !== undefined) throw new RecordDecodeError(`${what} record: ${d.err} after ${count} entries`);
    if (d.len() > 0) throw new RecordDecodeError(`${what} record: ${d.len()} unexpected bytes left`);
  }

  private intern(s: string): string {
    const hit = this.names.get(s);
    if (hit !== undefined) return hit;
    if (this.names.size < MAX_INTERNED) this.names.set(s, s);
    return s;
  }

  private labels(d: DecBuf): Labels {
    const n = d.uvarint();
    if (n > d.len()) {
      d.err ??= `label count ${n} exceeds record size`;
      return Labels.EMPTY;
    }
    const flat = new Array<string>(n * 2);
    let sorted = true;
    let clean = true;
    for (let i = 0; i < n; i++) {
      const name = this.intern(d.uvarintStr());
      const value = d.uvarintStr();
      flat[2 * i] = name;
      flat[2 * i + 1] = value;
      if (i > 0 && name <= flat[2 * i - 2]!) sorted = false;
      if (value === '') clean = false;
    }
    if (d.err !== undefined) return Labels.EMPTY;
    if (sorted && clean) return Labels.fromSortedFlat(flat);
    // Prometheus always writes sorted sets; anything else goes through the builder.
    const b = this.builder.reset(Labels.EMPTY);
    for (let i = 0; i < flat.length; i += 2) b.set(flat[i]!, flat[i + 1]!);
    return b.labels();
  }

  series(rec: Uint8Array, out: RefSeries[]): RefSeries[] {
    const d = this.begin(rec, RecordType.Series);
    let count = 0;
    while (d.len() > 0 && d.err === undefined) {
      const ref = d.be64();
      const labels = this.labels(d);
      if (d.err !== undefined) break;
      out.push({ ref, labels });
      count++;
    }
    this.finish(d, 'series', count);
    return out;
  }

  /** Fills `batch` with the record's samples (batch.n is set; previous contents are overwritten). */
  samples(rec: Uint8Array, batch: SampleBatch): SampleBatch {
    const d = this.begin(rec, RecordType.Samples);
    batch.n = 0;
    if (d.len() === 0) return batch;
    const ref0 = d.be64();
    const t0 = d.be64Signed();
    // Each sample takes at least 10 bytes (two 1-byte varints and the value).
    batch.ensure(Math.ceil(d.len() / 10));
    const refs = batch.refs;
    const ts = batch.ts;
    const vs = batch.vs;
    // Reads in place: one-byte varints (almost all deltas) inline, longer ones via DecBuf.
    const b = d.b;
    const dv = d.dataView();
    const end = d.end;
    let pos = d.off;
    let n = 0;
    while (pos < end) {
      let z = b[pos]!;
      if (z < 0x80) pos++;
      else {
        d.off = pos;
        z = d.uvarint();
        pos = d.off;
      }
      refs[n] = ref0 + (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
      z = pos < end ? b[pos]! : 0x80;
      if (z < 0x80) pos++;
      else {
        d.off = pos;
        z = d.uvarint();
        pos = d.off;
      }
      ts[n] = t0 + (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
      if (d.err !== undefined || pos + 8 > end) {
        d.off = pos;
        d.skip(8);
        break;
      }
      vs[n] = dv.getFloat64(pos, false);
      pos += 8;
      n++;
    }
    if (d.err === undefined) d.off = pos;
    batch.n = n;
    this.finish(d, 'samples', n);
    return batch;
  }

  tombstones(rec: Uint8Array, out: RefTombstone[]): RefTombstone[] {
    const d = this.begin(rec, RecordType.Tombstones);
    let count = 0;
    while (d.len() > 0 && d.err === undefined) {
      const ref = d.be64();
      const mint = d.varint();
      const maxt = d.varint();
      if (d.err !== undefined) break;
      out.push({ ref, mint, maxt });
      count++;
    }
    this.finish(d, 'tombstones', count);
    return out;
  }

  exemplars(rec: Uint8Array, out: RefExemplar[]): RefExemplar[] {
    const d = this.begin(rec, RecordType.Exemplars);
    let count = 0;
    if (d.len() === 0) return out;
    const ref0 = d.be64();
    const t0 = d.be64Signed();
    while (d.len() > 0 && d.err === undefined) {
      const ref = ref0 + d.varint();
      const t = t0 + d.varint();
      const v = d.be64Float();
      const labels = this.labels(d);
      if (d.err !== undefined) break;
      out.push({ ref, t, v, labels });
      count++;
    }
    this.finish(d, 'exemplars', count);
    return out;
  }

  metadata(rec: Uint8Array, out: RefMetadata[]): RefMetadata[] {
    const d = this.begin(rec, RecordType.Metadata);
    let count = 0;
    while (d.len() > 0 && d.err === undefined) {
      const ref = d.uvarint();
      const type = metricTypeFromCode(d.byte());
      const fields = d.uvarint();
      let unit = '';
      let help = '';
      // Unknown fields are skipped so newer writers stay readable.
      for (let i = 0; i < fields && d.err === undefined; i++) {
        const name = d.uvarintStr();
        const value = d.uvarintStr();
        if (name === 'UNIT') unit = value;
        else if (name === 'HELP') help = value;
      }
      if (d.err !== undefined) break;
      out.push({ ref, type, unit, help });
      count++;
    }
    this.finish(d, 'metadata', count);
    return out;
  }

  /** Decodes any of the four histogram record types. */
  histograms(rec: Uint8Array, out: RefHistogramSample[]): RefHistogramSample[] {
    const d = this.begin(
      rec,
      RecordType.HistogramSamples,
      RecordType.FloatHistogramSamples,
      RecordType.CustomBucketsHistogramSamples,
      RecordType.CustomBucketsFloatHistogramSamples,
    );
    const type = rec[0]!;
    const isFloat = type === RecordType.FloatHistogramSamples || type === RecordType.CustomBucketsFloatHistogramSamples;
    let count = 0;
    if (d.len() === 0) return out;
    const ref0 = d.be64();
    const t0 = d.be64Signed();
    while (d.len() > 0 && d.err === undefined) {
      const ref = ref0 + d.varint();
      const t = t0 + d.varint();
      const h = readHistogram(d, isFloat);
      if (d.err !== undefined) break;
      out.push({ ref, t, h });
      count++;
    }
    this.finish(d, 'histograms', count);
    return out;
  }
}
