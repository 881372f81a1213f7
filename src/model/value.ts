/** Special float values and the sample types shared by every layer. */

/** Prometheus marks a vanished series with this NaN bit pattern (0x7ff0000000000002). */
export const STALE_NAN_BITS_HI = 0x7ff00000;
export const STALE_NAN_BITS_LO = 0x00000002;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Typed-array views use the platform's byte order; the word order follows it.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

u32[HI] = STALE_NAN_BITS_HI;
u32[LO] = STALE_NAN_BITS_LO;
/**
 * The stale marker as a JS number. V8 keeps NaN payloads through loads and stores
 * of typed arrays, but arithmetic may canonicalize them: test with `isStaleNaN`.
 */
export const STALE_NAN: number = f64[0];

export function isStaleNaN(v: number): boolean {
  if (v === v) return false;
  f64[0] = v;
  return u32[HI] === STALE_NAN_BITS_HI && u32[LO] === STALE_NAN_BITS_LO;
}

/** Writes the stale marker into a Float64Array slot preserving its bit pattern. */
export function writeStaleNaN(arr: Float64Array, index: number): void {
  const view = new Uint32Array(arr.buffer, arr.byteOffset + index * 8, 2);
  view[HI] = STALE_NAN_BITS_HI;
  view[LO] = STALE_NAN_BITS_LO;
}

/** Float64 bits as a bigint, for exact comparisons and encodings. */
export function float64Bits(v: number): bigint {
  f64[0] = v;
  return (BigInt(u32[HI]) << 32n) | BigInt(u32[LO]);
}

export function float64FromBits(bits: bigint): number {
  u32[HI] = Number(bits >> 32n) >>> 0;
  u32[LO] = Number(bits & 0xffffffffn) >>> 0;
  return f64[0];
}

/** Metric types as in OpenMetrics and the Prometheus text format. */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown';

export interface Metadata {
  type: MetricType;
  help: string;
  unit: string;
}

export interface Exemplar {
  /** Exemplar labels as a flat sorted name/value list. */
  labels: readonly string[];
  value: number;
  /** Milliseconds since epoch, or undefined when the exemplar has no timestamp. */
  timestamp?: number;
}

/** A float sample; timestamps are milliseconds since the Unix epoch. */
export interface Sample {
  t: number;
  v: number;
}
