/**
 * Chooses how many steps the next slice of a range query evaluates. A slice costs a fixed part
 * (selecting and loading every series, per-series setup) plus a part per step. Timings on a
 * shared machine are noisy and noise only ever adds, so both parts are estimated from minima:
 * the per-step part as the lowest time per step or slope between two consecutive sizes, the
 * fixed part as the rest of the fastest slice. The first slice, which also pays one-time costs,
 * only decides whether the second is larger or smaller. Slices aim at `targetMs`, but grow
 * until the fixed part is a quarter of a slice, so slicing a long query costs about a third
 * more at most. Noise in a slope only misjudges sizes, never results.
 */
export class SliceSizer {
  private size: number;
  private slices = 0;
  private fastestMs = Infinity;
  private fastestSteps = 0;
  private perStepMs = Infinity;
  private sloped = false;
  private prevSteps = 0;
  private prevMs = 0;

  constructor(
    first: number,
    private readonly minSteps: number,
    private readonly targetMs: number,
  ) {
    this.size = Math.max(first, minSteps);
  }

  get next(): number {
    return this.size;
  }

  /** Records that a slice of `steps` steps took `ms`, and sizes the next one. */
  took(steps: number, ms: number): void {
    this.slices++;
    let want: number;
    if (this.slices === 1) {
      want = ms > this.targetMs ? steps / 2 : steps * 4;
    } else {
      if (ms < this.fastestMs) {
        this.fastestMs = ms;
        this.fastestSteps = steps;
      }
      this.perStepMs = Math.min(this.perStepMs, ms / steps);
      // The slope between two sizes is closer when the fixed part dominates the time per step.
      if (this.prevSteps > 0 && steps !== this.prevSteps) {
        const slope = (ms - this.prevMs) / (steps - this.prevSteps);
        if (slope > 0) {
          this.perStepMs = Math.min(this.perStepMs, slope);
          this.sloped = true;
        }
      }
      // Until a slope separates them, the fastest slice's steps count as fixed cost (too high).
      const fixed = this.sloped ? Math.max(0, this.fastestMs - this.perStepMs * this.fastestSteps) : this.fastestMs;
      want = this.perStepMs > 0 ? Math.max((this.targetMs - fixed) / this.perStepMs, (3 * fixed) / this.perStepMs) : steps * 4;
    }
    if (this.slices > 1) {
      this.prevSteps = steps;
      this.prevMs = ms;
    }
    this.size = Math.max(this.minSteps, Math.min(Number.MAX_SAFE_INTEGER, Math.round(want)));
  }
}
