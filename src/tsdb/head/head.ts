/**
 * The head block: the in-memory, writable part of the TSDB.
 *
 * Series live in a struct of typed arrays (series.ts), chunk bytes in pooled pages
 * (chunkpool.ts), the label index in MemPostings. Chunks are cut as Prometheus cuts them:
 * at most one chunk range (2h) per chunk, ending on the range boundary, aiming at 120
 * samples by predicting the end time once a chunk is a quarter full, and never above 1 KiB
 * or twice the sample target.
 */
import { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { Exemplar, Metadata } from '../../model/value.js';
import type { Appender, Querier, SampleIterator, Storage } from '../../storage/interface.js';
import { BitWriter } from '../chunkenc/bstream.js';
import { Encoding, MAX_BYTES_PER_XOR_CHUNK, SAMPLES_PER_CHUNK } from '../chunkenc/chunk.js';
import { XORChunk, XORIterator, newXorState, xorAppend } from '../chunkenc/xor.js';
import { MemPostings } from '../postings/mem.js';
import { postingsForMatchers, type PostingsReader } from '../postings/matchers.js';
import type { RefExemplar, RefTombstone } from '../record/types.js';
import { ValueType } from '../../storage/interface.js';
import { ChunkArena, SlotPool } from './chunkpool.js';
import { OOOSeries } from './ooo.js';
import { SeriesStore } from './series.js';
import { AppendBuffers, HeadAppender } from './appender.js';
import { HeadQuerier } from './querier.js';
import { ArraySampleIterator, HeadSeriesIterator } from './iterator.js';
import { ChainSampleIterator } from '../../storage/merge.js';
import { HeadTombstones, coveredBy } from './tombstones.js';
import { CircularExemplarStorage, ExemplarCheck, type StoredExemplar } from '../exemplar/circular.js';
import { isDeleted, type Intervals } from '../block/tombstones.js';

export const DEFAULT_CHUNK_RANGE = 2 * 60 * 60 * 1000;
/** Worst case for one sample: 68 bits of timestamp, 77 of value, and the pad byte. */
const MAX_SAMPLE_BYTES = 20;

/** A new series as handed to the WAL (same shape as record.RefSeries). */
export interface WalSeries {
  ref: number;
  labels: Labels;
}

/**
 * Where a committing appender hands its records before they become visible: the WAL.
 * Samples are parallel arrays; entries [0, n) are valid and the arrays are reused afterwards.
 */
export interface WalSink {
  log(series: readonly WalSeries[], refs: Float64Array, ts: Float64Array, vs: Float64Array, n: number): void | Promise<void>;
  /** Deleted intervals (Head.delete); logged before they apply. */
  logTombstones?(stones: readonly RefTombstone[]): void | Promise<void>;
  /** Exemplars of a committed transaction, after its series and samples. */
  logExemplars?(exemplars: readonly RefExemplar[]): void | Promise<void>;
}

export interface HeadOptions {
  /** Width in ms of the time ranges chunks never cross (Prometheus: the min block duration). */
  chunkRange?: number;
  samplesPerChunk?: number;
  /** Chunks stay within this many bytes (Prometheus 3: 1024; Prometheus 2.42 had no limit). */
  maxBytesPerChunk?: number;
  /** Accept samples up to this many ms older than the head's max time (0: reject them). */
  outOfOrderTimeWindow?: number;
  /** Samples per out-of-order buffer before it is frozen into a chunk (Prometheus's default: 32). */
  outOfOrderCapMax?: number;
  wal?: WalSink;
  /** Size of the exemplar ring (0: exemplars are not stored, as without exemplar-storage). */
  maxExemplars?: number;
}

/** Counts of samples rejected or accepted, by kind. */
export interface HeadCounters {
  samplesAppended: number;
  outOfOrderSamplesAppended: number;
  outOfOrder: number;
  duplicate: number;
  outOfBounds: number;
  tooOld: number;
  seriesCreated: number;
  seriesRemoved: number;
  chunksCreated: number;
  chunksRemoved: number;
}

/** One encoded chunk with its inclusive time bounds (the shape the block writer takes). */
export interface HeadChunk {
  minTime: number;
  maxTime: number;
  encoding: number;
  data: Uint8Array;
  numSamples: number;
}

export interface ChunkSeries {
  labels: Labels;
  chunks: HeadChunk[];
}

/** Go's integer division truncates toward zero; chunk ranges follow it. */
export function rangeForTimestamp(t: number, width: number): number {
  return Math.trunc(t / width) * width + width;
}

/**
 * Predicts when to cut the current chunk so that the rest of the range is split into chunks
 * of equal sample counts, given that the chunk reached `1/ratioToFull` of its target at `cur`.
 */
export function computeChunkEndTime(start: number, cur: number, max: number, ratioToFull: number): number {
  const n = (max - start) / ((cur - start + 1) * ratioToFull);
  if (n <= 1) return max;
  return Math.trunc(start + (max - start) / Math.floor(n));
}

export class Head implements Storage {
  readonly store = new SeriesStore();
  readonly postings = new MemPostings();
  readonly slots = new SlotPool();
  readonly arena = new ChunkArena();
  readonly ooo = new Map<number, OOOSeries>();
  readonly metadata = new Map<number, Metadata>();
  readonly tombstones = new HeadTombstones();
  /** The postings index as matcher resolution reads it. */
  readonly index: PostingsReader;
  readonly counters: HeadCounters = {
    samplesAppended: 0,
    outOfOrderSamplesAppended: 0,
    outOfOrder: 0,
    duplicate: 0,
    outOfBounds: 0,
    tooOld: 0,
    seriesCreated: 0,
    seriesRemoved: 0,
    chunksCreated: 0,
    chunksRemoved: 0,
  };
  readonly chunkRange: number;
  readonly samplesPerChunk: number;
  readonly maxBytesPerChunk: number;
  readonly oooWindow: number;
  readonly oooCap: number;
  readonly wal: WalSink | undefined;
  readonly exemplars: CircularExemplarStorage | undefined;
  /** Exemplars of open transactions by appender id, stored on commit. */
  private readonly stagedExemplars = new Map<number, { slot: number; e: StoredExemplar }[]>();

  private minT = Infinity;
  private maxT = -Infinity;
  /** Samples older than this are out of bounds (set by truncation). */
  private minValidT = -Infinity;
  private appenderIds = 0;
  /** WAL refs remapped during replay (duplicate series records, reused slots). */
  private replayRefs = new Map<number, number>();

  private readonly spareBuffers: AppendBuffers[] = [];
  /** Reused by hasSamples. */
  private probe: SampleIterator | undefined;
  private readonly w = new BitWriter(0);
  private readonly st = newXorState();

  constructor(opts: HeadOptions = {}) {
    this.chunkRange = opts.chunkRange ?? DEFAULT_CHUNK_RANGE;
    this.samplesPerChunk = opts.samplesPerChunk ?? SAMPLES_PER_CHUNK;
    this.maxBytesPerChunk = opts.maxBytesPerChunk ?? MAX_BYTES_PER_XOR_CHUNK;
    // An open chunk must fit the largest pool slot whichever cut rule comes first.
    const worst = Math.min(this.maxBytesPerChunk, this.samplesPerChunk * 2 * MAX_SAMPLE_BYTES) + MAX_SAMPLE_BYTES + 2;
    if (worst > SlotPool.MAX_SLOT) throw new Error('head: samplesPerChunk/maxBytesPerChunk allow chunks larger than 8 KiB');
    this.oooWindow = opts.outOfOrderTimeWindow ?? 0;
    this.oooCap = opts.outOfOrderCapMax ?? 32;
    this.wal = opts.wal;
    this.exemplars = (opts.maxExemplars ?? 0) > 0 ? new CircularExemplarStorage(opts.maxExemplars!) : undefined;
    const p = this.postings;
    this.index = {
      allPostings: () => p.allPostings(),
      postings: (name, value) => p.get(name, value),
      labelValues: (name) => p.labelValues(name),
    };
  }

  /** Oldest sample time held (Infinity when empty). */
  minTime(): number {
    return this.minT;
  }

  /** Newest sample time held (-Infinity when empty). */
  maxTime(): number {
    return this.maxT;
  }

  /** Storage.startTime: the oldest sample time held (Infinity when empty). */
  startTime(): number {
    return this.minT;
  }

  /** The head holds no files; the WAL sink, if any, is closed by its owner. */
  async close(): Promise<void> {}

  numSeries(): number {
    return this.store.count;
  }

  /** The oldest time an in-order append may have, as in Prometheus: half a chunk range behind. */
  appendableMinValidTime(): number {
    if (this.maxT === -Infinity) return this.minValidT;
    return Math.max(this.minValidT, this.maxT - this.chunkRange / 2);
  }

  appender(): Appender {
    this.appenderIds = (this.appenderIds + 1) >>> 0 || 1;
    return new HeadAppender(this, this.appenderIds);
  }

  takeAppendBuffers(): AppendBuffers {
    return this.spareBuffers.pop() ?? new AppendBuffers();
  }

  returnAppendBuffers(b: AppendBuffers): void {
    // A few spares cover concurrent scrapes; oversized ones are dropped.
    if (this.spareBuffers.length < 16 && b.ts.length <= 1 << 16) this.spareBuffers.push(b);
  }

  querier(mint: number, maxt: number): Querier {
    return new HeadQuerier(this, mint, maxt);
  }

  /** The slot of the series with these labels, creating it if needed; `created` tells which. */
  getOrCreate(labels: Labels): { slot: number; created: boolean } {
    const found = this.store.find(labels);
    if (found !== 0) return { slot: found, created: false };
    const slot = this.store.create(labels);
    this.postings.add(slot, labels.toFlat());
    this.counters.seriesCreated++;
    return { slot, created: true };
  }

  /** The ref of a live series with these labels, or 0. */
  refOf(labels: Labels): number {
    const slot = this.store.find(labels);
    return slot === 0 ? 0 : this.store.ref(slot);
  }

  noteSampleTime(t: number): void {
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
  }

  private openBytes(slot: number): number {
    const s = this.store;
    const bits = s.openBits[slot];
    return ((bits + 7) >>> 3) + (s.padByte[slot] === 1 && (bits & 7) === 0 ? 1 : 0);
  }

  /** Moves the open chunk (if it has samples) to the arena and starts an empty one at `mint`. */
  private cutChunk(slot: number, mint: number): void {
    const s = this.store;
    const open = s.openSlot[slot];
    if (open >= 0 && s.openNum[slot] > 0) {
      const id = this.arena.add(
        this.slots.page(open),
        this.slots.offset(open),
        this.openBytes(slot),
        s.openMinT[slot],
        s.maxT[slot],
      );
      const last = s.lastClosed[slot];
      if (last < 0) s.firstClosed[slot] = id;
      else this.arena.next[last] = id;
      s.lastClosed[slot] = id;
    }
    if (open >= 0) this.slots.free(open);
    s.openSlot[slot] = this.slots.alloc(32);
    s.openBits[slot] = 16;
    s.padByte[slot] = 0;
    s.openNum[slot] = 0;
    s.leading[slot] = 0xff;
    s.trailing[slot] = 0;
    s.tDelta[slot] = 0;
    s.openMinT[slot] = mint;
    s.nextAt[slot] = rangeForTimestamp(mint, this.chunkRange);
    this.counters.chunksCreated++;
  }

  /**
   * Appends a sample newer than the series' newest one to its open chunk, cutting chunks as
   * Prometheus does. The caller has checked `t > maxT`.
   */
  appendInOrder(slot: number, t: number, v: number): void {
    const s = this.store;
    let created = false;
    // As Prometheus: cut while the chunk can still take a maximal (19-byte) sample, so that
    // chunks stay within maxBytesPerChunk.
    if (s.openSlot[slot] < 0 || this.openBytes(slot) > this.maxBytesPerChunk - 19) {
      this.cutChunk(slot, t);
      created = true;
    }
    let num = s.openNum[slot];
    if (num === 0) {
      s.openMinT[slot] = t;
      s.nextAt[slot] = rangeForTimestamp(t, this.chunkRange);
    } else if (num === this.samplesPerChunk >>> 2) {
      s.nextAt[slot] = computeChunkEndTime(s.openMinT[slot], s.maxT[slot], s.nextAt[slot], 4);
    }
    if (!created && (t >= s.nextAt[slot] || num >= this.samplesPerChunk * 2)) {
      this.cutChunk(slot, t);
      num = 0;
    }
    // Make room for the worst-case sample in the open chunk's slot.
    const pool = this.slots;
    let open = s.openSlot[slot];
    let page = pool.page(open);
    let off = pool.offset(open);
    const bytes = this.openBytes(slot);
    if (bytes + MAX_SAMPLE_BYTES > pool.size(open)) {
      const next = pool.alloc(pool.size(open) * 2);
      const nextPage = pool.page(next);
      const nextOff = pool.offset(next);
      nextPage.set(page.subarray(off, off + bytes), nextOff);
      pool.free(open);
      s.openSlot[slot] = open = next;
      page = nextPage;
      off = nextOff;
    }
    const w = this.w;
    w.bind(page, off, s.openBits[slot], s.padByte[slot] === 1);
    const st = this.st;
    st.num = num;
    st.t = s.maxT[slot];
    st.tDelta = s.tDelta[slot];
    st.vHi = s.vHi[slot];
    st.vLo = s.vLo[slot];
    st.leading = s.leading[slot];
    st.trailing = s.trailing[slot];
    xorAppend(w, st, t, v);
    s.openBits[slot] = w.nbits;
    s.padByte[slot] = w.padByte ? 1 : 0;
    s.openNum[slot] = st.num;
    s.maxT[slot] = t;
    s.tDelta[slot] = st.tDelta;
    s.vHi[slot] = st.vHi;
    s.vLo[slot] = st.vLo;
    s.leading[slot] = st.leading;
    s.trailing[slot] = st.trailing;
  }

  /** Stores an out-of-order sample; false when its timestamp is already buffered. */
  appendOOO(slot: number, t: number, v: number): boolean {
    let o = this.ooo.get(slot);
    if (!o) this.ooo.set(slot, (o = new OOOSeries(this.oooCap)));
    return o.insert(t, v);
  }

  /**
   * Applies one committed sample, re-checking it against the series' current state (another
   * appender may have committed in between). Rejections here are counted, not thrown.
   * `oooBase` is the head max time the out-of-order window counts from: as in Prometheus, an
   * appender uses the one it saw when it was created.
   */
  ingest(slot: number, t: number, v: number, hi: number, lo: number, oooBase = this.maxT): boolean {
    const s = this.store;
    const last = s.maxT[slot];
    if (t > last) {
      this.appendInOrder(slot, t, v);
      this.counters.samplesAppended++;
      this.noteSampleTime(t);
      return true;
    }
    if (t === last) {
      if (s.vHi[slot] !== hi || s.vLo[slot] !== lo) this.counters.duplicate++;
      return false;
    }
    if (this.oooWindow > 0 && t >= oooBase - this.oooWindow) {
      if (!this.appendOOO(slot, t, v)) {
        this.counters.duplicate++;
        return false;
      }
      this.counters.outOfOrderSamplesAppended++;
      this.noteSampleTime(t);
      return true;
    }
    if (this.oooWindow > 0) this.counters.tooOld++;
    else this.counters.outOfOrder++;
    return false;
  }

  // --- Exemplars --------------------------------------------------------------------------

  /**
   * Checks an exemplar of an open transaction and keeps it until commit. Duplicates of the
   * series' newest exemplar are dropped silently, as in Prometheus; other rejections throw.
   * `t` is the exemplar's time (the caller supplies its sample's when it has none).
   */
  stageExemplar(appenderId: number, slot: number, t: number, e: Exemplar): void {
    if (!this.exemplars) return;
    const stored: StoredExemplar = { labels: Labels.fromSortedFlat(e.labels), value: e.value, ts: t };
    if (this.exemplars.validate(this.store.labels(slot), stored) === ExemplarCheck.Duplicate) return;
    let list = this.stagedExemplars.get(appenderId);
    if (!list) this.stagedExemplars.set(appenderId, (list = []));
    list.push({ slot, e: stored });
  }

  /** Logs and stores the staged exemplars of a committing transaction (after its samples). */
  commitExemplars(appenderId: number): void | Promise<void> {
    const list = this.stagedExemplars.get(appenderId);
    if (!list) return;
    this.stagedExemplars.delete(appenderId);
    const logged = this.wal?.logExemplars?.(list.map(({ slot, e }) => ({ ref: this.store.ref(slot), t: e.ts, v: e.value, labels: e.labels })));
    const store = (): void => {
      for (const { slot, e } of list) this.addExemplar(slot, e);
    };
    if (!logged) return store();
    return logged.then(store);
  }

  /** Forgets the staged exemplars of a transaction rolled back (no-op after commit). */
  discardExemplars(appenderId: number): void {
    if (this.stagedExemplars.size > 0) this.stagedExemplars.delete(appenderId);
  }

  /** Stores one exemplar; rejected ones (out of order since staging) are dropped. */
  private addExemplar(slot: number, e: StoredExemplar): void {
    try {
      this.exemplars?.add(this.store.labels(slot), e);
    } catch {
      // Counted by the storage; a commit does not fail for an exemplar.
    }
  }

  /** Replays WAL exemplar records into the ring (when exemplar storage is on). */
  replayExemplars(list: readonly RefExemplar[]): void {
    if (!this.exemplars) return;
    for (const x of list) {
      const slot = this.replaySlot(x.ref);
      if (slot !== 0) this.addExemplar(slot, { labels: x.labels, value: x.v, ts: x.t });
    }
  }

  // --- WAL replay -------------------------------------------------------------------------

  /**
   * Recreates a series from a WAL series record under its recorded ref. A second record for
   * the same labels, or a ref whose slot is taken by another series, is remapped so that the
   * record's samples still reach the right series.
   */
  replaySeries(ref: number, labels: Labels): void {
    const existing = this.store.find(labels);
    if (existing !== 0) {
      const have = this.store.ref(existing);
      if (have !== ref) this.replayRefs.set(ref, have);
      return;
    }
    const slot = ref % 2 ** 26;
    if (slot === 0 || this.store.live[slot] === 1 || (slot < this.store.capacity && this.store.pending[slot] > 0)) {
      const made = this.getOrCreate(labels);
      this.replayRefs.set(ref, this.store.ref(made.slot));
      return;
    }
    const s = this.store.create(labels, ref);
    this.postings.add(s, labels.toFlat());
    this.counters.seriesCreated++;
  }

  /** Replays one WAL sample; false when its series is unknown or the sample is rejected. */
  replaySample(ref: number, t: number, v: number): boolean {
    const mapped = this.replayRefs.get(ref);
    const slot = this.store.slotOf(mapped ?? ref);
    if (slot === 0) return false;
    scratch[0] = v;
    return this.ingest(slot, t, v, scratchU32[HI], scratchU32[LO]);
  }

  /** Replays a batch of WAL samples (parallel arrays, entries [0, n)); returns how many were stored. */
  replaySamples(refs: ArrayLike<number>, ts: ArrayLike<number>, vs: Float64Array, n: number): number {
    let stored = 0;
    for (let i = 0; i < n; i++) if (this.replaySample(refs[i], ts[i], vs[i])) stored++;
    return stored;
  }

  /** Replays WAL tombstone records; intervals of unknown series are dropped. */
  replayTombstones(stones: readonly RefTombstone[]): void {
    for (const st of stones) {
      const slot = this.replaySlot(st.ref);
      if (slot !== 0) this.addTombstone(slot, st.mint, st.maxt);
    }
  }

  /** The head slot a WAL ref stands for during replay (0 when unknown). */
  replaySlot(ref: number): number {
    return this.store.slotOf(this.replayRefs.get(ref) ?? ref);
  }

  /** Ends a replay: forgets ref remappings. */
  replayDone(): void {
    this.replayRefs.clear();
  }

  // --- Deletion ---------------------------------------------------------------------------

  /**
   * Deletes the samples in [mint, maxt] of every series matching `matchers`, as Prometheus's
   * Head.Delete: each interval is clamped to the series' data, logged to the WAL, then applied.
   * Returns the number of series affected.
   */
  async delete(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<number> {
    if (mint > maxt) return 0;
    const slots = postingsForMatchers(this.index, matchers);
    const stones: RefTombstone[] = [];
    for (let i = 0; i < slots.length; i++) {
      const [lo, hi] = this.seriesRange(slots[i]);
      if (hi < mint || lo > maxt) continue;
      stones.push({ ref: this.store.ref(slots[i]), mint: Math.max(mint, lo), maxt: Math.min(maxt, hi) });
    }
    if (stones.length === 0) return 0;
    const logged = this.wal?.logTombstones?.(stones);
    if (logged) await logged;
    for (const st of stones) {
      const slot = this.store.slotOf(st.ref);
      if (slot !== 0) this.addTombstone(slot, st.mint, st.maxt);
    }
    return stones.length;
  }

  private addTombstone(slot: number, mint: number, maxt: number): void {
    this.tombstones.add(slot, mint, maxt);
    if (!this.hasSamples(slot, -Infinity, Infinity)) this.tombstones.markEmptied(slot);
  }

  /**
   * Whether the series keeps a sample in [mint, maxt] once deletions apply. Series without
   * tombstones answer from their time range; others are iterated when no single interval hides
   * the whole window.
   */
  hasSamples(slot: number, mint: number, maxt: number): boolean {
    const [lo, hi] = this.seriesRange(slot);
    if (hi < mint || lo > maxt) return false;
    const iv = this.tombstones.get(slot);
    if (iv === undefined) return true;
    if (coveredBy(iv, Math.max(lo, mint), Math.min(hi, maxt))) return false;
    this.probe = this.seriesIterator(slot, mint, maxt, this.probe);
    return this.probe.next() !== ValueType.None;
  }

  // --- Truncation -------------------------------------------------------------------------

  /**
   * Drops chunks (and out-of-order data) entirely before `mint`, then series left without
   * data. Samples older than `mint` are out of bounds afterwards.
   */
  truncate(mint: number): void {
    const s = this.store;
    const removed: number[] = [];
    const arena = this.arena;
    for (const slot of s.slots()) {
      let c = s.firstClosed[slot];
      while (c >= 0 && arena.maxT[c] < mint) {
        const next = arena.next[c];
        arena.free(c);
        this.counters.chunksRemoved++;
        c = next;
      }
      s.firstClosed[slot] = c;
      if (c < 0) s.lastClosed[slot] = -1;
      const open = s.openSlot[slot];
      if (open >= 0 && s.maxT[slot] < mint) {
        this.slots.free(open);
        s.openSlot[slot] = -1;
        s.openNum[slot] = 0;
        this.counters.chunksRemoved++;
      }
      const o = this.ooo.get(slot);
      if (o) {
        o.truncate(mint);
        if (o.isEmpty()) this.ooo.delete(slot);
      }
      if (s.firstClosed[slot] < 0 && s.openSlot[slot] < 0 && !this.ooo.has(slot) && s.pending[slot] === 0) {
        removed.push(slot);
      }
    }
    if (removed.length > 0) {
      this.postings.delete(removed, (slot) => s.labelsFlat(slot));
      for (const slot of removed) {
        s.remove(slot);
        this.metadata.delete(slot);
        this.tombstones.removeSeries(slot);
      }
      this.counters.seriesRemoved += removed.length;
    }
    this.tombstones.truncateBefore(mint);
    if (mint > this.minValidT) this.minValidT = mint;
    if (this.store.count === 0) {
      this.minT = Infinity;
      this.maxT = -Infinity;
    } else if (mint > this.minT) {
      this.minT = mint;
    }
  }

  // --- Reading ----------------------------------------------------------------------------

  /** Time range of a series' data (in-order and out-of-order); [Infinity, -Infinity] when empty. */
  seriesRange(slot: number): [number, number] {
    const s = this.store;
    let lo = Infinity;
    let hi = -Infinity;
    const first = s.firstClosed[slot];
    if (first >= 0) lo = this.arena.minT[first];
    else if (s.openSlot[slot] >= 0 && s.openNum[slot] > 0) lo = s.openMinT[slot];
    if (lo !== Infinity) hi = s.maxT[slot];
    const o = this.ooo.get(slot);
    if (o) {
      lo = Math.min(lo, o.minTime());
      hi = Math.max(hi, o.maxTime());
    }
    return [lo, hi];
  }

  /**
   * Every series with data in [mint, maxt), sorted by labels, with its chunks, for compaction
   * into a block. Chunks crossing the range and series with out-of-order data or deletions
   * (whose deleted samples are left out) are re-encoded
   * (at most `samplesPerChunk` samples per chunk); others are returned as they are: cut
   * chunks as read-only views of the head's memory, the open chunk as a copy.
   */
  chunkSeries(mint: number, maxt: number): ChunkSeries[] {
    const out: { slot: number; labels: Labels }[] = [];
    for (const slot of this.store.slots()) {
      const [lo, hi] = this.seriesRange(slot);
      if (hi < mint || lo >= maxt) continue;
      out.push({ slot, labels: this.store.labels(slot) });
    }
    out.sort((a, b) => Labels.compare(a.labels, b.labels));
    const result: ChunkSeries[] = [];
    for (const { slot, labels } of out) {
      const rewrite = this.ooo.has(slot) || this.tombstones.has(slot);
      const chunks = rewrite ? this.reencodeMerged(slot, mint, maxt) : this.copyChunks(slot, mint, maxt);
      if (chunks.length > 0) result.push({ labels, chunks });
    }
    return result;
  }

  private copyChunks(slot: number, mint: number, maxt: number): HeadChunk[] {
    const s = this.store;
    const arena = this.arena;
    const out: HeadChunk[] = [];
    // Cut chunks are immutable arena bytes (pages are never rewritten), so they are handed out
    // as views; the open chunk keeps changing and is copied.
    const take = (buf: Uint8Array, off: number, len: number, lo: number, hi: number, copy: boolean): void => {
      if (hi < mint || lo >= maxt) return;
      const n = (buf[off] << 8) | buf[off + 1];
      if (lo >= mint && hi < maxt) {
        const data = copy ? buf.slice(off, off + len) : buf.subarray(off, off + len);
        out.push({ minTime: lo, maxTime: hi, encoding: Encoding.XOR, data, numSamples: n });
        return;
      }
      const it = new XORIterator().reset(buf, off, off + len);
      const ts: number[] = [];
      const vs = new Float64Array(n);
      while (it.next() === ValueType.Float) {
        const t = it.atT();
        if (t < mint || t >= maxt) continue;
        vs[ts.length] = it.atV();
        ts.push(t);
      }
      encodeRuns(ts, vs, ts.length, this.samplesPerChunk, out);
    };
    for (let c = s.firstClosed[slot]; c >= 0; c = arena.next[c]) {
      take(arena.page(c), arena.offOf[c], arena.lenOf[c], arena.minT[c], arena.maxT[c], false);
    }
    const open = s.openSlot[slot];
    if (open >= 0 && s.openNum[slot] > 0) {
      take(this.slots.page(open), this.slots.offset(open), this.openBytes(slot), s.openMinT[slot], s.maxT[slot], true);
    }
    return out;
  }

  private reencodeMerged(slot: number, mint: number, maxt: number): HeadChunk[] {
    const it = this.seriesIterator(slot, mint, maxt - 1);
    const ts: number[] = [];
    let vs = new Float64Array(256);
    while (it.next() === ValueType.Float) {
      if (ts.length === vs.length) {
        const g = new Float64Array(vs.length * 2);
        g.set(vs);
        vs = g;
      }
      vs[ts.length] = it.atV();
      ts.push(it.atT());
    }
    return encodeRuns(ts, vs, ts.length, this.samplesPerChunk, []);
  }

  /**
   * A sample iterator over one series' data in [mint, maxt], out-of-order data merged in and
   * deleted ranges skipped.
   */
  seriesIterator(slot: number, mint: number, maxt: number, reuse?: SampleIterator): SampleIterator {
    const it = reuse instanceof HeadSeriesIterator ? reuse : new HeadSeriesIterator();
    const deleted = this.tombstones.get(slot);
    it.init(this, slot, mint, maxt, deleted);
    const ooo = this.ooo.get(slot);
    if (!ooo) return it;
    let { t, v } = ooo.samples(mint, maxt);
    if (deleted) ({ t, v } = withoutDeleted(t, v, deleted));
    return new ChainSampleIterator([it, new ArraySampleIterator(t, v)]);
  }

  /** Rough bytes held by the head's own structures (typed arrays and chunk pages). */
  bytesAllocated(): number {
    return this.store.bytesAllocated() + this.slots.bytesAllocated() + this.arena.bytesAllocated();
  }
}

/** The samples whose timestamps no interval covers. */
function withoutDeleted(t: Float64Array, v: Float64Array, deleted: Intervals): { t: Float64Array; v: Float64Array } {
  const keptT = new Float64Array(t.length);
  const keptV = new Float64Array(t.length);
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    if (isDeleted(deleted, t[i])) continue;
    keptT[n] = t[i];
    keptV[n++] = v[i];
  }
  return { t: keptT.subarray(0, n), v: keptV.subarray(0, n) };
}

/** Encodes sorted samples into XOR chunks of at most `per` samples. */
function encodeRuns(ts: readonly number[], vs: Float64Array, n: number, per: number, out: HeadChunk[]): HeadChunk[] {
  for (let start = 0; start < n; start += per) {
    const end = Math.min(n, start + per);
    const c = new XORChunk();
    const app = c.appender();
    for (let i = start; i < end; i++) app.append(ts[i], vs[i]);
    out.push({ minTime: ts[start], maxTime: ts[end - 1], encoding: Encoding.XOR, data: c.bytes().slice(), numSamples: end - start });
  }
  return out;
}

const scratch = new Float64Array(1);
const scratchU32 = new Uint32Array(scratch.buffer);
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
export const HI = LE ? 1 : 0;
export const LO = LE ? 0 : 1;
