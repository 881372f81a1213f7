/** The default histogram buckets (seconds), as in client_golang and prom-client. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

/** `count` buckets: `start`, `start + width`, ... */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1) throw new Error('linearBuckets: count must be a positive integer');
  if (!(width > 0)) throw new Error('linearBuckets: width must be positive');
  if (!Number.isFinite(start)) throw new Error('linearBuckets: start must be finite');
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start + i * width);
  return out;
}

/** `count` buckets: `start`, `start * factor`, `start * factor^2`, ... */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1) throw new Error('exponentialBuckets: count must be a positive integer');
  if (!(start > 0) || !Number.isFinite(start)) throw new Error('exponentialBuckets: start must be positive');
  if (!(factor > 1) || !Number.isFinite(factor)) throw new Error('exponentialBuckets: factor must be greater than 1');
  const out: number[] = [];
  let b = start;
  for (let i = 0; i < count; i++) {
    out.push(b);
    b *= factor;
  }
  return out;
}

/** `count` exponentially spaced buckets from `min` to `max` inclusive. */
export function exponentialBucketsRange(min: number, max: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 2) throw new Error('exponentialBucketsRange: count must be at least 2');
  if (!(min > 0) || !(max > min) || !Number.isFinite(max)) throw new Error('exponentialBucketsRange: need 0 < min < max');
  const factor = Math.pow(max / min, 1 / (count - 1));
  return exponentialBuckets(min, factor, count);
}

/** Validated, frozen upper bounds ending in +Inf. */
export function normalizeBuckets(name: string, buckets: readonly number[] | undefined): readonly number[] {
  const b = [...(buckets ?? DEFAULT_BUCKETS)];
  for (let i = 0; i < b.length; i++) {
    if (typeof b[i] !== 'number' || Number.isNaN(b[i])) throw new Error(`histogram "${name}": bucket bounds must be numbers`);
    if (i > 0 && !(b[i] > b[i - 1])) throw new Error(`histogram "${name}": bucket bounds must be strictly increasing`);
  }
  if (b.length === 0 || b[b.length - 1] !== Infinity) b.push(Infinity);
  return Object.freeze(b);
}
