import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../testing/peers.js';
import { Labels } from '../../model/labels.js';
import { WAL } from './writer.js';
import { WalSink } from './sink.js';
import { replayWal, type ReplayHandler } from './replay.js';
import { checkpoint, deleteCheckpoints, lastCheckpoint, truncateWal } from './checkpoint.js';
import { listSegments, PAGE_SIZE } from './segment.js';
import type { RefHistogramSample } from '../record/histogram.js';

const lbl = (ref: number): Labels => Labels.fromStrings('__name__', 'm', 'id', String(ref));

/** Collects everything replay hands over, as plain data. */
function collector(): { h: ReplayHandler; series: Map<number, string>; samples: [number, number, number][]; other: unknown[] } {
  const series = new Map<number, string>();
  const samples: [number, number, number][] = [];
  const other: unknown[] = [];
  return {
    series,
    samples,
    other,
    h: {
      series: (list) => list.forEach((s) => series.set(s.ref, s.labels.toString())),
      samples: (b) => {
        for (let i = 0; i < b.n; i++) samples.push([b.refs[i]!, b.ts[i]!, b.vs[i]!]);
      },
      tombstones: (l) => other.push(...l.map((x) => ['tomb', x])),
      exemplars: (l) => other.push(...l.map((x) => ['ex', x.ref, x.t, x.v, x.labels.toString()])),
      metadata: (l) => other.push(...l.map((x) => ['md', x])),
      histograms: (l) => other.push(...l.map((x) => ['h', x.ref, x.t, x.h.count])),
    },
  };
}

/** N series; commit c (0..ncommits) appends one sample per series at t = c*1000. */
const N = 100;
function writeCommits(dir: string, ncommits: number, opts: { segmentSize?: number; wal?: WAL } = {}): WAL {
  const wal = opts.wal ?? WAL.open(dir, { segmentSize: opts.segmentSize ?? PAGE_SIZE, compress: false });
  const sink = new WalSink(wal);
  const refs = new Float64Array(N).map((_, i) => i + 1);
  for (let c = 0; c < ncommits; c++) {
    const ts = new Float64Array(N).fill(c * 1000);
    const vs = new Float64Array(N).map((_, i) => c * 1000 + i);
    sink.commit({
      series: c === 0 ? [...refs].map((ref) => ({ ref, labels: lbl(ref) })) : undefined,
      samples: { refs, ts, vs, n: N },
    });
  }
  return wal;
}

test('replay hands over series, samples and the other kinds in log order, with progress logs', () => {
  const tmp = tempDir();
  try {
    const wal = writeCommits(tmp.path, 200);
    const sink = new WalSink(wal);
    const hist: RefHistogramSample = {
      ref: 3, t: 5, h: { isFloat: true, counterResetHint: 0, schema: 0, zeroThreshold: 0, zeroCount: 0, count: 4, sum: 1, positiveSpans: [], negativeSpans: [], positiveBuckets: [], negativeBuckets: [], customValues: [] },
    };
    sink.commit({
      metadata: [{ ref: 1, type: 'counter', unit: '', help: 'h' }],
      exemplars: [{ ref: 2, t: 7, v: 0.5, labels: Labels.fromStrings('trace_id', 'x') }],
      histograms: [hist],
    });
    sink.logTombstones([{ ref: 4, mint: 0, maxt: 10 }]);
    wal.close();
    assert.ok(listSegments(tmp.path).length > 1, 'several segments');
    const c = collector();
    const logs: string[] = [];
    const stats = replayWal(tmp.path, c.h, { logger: (m) => logs.push(m) });
    assert.equal(c.series.size, N);
    assert.equal(c.series.get(7), '{__name__="m", id="7"}');
    assert.equal(c.samples.length, 200 * N);
    for (let k = 0; k < c.samples.length; k++) {
      const cc = Math.floor(k / N);
      const [ref, t, v] = c.samples[k]!;
      if (ref !== (k % N) + 1 || t !== cc * 1000 || v !== cc * 1000 + (k % N)) assert.fail(`sample ${k}: ${c.samples[k]}`);
    }
    assert.deepEqual(c.other, [
      ['md', { ref: 1, type: 'counter', unit: '', help: 'h' }],
      ['h', 3, 5, 4],
      ['ex', 2, 7, 0.5, '{trace_id="x"}'],
      ['tomb', { ref: 4, mint: 0, maxt: 10 }],
    ]);
    assert.equal(stats.samples, 200 * N);
    assert.equal(stats.series, N);
    assert.equal(stats.repaired, undefined);
    assert.ok(logs.some((l) => /segment 1 of \d+/.test(l)), logs.join('\n'));
    assert.ok(/WAL replay done in \d+ ms/.test(logs.at(-1)!), '/WAL replay done in d+ ms/.test(logs.at(-1)!)');
  } finally {
    tmp.remove();
  }
});

test('replay repairs a torn tail and keeps every record before it', () => {
  const tmp = tempDir();
  try {
    writeCommits(tmp.path, 50, { segmentSize: 64 * PAGE_SIZE }).close();
    assert.equal(listSegments(tmp.path).length, 1);
    const seg = listSegments(tmp.path).at(-1)!;
    // Cut 100 bytes into the data (the closed segment ends in zero padding).
    const bytes = readFileSync(seg.path);
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    writeFileSync(seg.path, bytes.subarray(0, end - 100));
    const c = collector();
    const logs: string[] = [];
    const stats = replayWal(tmp.path, c.h, { logger: (m) => logs.push(m) });
    assert.ok(stats.repaired, 'stats.repaired');
    assert.equal(c.samples.length, 49 * N, 'the last commit was torn');
    assert.ok(logs.some((l) => l.startsWith('WAL repair:')), 'logs.some((l) => l.startsWith(WAL repair:))');
    const again = collector();
    const s2 = replayWal(tmp.path, again.h);
    assert.equal(s2.repaired, undefined);
    assert.equal(again.samples.length, 49 * N);
    // Writing continues in a new segment after the repaired one.
    const wal = WAL.open(tmp.path);
    new WalSink(wal).commit({ samples: { refs: [1], ts: [99_000], vs: [1], n: 1 } });
    wal.close();
    const third = collector();
    replayWal(tmp.path, third.h);
    assert.deepEqual(third.samples.at(-1), [1, 99_000, 1]);
  } finally {
    tmp.remove();
  }
});

