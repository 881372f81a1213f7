import type { TargetGroup } from './targetgroup.js';

/**
 * A discovery mechanism. `run` sends the full current list of groups on every change
 * (groups that disappeared are sent with no targets) until `signal` aborts.
 */
export interface Discoverer {
  run(signal: AbortSignal, send: (groups: TargetGroup[]) => void): Promise<void>;
}

/** Sleeps `ms` or until aborted; resolves false when aborted. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
