/**
 * Randomized check of the head against a plain model of Prometheus's append rules:
 * transactions of random appends (in order, duplicates, out of order, out of bounds),
 * commits and rollbacks, truncations, then every series read back and compared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../model/labels.js';
import { StorageError, ValueType } from '../../storage/interface.js';
import { Head } from './head.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

type ModelSeries = { t: number[]; v: number[] };

for (const seed of [1, 2, 3]) {
  test(`head matches the append-rule model (seed ${seed})`, async () => {
    const r = rng(seed);
    const range = 100_000;
    const head = new Head({ chunkRange: range });
    const model = new Map<string, ModelSeries>();
    const labels = Array.from({ length: 20 }, (_, i) => Labels.fromStrings('__name__', 'm', 'i', String(i)));
    let headMax = -Infinity;
    let minValid = -Infinity;
    let clock = 0;
    for (let round = 0; round < 150; round++) {
      const app = head.appender();
      const minValidTime = headMax === -Infinity ? minValid : Math.max(minValid, headMax - range / 2);
      const pending = new Map<string, ModelSeries>();
      for (let k = 0; k < 40; k++) {
        const li = Math.floor(r() * labels.length);
        const key = String(li);
        const committed = model.get(key) ?? { t: [], v: [] };
        const mine = pending.get(key) ?? { t: [], v: [] };
        const lastT = mine.t.length ? mine.t[mine.t.length - 1] : committed.t.length ? committed.t[committed.t.length - 1] : -Infinity;
        const lastV = mine.t.length ? mine.v[mine.v.length - 1] : committed.v[committed.v.length - 1];
        const p = r();
        let t: number;
        let v = Math.floor(r() * 5);
        if (p < 0.7) t = clock += Math.floor(r() * 3000);
        else if (p < 0.8 && lastT > -Infinity) {
          t = lastT;
          if (r() < 0.5) v = lastV;
        } else t = clock - Math.floor(r() * range);
        let want = 'none';
        if (t < minValidTime) want = 'out_of_bounds';
        else if (t === lastT) want = v === lastV ? 'same' : 'duplicate';
        else if (t < lastT) want = 'out_of_order';
        let got = 'none';
        try {
          app.append(0, labels[li], t, v);
        } catch (e) {
          assert.ok(e instanceof StorageError);
          got = e.kind;
        }
        assert.equal(got, want === 'same' ? 'none' : want, `round ${round} t=${t} last=${lastT} minValid=${minValidTime}`);
        if (want === 'none') {
          mine.t.push(t);
          mine.v.push(v);
          pending.set(key, mine);
        }
      }
      if (r() < 0.2) {
        await app.rollback();
      } else {
        await app.commit();
        for (const [key, s] of pending) {
          const m = model.get(key) ?? { t: [], v: [] };
          m.t.push(...s.t);
          m.v.push(...s.v);
          model.set(key, m);
          headMax = Math.max(headMax, s.t[s.t.length - 1]);
        }
      }
      if (round % 40 === 39) {
        const mint = clock - 2 * range;
        head.truncate(mint);
        minValid = Math.max(minValid, mint);
        // Chunks ending before mint go; a chunk reaching mint keeps its older samples.
        for (const [key, s] of model) {
          const got = collectSeries(head, labels[Number(key)]);
          const keep = got.t.length === 0 ? s.t.length : s.t.indexOf(got.t[0]);
          assert.ok(keep >= 0, 'kept data starts at a committed sample');
          // Only samples older than mint may be dropped, and nothing newer than mint is lost.
          for (let j = 0; j < keep; j++) assert.ok(s.t[j] < mint);
          if (keep < s.t.length) assert.ok(s.t[s.t.length - 1] >= mint);
          s.t.splice(0, keep);
          s.v.splice(0, keep);
          if (s.t.length === 0) model.delete(key);
        }
      }
    }
    for (let i = 0; i < labels.length; i++) {
      const want = model.get(String(i)) ?? { t: [], v: [] };
      const got = collectSeries(head, labels[i]);
      assert.deepEqual(got, want, `series ${i}`);
    }
  });
}

function collectSeries(head: Head, l: Labels): ModelSeries {
  const ref = head.refOf(l);
  const out: ModelSeries = { t: [], v: [] };
  if (ref === 0) return out;
  const it = head.seriesIterator(head.store.slotOf(ref), -Infinity, Infinity);
  while (it.next() === ValueType.Float) {
    out.t.push(it.atT());
    out.v.push(it.atV());
  }
  return out;
}

test('head with an out-of-order window matches a set model', async () => {
  const r = rng(9);
  const window = 50_000;
  const head = new Head({ chunkRange: 100_000, outOfOrderTimeWindow: window, outOfOrderCapMax: 8 });
  const labels = Array.from({ length: 10 }, (_, i) => Labels.fromStrings('__name__', 'o', 'i', String(i)));
  const model = labels.map(() => new Map<number, number>());
  const last = labels.map(() => -Infinity);
  const usedOdd = new Set<number>();
  let clock = 0;
  let headMax = -Infinity;
  for (let round = 0; round < 100; round++) {
    const app = head.appender();
    const maxAtStart = headMax;
    const pending: [number, number, number][] = [];
    for (let k = 0; k < 30; k++) {
      const i = Math.floor(r() * labels.length);
      let t: number;
      if (r() < 0.6) {
        // In order: even timestamps after the series' newest.
        clock += 2 * (1 + Math.floor(r() * 1000));
        t = Math.max(clock, last[i] + 2);
        t += t % 2;
      } else {
        // Out of order: unused odd timestamps, some beyond the window.
        do t = 2 * Math.floor(r() * (clock / 2 + 1)) + 1;
        while (usedOdd.has(t));
      }
      const v = Math.floor(r() * 100);
      let want = 'none';
      if (t <= last[i] && t < maxAtStart - window) want = 'too_old';
      let got = 'none';
      try {
        app.append(0, labels[i], t, v);
      } catch (e) {
        assert.ok(e instanceof StorageError);
        got = e.kind;
      }
      assert.equal(got, want, `t=${t} last=${last[i]} max=${maxAtStart}`);
      if (got === 'none') {
        if (t % 2 === 1) usedOdd.add(t);
        pending.push([i, t, v]);
        if (t > last[i]) last[i] = t;
      }
    }
    await app.commit();
    for (const [i, t, v] of pending) {
      model[i].set(t, v);
      headMax = Math.max(headMax, t);
    }
  }
  assert.ok(head.counters.outOfOrderSamplesAppended > 100);
  for (let i = 0; i < labels.length; i++) {
    const want = [...model[i].entries()].sort((a, b) => a[0] - b[0]);
    const got = collectSeries(head, labels[i]);
    assert.deepEqual(got.t, want.map((x) => x[0]), `series ${i}`);
    assert.deepEqual(got.v, want.map((x) => x[1]), `series ${i}`);
  }
  // Compaction sees the same merged samples.
  const total = head.chunkSeries(-Infinity, Infinity).reduce((n, s) => n + s.chunks.reduce((m, c) => m + c.numSamples, 0), 0);
  assert.equal(total, model.reduce((n, m) => n + m.size, 0));
});