test('replay of a missing or empty directory is a no-op', () => {
  const tmp = tempDir();
  try {
    assert.equal(replayWal(join(tmp.path, 'nope'), {}).records, 0);
    assert.equal(replayWal(tmp.path, {}).records, 0);
  } finally {
    tmp.remove();
  }
});

test('checkpoint keeps live series and recent samples, then replay reads checkpoint + later segments', () => {
  const tmp = tempDir();
  try {
    const wal = WAL.open(tmp.path, { segmentSize: PAGE_SIZE, compress: false });
    new WalSink(wal).commit({ metadata: [{ ref: 2, type: 'gauge', unit: 'u', help: 'a' }, { ref: 3, type: 'gauge', unit: '', help: 'gone' }] });
    new WalSink(wal).commit({ metadata: [{ ref: 2, type: 'gauge', unit: 'u', help: 'b' }] });
    writeCommits(tmp.path, 100, { wal });
    const before = listSegments(tmp.path);
    assert.ok(before.length >= 3, `segments: ${before.length}`);
    const to = before[Math.floor(before.length / 2)]!.index;
    const keep = (ref: number): boolean => ref % 2 === 0;
    const mint = 30_000;
    const { dir, stats } = checkpoint(tmp.path, 0, to, keep, mint);
    assert.equal(dir, join(tmp.path, `checkpoint.${String(to).padStart(8, '0')}`));
    assert.equal(stats.series, N / 2);
    assert.equal(stats.droppedSeries, N / 2);
    assert.equal(stats.droppedSamples, 30 * N, 'samples before mint dropped');
    assert.equal(lastCheckpoint(tmp.path)!.index, to);
    assert.equal(wal.truncate(to + 1), to + 1);
    assert.equal(listSegments(tmp.path)[0]!.index, to + 1);
    writeCommits(tmp.path, 3, { wal }).close();

    const c = collector();
    const stats2 = replayWal(tmp.path, c.h);
    assert.equal(stats2.checkpoint, to);
    // Odd series come back only because the later writeCommits logs all series again.
    assert.equal(c.series.size, N);
    const fromCp = c.samples.filter(([, t]) => t >= mint);
    const tooOld = c.samples.filter(([, t]) => t < mint && t > 2000);
    assert.equal(tooOld.length, 0, 'samples older than mint are gone');
    assert.ok(fromCp.length > 0, 'fromCp.length > 0');
    // The metadata of the kept series survives, once, with its latest value.
    assert.deepEqual(c.other.filter((o) => (o as unknown[])[0] === 'md'), [['md', { ref: 2, type: 'gauge', unit: 'u', help: 'b' }]]);

    // A second checkpoint builds on the first.
    const segs = listSegments(tmp.path);
    const to2 = segs.at(-1)!.index;
    checkpoint(tmp.path, to + 1, to2, () => true, 0);
    deleteCheckpoints(tmp.path, to2);
    assert.deepEqual(readdirSync(tmp.path).filter((n) => n.startsWith('checkpoint')), [`checkpoint.${String(to2).padStart(8, '0')}`]);
    const c2 = collector();
    replayWal(tmp.path, c2.h);
    assert.equal(c2.samples.length, c.samples.length, 'nothing lost by re-checkpointing with keep-all');
  } finally {
    tmp.remove();
  }
});

test('truncateWal follows Prometheus: checkpoint the lower two thirds of the closed segments', () => {
  const tmp = tempDir();
  try {
    const wal = writeCommits(tmp.path, 120);
    const { first, last } = { first: listSegments(tmp.path)[0]!.index, last: wal.currentSegment() };
    const cp = truncateWal(wal, () => true, 0);
    const expected = first + Math.floor(((last - 1 - first) * 2) / 3);
    assert.equal(cp, expected);
    assert.ok(existsSync(join(tmp.path, `checkpoint.${String(expected).padStart(8, '0')}`)));
    assert.equal(listSegments(tmp.path)[0]!.index, expected + 1);
    assert.equal(wal.currentSegment(), last + 1);
    wal.close();
    const c = collector();
    replayWal(tmp.path, c.h);
    assert.equal(c.samples.length, 120 * N);
    assert.equal(c.series.size, N);
  } finally {
    tmp.remove();
  }
});

test('a WAL whose segments were all checkpointed away continues after the checkpoint, not at 0', () => {
  const tmp = tempDir();
  try {
    writeCommits(tmp.path, 120).close();
    const last = listSegments(tmp.path).at(-1)!.index;
    checkpoint(tmp.path, 0, last, () => true, 0);
    for (const s of listSegments(tmp.path)) rmSync(s.path);
    const wal = WAL.open(tmp.path);
    assert.equal(wal.currentSegment(), last + 1);
    new WalSink(wal).commit({ samples: { refs: [1], ts: [10_000_000], vs: [7], n: 1 } });
    wal.close();
    const c = collector();
    replayWal(tmp.path, c.h);
    assert.equal(c.samples.length, 120 * N + 1);
    assert.deepEqual(c.samples.at(-1), [1, 10_000_000, 7]);
  } finally {
    tmp.remove();
  }
});
