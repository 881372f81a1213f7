import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../../testing/peers.js';
import { Labels } from '../../model/labels.js';
import { ValueType } from '../../storage/interface.js';
import { Head } from '../head/head.js';
import { WAL } from './writer.js';
import { WalSink } from './sink.js';
import { replayIntoHead } from './head-replay.js';
import { PAGE_SIZE } from './segment.js';

function dump(head: Head): string[] {
  const set = head.querier(-Infinity, Infinity).select(true, undefined, []);
  const out: string[] = [];
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const pts: string[] = [];
    while (it.next() === ValueType.Float) pts.push(`${it.atT()}=${it.atV()}`);
    out.push(`${s.labels.toString()} ${pts.join(' ')}`);
  }
  return out;
}

test('a head writing through WalSink is restored by replayIntoHead after a restart', async () => {
  const tmp = tempDir();
  try {
    const wal = WAL.open(tmp.path, { segmentSize: PAGE_SIZE, compress: false });
    const head = new Head({ wal: new WalSink(wal) });
    const labels = Array.from({ length: 50 }, (_, i) => Labels.fromStrings('__name__', 'req_total', 'path', `/p${i}`));
    const refs = new Array<number>(50).fill(0);
    for (let step = 0; step < 100; step++) {
      const app = head.appender();
      for (let i = 0; i < labels.length; i++) refs[i] = app.append(refs[i]!, labels[i]!, 1_000_000 + step * 15_000, step * 10 + i);
      await app.commit();
    }
    // A rolled-back transaction logs only the series it created (they stay in the head, as in Prometheus).
    const rb = head.appender();
    rb.append(0, Labels.fromStrings('__name__', 'ghost'), 2_000_000, 1);
    await rb.rollback();
    wal.close();
    assert.ok(wal.currentSegment() > 0, 'the test spans several segments');

    const restored = new Head();
    const logs: string[] = [];
    const stats = replayIntoHead(tmp.path, restored, { logger: (m) => logs.push(m) });
    assert.equal(stats.series, 51);
    assert.equal(stats.samples, 5000);
    assert.equal(stats.samplesStored, 5000);
    assert.deepEqual(dump(restored), dump(head));
    assert.equal(restored.refOf(Labels.fromStrings('__name__', 'ghost')), head.refOf(Labels.fromStrings('__name__', 'ghost')));
    for (let i = 0; i < labels.length; i++) assert.equal(restored.refOf(labels[i]!), refs[i]);

    // Restart as the server does: replay into a head whose sink gets its WAL afterwards.
    const sink = new WalSink();
    const restored2 = new Head({ wal: sink });
    replayIntoHead(tmp.path, restored2);
    const wal2 = WAL.open(tmp.path);
    sink.attach(wal2);
    const a2 = restored2.appender();
    a2.append(refs[0]!, labels[0]!, 5_000_000, 42);
    await a2.commit();
    wal2.close();
    const third = new Head();
    replayIntoHead(tmp.path, third);
    assert.deepEqual(dump(third), dump(restored2));
    const p0 = dump(third).find((l) => l.startsWith('{__name__="req_total", path="/p0"}'))!;
    assert.ok(p0.endsWith('5000000=42'), p0);
  } finally {
    tmp.remove();
  }
});
