/**
 * Query result values: scalar, string, instant vector and range vector (matrix).
 * Vectors and matrices keep timestamps and values in Float64Arrays; labels stay per series.
 * `toJSON` renders the `data` object of the Prometheus HTTP API.
 */
import type { Labels } from '../model/labels.js';

export type ResultType = 'scalar' | 'string' | 'vector' | 'matrix';

export class Scalar {
  readonly type = 'scalar' as const;
  constructor(
    readonly t: number,
    readonly v: number,
  ) {}
}

export class StringValue {
  readonly type = 'string' as const;
  constructor(
    readonly t: number,
    readonly v: string,
  ) {}
}

/** An instant vector: one sample per series, stored columnar. */
export class Vector {
  readonly type = 'vector' as const;
  constructor(
    readonly labels: Labels[],
    readonly timestamps: Float64Array,
    readonly values: Float64Array,
  ) {}

  get length(): number {
    return this.labels.length;
  }
}

/** One series of a matrix; `timestamps` and `values` have the same length. */
export interface MatrixSeries {
  labels: Labels;
  timestamps: Float64Array;
  values: Float64Array;
}

export class Matrix {
  readonly type = 'matrix' as const;
  constructor(readonly series: MatrixSeries[]) {}
}

export type Value = Scalar | StringValue | Vector | Matrix;

/** Formats a float as Prometheus does in JSON (Go's 'f' format, shortest exact digits). */
export function formatValue(v: number): string {
  if (v !== v) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  return expandExponent(s.slice(0, e), Number(s.slice(e + 1)));
}

/**
 * A float as Prometheus's JSON encoder writes it in API results: Go's 'f' format, but 'e' (with
 * an exponent of two digits at least, as 1e-07) below 1e-6 and from 1e21 in magnitude.
 */
export function formatApiFloat(v: number): string {
  const abs = Math.abs(v);
  if (abs === 0 || abs === Infinity || v !== v || (abs >= 1e-6 && abs < 1e21)) return formatValue(v);
  const s = v.toExponential();
  const at = s.indexOf('e');
  return `${s.slice(0, at)}e${s[at + 1]}${s.slice(at + 2).padStart(2, '0')}`;
}

/** Rewrites `mantissa × 10^exp` (mantissa as JS prints it) without an exponent. */
function expandExponent(mant: string, exp: number): string {
  let sign = '';
  if (mant[0] === '-') {
    sign = '-';
    mant = mant.slice(1);
  }
  const dot = mant.indexOf('.');
  const digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  const intLen = (dot < 0 ? mant.length : dot) + exp;
  if (intLen <= 0) return sign + '0.' + '0'.repeat(-intLen) + digits;
  if (intLen >= digits.length) return sign + digits + '0'.repeat(intLen - digits.length);
  return sign + digits.slice(0, intLen) + '.' + digits.slice(intLen);
}

/** Milliseconds to the API's float seconds. */
export function apiTime(t: number): number {
  return t / 1000;
}

export interface ApiData {
  resultType: ResultType;
  result: unknown;
}

/** Renders a value as the `data` field of `/api/v1/query(_range)`. */
export function toApiData(v: Value): ApiData {
  switch (v.type) {
    case 'scalar':
      return { resultType: 'scalar', result: [apiTime(v.t), formatApiFloat(v.v)] };
    case 'string':
      return { resultType: 'string', result: [apiTime(v.t), v.v] };
    case 'vector': {
      const result = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        result[i] = {
          metric: v.labels[i].toRecord(),
          value: [apiTime(v.timestamps[i]), formatApiFloat(v.values[i])],
        };
      }
      return { resultType: 'vector', result };
    }
    case 'matrix': {
      const result = v.series.map((s) => {
        const values = new Array(s.values.length);
        for (let i = 0; i < s.values.length; i++) values[i] = [apiTime(s.timestamps[i]), formatApiFloat(s.values[i])];
        return { metric: s.labels.toRecord(), values };
      });
      return { resultType: 'matrix', result };
    }
  }
}
