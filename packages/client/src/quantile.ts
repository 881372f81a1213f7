/**
 * Targeted quantile estimation over a stream (Cormode, Korn, Muthukrishnan, Srivastava,
 * "Effective Computation of Biased Quantiles over Data Streams", ICDE 2005), the algorithm
 * client_golang's summaries use. Each objective asks for quantile q within rank error ±eps.
 *
 * The summary is a sorted list of tuples (value, g, delta) held in parallel Float64Arrays:
 * g is the rank gap to the previous tuple, delta the uncertainty of the tuple's rank.
 * Values arrive in sorted batches, are merged in, and the list is compressed whenever two
 * neighbours together stay within the error allowed at their rank.
 */
export interface Objective {
  quantile: number;
  error: number;
}

export class QuantileStream {
  private readonly qs: Float64Array;
  private readonly eps: Float64Array;
  private v = new Float64Array(64);
  private g = new Float64Array(64);
  private d = new Float64Array(64);
  /** Merge targets, swapped with v/g/d after each merge so steady state allocates nothing. */
  private sv = new Float64Array(64);
  private sg = new Float64Array(64);
  private sd = new Float64Array(64);
  private len = 0;
  private n = 0;

  constructor(objectives: readonly Objective[]) {
    this.qs = Float64Array.from(objectives, (o) => o.quantile);
    this.eps = Float64Array.from(objectives, (o) => o.error);
  }

  /** Number of observations merged so far. */
  get count(): number {
    return this.n;
  }

  /** Samples kept (memory use is proportional). */
  get size(): number {
    return this.len;
  }

  reset(): void {
    this.len = 0;
    this.n = 0;
  }

  /** Allowed rank uncertainty at rank r: the tightest over all objectives. */
  private allowed(r: number): number {
    const n = this.n;
    let m = Infinity;
    for (let j = 0; j < this.qs.length; j++) {
      const q = this.qs[j];
      // The extremes 0 and 1 get a uniform error of eps * n (the biased formula divides by zero there).
      const f = q === 0 || q === 1 ? 2 * this.eps[j] * n : q * n <= r ? (2 * this.eps[j] * r) / q : (2 * this.eps[j] * (n - r)) / (1 - q);
      if (f < m) m = f;
    }
    return m;
  }

  /** Merges `count` values from `sorted` (ascending, no NaN). */
  insertSorted(sorted: Float64Array, count: number): void {
    if (count === 0) return;
    const need = this.len + count;
    if (this.sv.length < need) {
      this.sv = new Float64Array(need * 2);
      this.sg = new Float64Array(need * 2);
      this.sd = new Float64Array(need * 2);
    }
    const ov = this.sv;
    const og = this.sg;
    const od = this.sd;
    let i = 0;
    let o = 0;
    let r = 0;
    for (let k = 0; k < count; k++) {
      const x = sorted[k];
      while (i < this.len && this.v[i] <= x) {
        ov[o] = this.v[i];
        og[o] = this.g[i];
        od[o] = this.d[i];
        r += this.g[i];
        o++;
        i++;
      }
      ov[o] = x;
      og[o] = 1;
      // New extremes are known exactly; inner values inherit the uncertainty allowed at their rank.
      od[o] = o === 0 || i === this.len ? 0 : Math.max(0, Math.floor(this.allowed(r)) - 1);
      this.n++;
      r += 1;
      o++;
    }
    while (i < this.len) {
      ov[o] = this.v[i];
      og[o] = this.g[i];
      od[o] = this.d[i];
      o++;
      i++;
    }
    this.sv = this.v;
    this.sg = this.g;
    this.sd = this.d;
    this.v = ov;
    this.g = og;
    this.d = od;
    this.len = o;
    this.compress();
  }

  private compress(): void {
    const len = this.len;
    if (len < 3) return;
    const v = this.v;
    const g = this.g;
    const d = this.d;
    // Walk from the top, folding tuple i into its upper neighbour (kept at w) when allowed.
    let w = len - 1;
    let r = this.n - 1 - g[w];
    for (let i = len - 2; i >= 1; i--) {
      const gi = g[i];
      if (gi + g[w] + d[w] <= this.allowed(r)) {
        g[w] += gi;
      } else {
        w--;
        v[w] = v[i];
        g[w] = gi;
        d[w] = d[i];
      }
      r -= gi;
    }
    // The minimum (index 0) is kept so that low quantiles stay anchored.
    w--;
    v[w] = v[0];
    g[w] = g[0];
    d[w] = d[0];
    if (w > 0) {
      v.copyWithin(0, w, len);
      g.copyWithin(0, w, len);
      d.copyWithin(0, w, len);
    }
    this.len = len - w;
  }

  /**
   * The estimate for quantile q, or NaN when empty: the last tuple whose highest possible rank
   * stays within half the allowed error above the target rank ceil(q * n) (on exact data, the
   * nearest-rank quantile).
   */
  query(q: number): number {
    if (this.len === 0) return NaN;
    const t = Math.ceil(q * this.n);
    const bound = t + this.allowed(t) / 2;
    let r = 0;
    for (let i = 1; i < this.len; i++) {
      r += this.g[i - 1];
      if (r + this.g[i] + this.d[i] > bound) return this.v[i - 1];
    }
    return this.v[this.len - 1];
  }
}
