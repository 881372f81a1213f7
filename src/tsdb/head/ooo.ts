/**
 * Out-of-order samples of one series (accepted only with an out-of-order time window).
 * New samples go into a small sorted buffer; a full buffer is frozen into an XOR chunk.
 * Reads merge everything into one sorted run, as Prometheus merges its OOO chunks.
 */
import { ValueType } from '../../storage/interface.js';
import { XORChunk } from '../chunkenc/xor.js';

export class OOOSeries {
  readonly chunks: XORChunk[] = [];
  readonly chunkMinT: number[] = [];
  readonly chunkMaxT: number[] = [];
  private bufT: Float64Array;
  private bufV: Float64Array;
  private n = 0;

  constructor(private readonly cap: number) {
    this.bufT = new Float64Array(cap);
    this.bufV = new Float64Array(cap);
  }

  /** Inserts in time order; false when the buffer already holds this timestamp. */
  insert(t: number, v: number): boolean {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.bufT[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.n && this.bufT[lo] === t) return false;
    this.bufT.copyWithin(lo + 1, lo, this.n);
    this.bufV.copyWithin(lo + 1, lo, this.n);
    this.bufT[lo] = t;
    this.bufV[lo] = v;
    this.n++;
    if (this.n === this.cap) this.freeze();
    return true;
  }

  private freeze(): void {
    const c = new XORChunk();
    const app = c.appender();
    for (let i = 0; i < this.n; i++) app.append(this.bufT[i], this.bufV[i]);
    this.chunks.push(c);
    this.chunkMinT.push(this.bufT[0]);
    this.chunkMaxT.push(this.bufT[this.n - 1]);
    this.n = 0;
  }

  minTime(): number {
    let m = this.n > 0 ? this.bufT[0] : Infinity;
    for (const t of this.chunkMinT) if (t < m) m = t;
    return m;
  }

  maxTime(): number {
    let m = this.n > 0 ? this.bufT[this.n - 1] : -Infinity;
    for (const t of this.chunkMaxT) if (t > m) m = t;
    return m;
  }

  isEmpty(): boolean {
    return this.n === 0 && this.chunks.length === 0;
  }

  /** Drops frozen chunks that end before `mint` and buffered samples before it. */
  truncate(mint: number): void {
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      if (this.chunkMaxT[i] < mint) {
        this.chunks.splice(i, 1);
        this.chunkMinT.splice(i, 1);
        this.chunkMaxT.splice(i, 1);
      }
    }
    let k = 0;
    while (k < this.n && this.bufT[k] < mint) k++;
    if (k > 0) {
      this.bufT.copyWithin(0, k, this.n);
      this.bufV.copyWithin(0, k, this.n);
      this.n -= k;
    }
  }

  /**
   * All samples in [mint, maxt], sorted, deduplicated by timestamp (earlier-frozen data wins,
   * as the first source wins in a chained merge).
   */
  samples(mint: number, maxt: number): { t: Float64Array; v: Float64Array } {
    let total = this.n;
    for (const c of this.chunks) total += c.numSamples();
    const t = new Float64Array(total);
    const v = new Float64Array(total);
    let k = 0;
    for (const c of this.chunks) {
      const it = c.iterator();
      while (it.next() === ValueType.Float) {
        t[k] = it.atT();
        v[k++] = it.atV();
      }
    }
    for (let i = 0; i < this.n; i++) {
      t[k] = this.bufT[i];
      v[k++] = this.bufV[i];
    }
    // Stable sort of indices by time, then keep the first of equal timestamps within range.
    const idx = new Uint32Array(k);
    for (let i = 0; i < k; i++) idx[i] = i;
    const order = Array.from(idx).sort((a, b) => t[a] - t[b] || a - b);
    const ot = new Float64Array(k);
    const ov = new Float64Array(k);
    let m = 0;
    for (const i of order) {
      const ti = t[i];
      if (ti < mint || ti > maxt) continue;
      if (m > 0 && ot[m - 1] === ti) continue;
      ot[m] = ti;
      ov[m++] = v[i];
    }
    return { t: ot.subarray(0, m), v: ov.subarray(0, m) };
  }
}
