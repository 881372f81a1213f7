/**
 * Deleted time ranges of head series (Prometheus's head tombstones), keyed by series slot.
 * Readers skip samples inside them; compaction into a block leaves those samples out; the
 * WAL carries them as tombstone records (by series ref) so a restart restores them.
 */
import { addInterval, type Intervals } from '../block/tombstones.js';

export class HeadTombstones {
  private readonly bySlot = new Map<number, Intervals>();
  /**
   * Series whose every sample was deleted when last checked. Later samples may revive them;
   * readers only use this to know when the index alone cannot answer label queries.
   */
  private readonly emptied = new Set<number>();

  /** Number of series with deleted ranges. */
  get size(): number {
    return this.bySlot.size;
  }

  get(slot: number): Intervals | undefined {
    return this.bySlot.get(slot);
  }

  has(slot: number): boolean {
    return this.bySlot.has(slot);
  }

  add(slot: number, mint: number, maxt: number): void {
    this.bySlot.set(slot, addInterval(this.bySlot.get(slot) ?? [], mint, maxt));
  }

  /** Number of series that may hold no sample any more. */
  get emptiedSeries(): number {
    return this.emptied.size;
  }

  markEmptied(slot: number): void {
    this.emptied.add(slot);
  }

  /** Forgets a series that left the head (its slot may be reused by another one). */
  removeSeries(slot: number): void {
    this.bySlot.delete(slot);
    this.emptied.delete(slot);
  }

  /** Drops intervals that end before `mint`: the data they hid is gone from the head. */
  truncateBefore(mint: number): void {
    for (const [slot, iv] of this.bySlot) {
      let i = 0;
      while (i < iv.length && iv[i + 1]! < mint) i += 2;
      if (i === iv.length) {
        this.bySlot.delete(slot);
        this.emptied.delete(slot);
      }
      else if (i > 0) this.bySlot.set(slot, iv.slice(i));
    }
  }

  /** Number of deleted intervals held. */
  intervals(): number {
    let n = 0;
    for (const iv of this.bySlot.values()) n += iv.length >> 1;
    return n;
  }
}

/** Whether one interval covers all of [lo, hi] (intervals are merged, so one must if any do). */
export function coveredBy(iv: Intervals, lo: number, hi: number): boolean {
  for (let i = 0; i < iv.length; i += 2) if (iv[i]! <= lo && hi <= iv[i + 1]!) return true;
  return false;
}
