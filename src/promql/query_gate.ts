/**
 * At most `max` queries evaluate at once (`--query.max-concurrency`); the others wait in
 * arrival order. A waiting query whose signal aborts leaves the queue.
 */
import { QueryError } from './annotations.js';

export class QueryGate {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(readonly max: number) {}

  /** Resolves once the caller may evaluate; it must then call `release()` exactly once. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new QueryError('query was canceled', 'canceled'));
    if (this.max <= 0 || this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new QueryError('query was canceled', 'canceled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (next) next.grant();
    else this.active--;
  }

  get queued(): number {
    return this.waiting.length;
  }
}
