/**
 * Replays a WAL directory into the head (src/tsdb/head): series records recreate series under
 * their recorded refs, sample records go in as typed-array batches. The target is described
 * structurally so this layer does not depend on the head's implementation.
 *
 *   const sink = new WalSink();
 *   const head = new Head({ wal: sink });
 *   const stats = replayIntoHead(walDir, head, { logger });   // repairs a torn tail
 *   sink.attach(WAL.open(walDir));                             // then log into a new segment
 *
 * Tombstones, exemplars, metadata and native histograms are counted in the stats and skipped:
 * the head does not store them yet.
 */
import type { Labels } from '../../model/labels.js';
import { replayWal, type ReplayOptions, type ReplayStats } from './replay.js';

export interface ReplayTarget {
  replaySeries(ref: number, labels: Labels): void;
  /** Returns how many samples were stored (the rest were out of bounds or for unknown series). */
  replaySamples(refs: ArrayLike<number>, ts: ArrayLike<number>, vs: Float64Array, n: number): number;
  replayDone(): void;
}

export interface HeadReplayStats extends ReplayStats {
  samplesStored: number;
}

export function replayIntoHead(walDir: string, head: ReplayTarget, opts: ReplayOptions = {}): HeadReplayStats {
  let samplesStored = 0;
  try {
    const stats = replayWal(
      walDir,
      {
        series(list) {
          for (const s of list) head.replaySeries(s.ref, s.labels);
        },
        samples(b) {
          samplesStored += head.replaySamples(b.refs, b.ts, b.vs, b.n);
        },
      },
      opts,
    );
    return { ...stats, samplesStored };
  } finally {
    head.replayDone();
  }
}
