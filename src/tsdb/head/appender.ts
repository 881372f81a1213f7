/**
 * A head transaction. Samples are checked when appended (so the caller gets the error and can
 * count it) and buffered in typed arrays; `commit` hands them to the WAL sink and then applies
 * them; nothing is visible to queriers before that.
 */
import type { Labels } from '../../model/labels.js';
import type { Exemplar, Metadata } from '../../model/value.js';
import {
  StorageError,
  errDuplicateSample,
  errOutOfBounds,
  errOutOfOrderSample,
  errTooOldSample,
  type Appender,
  type SeriesRef,
} from '../../storage/interface.js';
import type { Head, WalSeries } from './head.js';

const EMPTY = new Float64Array(0);
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LE ? 1 : 0;
const LO = LE ? 0 : 1;

/** An appender's sample buffers, recycled across transactions to spare allocations. */
export class AppendBuffers {
  slots = new Uint32Array(1024);
  ts = new Float64Array(1024);
  vs = new Float64Array(1024);
  vsBits = new Uint32Array(this.vs.buffer);
  /** Series refs of the samples, filled at commit for the WAL record. */
  refs = new Float64Array(1024);

  grow(): void {
    const n = this.ts.length * 2;
    const slots = new Uint32Array(n);
    slots.set(this.slots);
    const ts = new Float64Array(n);
    ts.set(this.ts);
    const vs = new Float64Array(n);
    vs.set(this.vs);
    this.slots = slots;
    this.ts = ts;
    this.vs = vs;
    this.vsBits = new Uint32Array(vs.buffer);
    this.refs = new Float64Array(n);
  }
}

export class HeadAppender implements Appender {
  private readonly b: AppendBuffers;
  private slots: Uint32Array;
  private ts: Float64Array;
  private vs: Float64Array;
  private vsBits: Uint32Array;
  private n = 0;
  private newSeries: WalSeries[] = [];
  private readonly minValidTime: number;
  private readonly headMaxT: number;
  private done = false;

  constructor(
    private readonly head: Head,
    private readonly id: number,
  ) {
    this.minValidTime = head.appendableMinValidTime();
    this.headMaxT = head.maxTime();
    this.b = head.takeAppendBuffers();
    this.slots = this.b.slots;
    this.ts = this.b.ts;
    this.vs = this.b.vs;
    this.vsBits = this.b.vsBits;
  }

  private resolve(ref: SeriesRef, labels: Labels): number {
    const store = this.head.store;
    if (ref !== 0) {
      const slot = store.slotOf(ref);
      if (slot !== 0) return slot;
    }
    if (labels.isEmpty()) throw new StorageError('empty labelset (unknown series ref)', 'other');
    const { slot, created } = this.head.getOrCreate(labels);
    if (created) this.newSeries.push({ ref: store.ref(slot), labels });
    return slot;
  }

  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    if (this.done) throw new Error('appender already committed or rolled back');
    const head = this.head;
    const slot = this.resolve(ref, labels);
    const store = head.store;
    const oooWindow = head.oooWindow;
    if (oooWindow === 0 && t < this.minValidTime) {
      head.counters.outOfBounds++;
      throw errOutOfBounds();
    }
    if (this.n === this.ts.length) this.grow();
    const i = this.n;
    this.vs[i] = v;
    const hi = this.vsBits[2 * i + HI];
    const lo = this.vsBits[2 * i + LO];
    // The newest sample of the series: our own pending one if any, else the committed one.
    let lastT: number;
    let lastHi: number;
    let lastLo: number;
    if (store.stamp[slot] === this.id) {
      const j = store.pendIdx[slot];
      lastT = this.ts[j];
      lastHi = this.vsBits[2 * j + HI];
      lastLo = this.vsBits[2 * j + LO];
    } else {
      lastT = store.maxT[slot];
      lastHi = store.vHi[slot];
      lastLo = store.vLo[slot];
    }
    if (t < this.minValidTime || t <= lastT) {
      if (t >= this.minValidTime && t === lastT) {
        if (hi === lastHi && lo === lastLo) return store.ref(slot);
        head.counters.duplicate++;
        throw errDuplicateSample();
      }
      if (oooWindow > 0) {
        if (t < this.headMaxT - oooWindow) {
          head.counters.tooOld++;
          throw errTooOldSample();
        }
        // Accepted as out-of-order: does not move the series' newest time.
        this.push(slot, t, i);
        return store.ref(slot);
      }
      if (t < this.minValidTime) {
        head.counters.outOfBounds++;
        throw errOutOfBounds();
      }
      head.counters.outOfOrder++;
      throw errOutOfOrderSample();
    }
    this.push(slot, t, i);
    store.stamp[slot] = this.id;
    store.pendIdx[slot] = i;
    return store.ref(slot);
  }

  private push(slot: number, t: number, i: number): void {
    this.slots[i] = slot;
    this.ts[i] = t;
    this.head.store.pending[slot]++;
    this.n = i + 1;
  }

  private grow(): void {
    const b = this.b;
    b.grow();
    this.slots = b.slots;
    this.ts = b.ts;
    this.vs = b.vs;
    this.vsBits = b.vsBits;
  }

  appendExemplar(ref: SeriesRef, labels: Labels, e: Exemplar): SeriesRef {
    const slot = this.resolve(ref, labels);
    const store = this.head.store;
    // Without its own timestamp an exemplar belongs to the sample just appended to its series.
    const t = e.timestamp ?? (store.stamp[slot] === this.id ? this.ts[store.pendIdx[slot]] : store.maxT[slot]);
    this.head.stageExemplar(this.id, slot, t, e);
    return store.ref(slot);
  }

  updateMetadata(ref: SeriesRef, labels: Labels, m: Metadata): SeriesRef {
    const slot = this.resolve(ref, labels);
    this.head.metadata.set(slot, m);
    return this.head.store.ref(slot);
  }

  async commit(): Promise<void> {
    if (this.done) return;
    this.done = true;
    const head = this.head;
    const store = head.store;
    const n = this.n;
    if (head.wal && (n > 0 || this.newSeries.length > 0)) {
      const refs = this.b.refs;
      for (let i = 0; i < n; i++) refs[i] = store.ref(this.slots[i]);
      try {
        const r = head.wal.log(this.newSeries, refs, this.ts, this.vs, n);
        if (r) await r;
      } catch (e) {
        this.release();
        throw e;
      }
    }
    const slots = this.slots;
    const ts = this.ts;
    const vs = this.vs;
    const bits = this.vsBits;
    for (let i = 0; i < n; i++) {
      const slot = slots[i];
      head.ingest(slot, ts[i], vs[i], bits[2 * i + HI], bits[2 * i + LO], this.headMaxT);
    }
    const exemplars = head.commitExemplars(this.id);
    this.release();
    if (exemplars) await exemplars;
  }

  async rollback(): Promise<void> {
    if (this.done) return;
    this.done = true;
    const wal = this.head.wal;
    const series = this.newSeries;
    this.release();
    // The series stay in the head (later appends may use their refs), so the WAL must know them.
    if (wal && series.length > 0) {
      const r = wal.log(series, EMPTY, EMPTY, EMPTY, 0);
      if (r) await r;
    }
  }

  /** Clears pending marks so truncation may collect the series again. */
  private release(): void {
    const store = this.head.store;
    for (let i = 0; i < this.n; i++) {
      const slot = this.slots[i];
      store.pending[slot]--;
      if (store.stamp[slot] === this.id) store.stamp[slot] = 0;
    }
    this.n = 0;
    this.newSeries = [];
    this.head.discardExemplars(this.id);
    this.head.returnAppendBuffers(this.b);
  }
}
