/**
 * WalSink: what the head calls on commit. It encodes one transaction's new series, metadata,
 * samples, histograms and exemplars (in that order, as Prometheus does) into reused buffers and
 * logs them with a single WAL write.
 *
 *   const sink = new WalSink(WAL.open(dir));
 *   sink.commit({ series, samples: { refs, ts, vs, n } });   // returns once the kernel has the bytes
 *   sink.logTombstones(stones);
 *
 * `log(series, refs, ts, vs, n)` is the same call in the shape of the head's WalSink interface
 * (src/tsdb/head/head.ts). On startup the sink can exist before its WAL, because the writer
 * must be opened only after replay has repaired the directory:
 *
 *   const sink = new WalSink();
 *   const head = new Head({ wal: sink });
 *   replayIntoHead(dir, head);
 *   sink.attach(WAL.open(dir));
 */
import { EncBuf } from '../encoding/encbuf.js';
import {
  encodeExemplars,
  encodeHistogramSamples,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
} from '../record/encode.js';
import { CUSTOM_BUCKETS_SCHEMA, type RefHistogramSample } from '../record/histogram.js';
import { RecordType, type RefExemplar, type RefMetadata, type RefSeries, type RefTombstone } from '../record/types.js';
import type { WAL } from './writer.js';

export interface CommitBatch {
  series?: readonly RefSeries[];
  metadata?: readonly RefMetadata[];
  samples?: { refs: ArrayLike<number>; ts: ArrayLike<number>; vs: ArrayLike<number>; n: number };
  histograms?: readonly RefHistogramSample[];
  exemplars?: readonly RefExemplar[];
}

function histogramRecordType(h: RefHistogramSample): number {
  const custom = h.h.schema === CUSTOM_BUCKETS_SCHEMA;
  if (h.h.isFloat) return custom ? RecordType.CustomBucketsFloatHistogramSamples : RecordType.FloatHistogramSamples;
  return custom ? RecordType.CustomBucketsHistogramSamples : RecordType.HistogramSamples;
}

export class WalSink {
  private readonly bufs: EncBuf[] = [];
  private readonly recs: Uint8Array[] = [];

  constructor(private wal?: WAL) {}

  attach(wal: WAL): void {
    this.wal = wal;
  }

  private target(): WAL {
    if (!this.wal) throw new Error('WalSink: no WAL attached');
    return this.wal;
  }

  private buf(i: number): EncBuf {
    while (this.bufs.length <= i) this.bufs.push(new EncBuf(4096));
    return this.bufs[i]!;
  }

  commit(b: CommitBatch): void {
    const recs = this.recs;
    recs.length = 0;
    if (b.series && b.series.length > 0) recs.push(encodeSeries(this.buf(recs.length), b.series));
    if (b.metadata && b.metadata.length > 0) recs.push(encodeMetadata(this.buf(recs.length), b.metadata));
    if (b.samples && b.samples.n > 0) {
      const s = b.samples;
      recs.push(encodeSamples(this.buf(recs.length), s.refs, s.ts, s.vs, s.n));
    }
    if (b.histograms && b.histograms.length > 0) {
      // One record per histogram kind, in the order the kinds first appear.
      const byType = new Map<number, RefHistogramSample[]>();
      for (const h of b.histograms) {
        const t = histogramRecordType(h);
        let list = byType.get(t);
        if (!list) byType.set(t, (list = []));
        list.push(h);
      }
      for (const [t, list] of byType) recs.push(encodeHistogramSamples(this.buf(recs.length), t, list));
    }
    if (b.exemplars && b.exemplars.length > 0) recs.push(encodeExemplars(this.buf(recs.length), b.exemplars));
    if (recs.length > 0) this.target().log(...recs);
  }

  log(series: readonly RefSeries[], refs: Float64Array, ts: Float64Array, vs: Float64Array, n: number): void {
    this.commit({ series, samples: { refs, ts, vs, n } });
  }

  logTombstones(stones: readonly RefTombstone[]): void {
    if (stones.length > 0) this.target().log(encodeTombstones(this.buf(0), stones));
  }
}
