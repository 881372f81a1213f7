/**
 * Long synchronous work written once as a generator that yields at points where it may pause,
 * then run either to the end at once or in slices that give the event loop its turn:
 *
 *   function* work(): Generator<void, Result> { ... if (slice.expired()) yield; ... }
 *   const r = runSteps(work());                    // synchronous, yields ignored
 *   const r = await runStepsAsync(work(), signal); // other callbacks run at each yield
 *
 * An abort between slices is thrown into the generator, so its catch/finally clean up.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export type Steps<T> = Generator<void, T, void>;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export async function runStepsAsync<T>(steps: Steps<T>, signal?: AbortSignal): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    // setImmediate runs after pending I/O callbacks, so HTTP requests are served between slices.
    await nextTurn();
    if (signal?.aborted) {
      const reason: unknown = signal.reason ?? new Error('aborted');
      steps.throw(reason);
      // A generator that swallows the abort is a bug: it must not keep running unseen.
      throw reason;
    }
  }
}

/** A time budget: `expired()` is true once `ms` have passed since the last `restart()`. */
export class TimeSlice {
  private deadline: number;
  constructor(private readonly ms: number) {
    this.deadline = performance.now() + ms;
  }
  expired(): boolean {
    return performance.now() >= this.deadline;
  }
  restart(): void {
    this.deadline = performance.now() + this.ms;
  }
}
