/**
 * WAL record types and the in-memory shapes records decode into.
 *
 * Floats travel in reusable typed-array batches (no object per sample); the rarer kinds
 * (series, exemplars, metadata, histograms) as small objects.
 */
import type { Labels } from '../../model/labels.js';
import type { MetricType } from '../../model/value.js';

/** The first byte of every record (Prometheus tsdb/record). */
export const RecordType = {
  Series: 1,
  Samples: 2,
  Tombstones: 3,
  Exemplars: 4,
  /** Only in the out-of-order WBL; recognised and skipped. */
  MmapMarkers: 5,
  Metadata: 6,
  HistogramSamples: 7,
  FloatHistogramSamples: 8,
  CustomBucketsHistogramSamples: 9,
  CustomBucketsFloatHistogramSamples: 10,
} as const;

/** The record's type byte, or -1 for an empty record. */
export function recordType(rec: Uint8Array): number {
  return rec.length === 0 ? -1 : rec[0]!;
}

export interface RefSeries {
  ref: number;
  labels: Labels;
}

/** Deleted interval [mint, maxt] of one series. */
export interface RefTombstone {
  ref: number;
  mint: number;
  maxt: number;
}

export interface RefExemplar {
  ref: number;
  t: number;
  v: number;
  labels: Labels;
}

export interface RefMetadata {
  ref: number;
  type: MetricType;
  unit: string;
  help: string;
}

/** Float samples of one record, as parallel arrays; entries [0, n) are valid. Reused across records. */
export class SampleBatch {
  n = 0;
  refs: Float64Array;
  ts: Float64Array;
  vs: Float64Array;

  constructor(capacity = 1024) {
    this.refs = new Float64Array(capacity);
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }

  /** Makes room for `cap` entries, discarding contents when it has to grow. */
  ensure(cap: number): void {
    if (cap <= this.refs.length) return;
    let c = this.refs.length * 2;
    while (c < cap) c *= 2;
    this.refs = new Float64Array(c);
    this.ts = new Float64Array(c);
    this.vs = new Float64Array(c);
  }
}

/** Wire codes of metric types in metadata records. */
const TYPE_CODES: readonly MetricType[] = ['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset'];

export function metricTypeToCode(t: MetricType): number {
  const i = TYPE_CODES.indexOf(t);
  return i < 0 ? 0 : i;
}

export function metricTypeFromCode(c: number): MetricType {
  return TYPE_CODES[c] ?? 'unknown';
}
