/**
 * Set operations on postings lists: strictly increasing series refs in a Uint32Array.
 * Results are fresh arrays (or one of the inputs when that is already the answer);
 * inputs are never modified.
 */

export const EMPTY_POSTINGS: Uint32Array = new Uint32Array(0);

/** First index i >= from with a[i] >= x (a.length if none), by galloping then binary search. */
export function gallop(a: Uint32Array, from: number, x: number): number {
  const n = a.length;
  if (from >= n || a[from] >= x) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < n && a[hi] < x) {
    lo = hi;
    step <<= 1;
    hi = from + step;
  }
  if (hi > n) hi = n;
  // a[lo] < x, and a[hi] >= x or hi == n.
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Refs present in every list. Leapfrogs: each list gallops to the largest candidate seen so
 * far, so runs that cannot match are skipped in every list, not only in the longer ones.
 */
export function intersect(lists: readonly Uint32Array[]): Uint32Array {
  if (lists.length === 0) return EMPTY_POSTINGS;
  if (lists.length === 1) return lists[0];
  const sorted = lists.slice().sort((a, b) => a.length - b.length);
  const k = sorted.length;
  if (sorted[0].length === 0) return EMPTY_POSTINGS;
  const out = new Uint32Array(sorted[0].length);
  const pos = new Array<number>(k).fill(0);
  let n = 0;
  let x = sorted[0][0];
  let agree = 0;
  let i = 0;
  for (;;) {
    const a = sorted[i];
    const p = gallop(a, pos[i], x);
    if (p === a.length) break;
    pos[i] = p;
    if (a[p] === x) {
      if (++agree === k) {
        out[n++] = x;
        // Move past x in this list and take its next ref as the candidate.
        if (++pos[i] === a.length) break;
        x = a[pos[i]];
        agree = 1;
      }
    } else {
      x = a[p];
      agree = 1;
    }
    i = i + 1 === k ? 0 : i + 1;
  }
  return out.subarray(0, n);
}

function merge2(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x < y) {
      out[n++] = x;
      i++;
    } else if (y < x) {
      out[n++] = y;
      j++;
    } else {
      out[n++] = x;
      i++;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++];
  while (j < b.length) out[n++] = b[j++];
  return out.subarray(0, n);
}

/** The union of the lists, merged pairwise so the cost is O(total × log(lists)). */
export function merge(lists: readonly Uint32Array[]): Uint32Array {
  if (lists.length === 0) return EMPTY_POSTINGS;
  let level: Uint32Array[] = lists.slice();
  while (level.length > 1) {
    const next: Uint32Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? merge2(level[i], level[i + 1]) : level[i]);
    }
    level = next;
  }
  return level[0];
}

/** Refs of `a` that are not in `b`. */
export function without(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length === 0 || b.length === 0) return a;
  const out = new Uint32Array(a.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    j = gallop(b, j, x);
    if (j === b.length || b[j] !== x) out[n++] = x;
  }
  return n === a.length ? a : out.subarray(0, n);
}
