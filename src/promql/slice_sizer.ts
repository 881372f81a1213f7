/**
 * Chooses how many steps the next slice of a range query evaluates. A slice costs a fixed part
 * (selecting and loading every series, per-series setup) plus a part per step. Timings on a
 * shared machine are noisy and noise only ever adds, so both parts are estimated from minima:
 * the fixed part as the fastest slice (an overestimate by that slice's own steps, which keeps
 * slices of expensive steps a few steps long rather than one), the per-step part as the lowest
 * time per step. The first slice, which also pays one-time costs, only decides whether the
 * second is larger or smaller. Slices aim at `targetMs`, but grow until the fixed part is
 * about a third of a slice, so slicing a long query costs about half again as much at most.
 */
export class SliceSizer {
  private size: number;
  private slices = 0;
  private fastestMs = Infinity;
  private perStepMs = Infinity;

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
      this.fastestMs = Math.min(this.fastestMs, ms);
      this.perStepMs = Math.min(this.perStepMs, ms / steps);
      const fixed = this.fastestMs;
      want = this.perStepMs > 0 ? Math.max((this.targetMs - fixed) / this.perStepMs, (3 * fixed) / this.perStepMs) : steps * 4;
    }
    this.size = Math.max(this.minSteps, Math.min(Number.MAX_SAFE_INTEGER, Math.round(want)));
  }
}
