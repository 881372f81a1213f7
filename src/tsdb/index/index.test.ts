import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { tempDir } from '../../testing/peers.js';
import { IndexWriter } from './writer.js';
import { IndexReader } from './reader.js';
import { compareUtf8 } from './strings.js';
import type { ChunkMeta } from './format.js';

function writeSample(path: string): Labels[] {
  const series = [
    Labels.fromStrings('__name__', 'g', 'a', 'x'),
    Labels.fromStrings('__name__', 'g', 'a', 'y'),
    Labels.fromStrings('__name__', 'my_counter_total', 'baz', 'abc', 'foo', 'bar'),
  ];
  const w = new IndexWriter(path);
  const syms: string[] = [];
  for (const s of series) s.forEach((n, v) => syms.push(n, v));
  w.addSymbols(syms);
  w.addSeries(series[0], [{ ref: 8, minTime: 30000, maxTime: 30000 }]);
  w.addSeries(series[1], [{ ref: 30, minTime: 30000, maxTime: 30000 }]);
  w.addSeries(series[2], [
    { ref: 52, minTime: 0, maxTime: 60000 },
    { ref: 80, minTime: 7300000, maxTime: 7300000 },
  ]);
  w.close();
  return series;
}

test('index round-trips symbols, series, chunk metas and postings', () => {
  const tmp = tempDir();
  try {
    const path = join(tmp.path, 'index');
    const series = writeSample(path);
    const r = new IndexReader(path);
    assert.deepEqual(r.symbols, ['__name__', 'a', 'abc', 'bar', 'baz', 'foo', 'g', 'my_counter_total', 'x', 'y']);
    assert.deepEqual(r.labelNames(), ['__name__', 'a', 'baz', 'foo']);
    assert.deepEqual(r.labelValues('__name__'), ['g', 'my_counter_total']);
    assert.deepEqual(r.labelValues('nope'), []);
    const all = r.allPostings();
    assert.equal(all.length, 3);
    // The symbol table ends before offset 80, so the first series sits at 80 (ref 5), as in promtool's file.
    assert.deepEqual([...all], [5, 6, 7]);
    assert.deepEqual([...r.postings('__name__', 'g')], [all[0], all[1]]);
    assert.deepEqual([...r.postings('a', 'y')], [all[1]]);
    assert.deepEqual([...r.postings('a', 'z')], []);
    const chunks: ChunkMeta[] = [];
    for (let i = 0; i < 3; i++) {
      assert.ok(r.series(all[i], chunks).equals(series[i]));
    }
    assert.deepEqual(chunks, [
      { ref: 52, minTime: 0, maxTime: 60000 },
      { ref: 80, minTime: 7300000, maxTime: 7300000 },
    ]);
  } finally {
    tmp.remove();
  }
});

test('index writer rejects unsorted series and unknown symbols', () => {
  const tmp = tempDir();
  try {
    const w = new IndexWriter(join(tmp.path, 'index'));
    w.addSymbols(['a', 'b', 'c']);
    w.addSeries(Labels.fromStrings('a', 'b'), []);
    assert.throws(() => w.addSeries(Labels.fromStrings('a', 'a'), []), /out of order/);
    assert.throws(() => w.addSeries(Labels.fromStrings('a', 'z'), []), /not in the symbol table/);
    w.close();
  } finally {
    tmp.remove();
  }
});

test('corruption in the index is reported, not misread', () => {
  const tmp = tempDir();
  try {
    const path = join(tmp.path, 'index');
    writeSample(path);
    const good = readFileSync(path);
    const bad = Buffer.from(good);
    bad[20] ^= 0x55; // inside the symbol table
    writeFileSync(path, bad);
    assert.throws(() => new IndexReader(path), /symbol table at 5: checksum mismatch/);
    const badToc = Buffer.from(good);
    badToc[badToc.length - 10] ^= 1;
    assert.throws(() => new IndexReader(path, badToc), /TOC checksum mismatch/);
    assert.throws(() => new IndexReader(path, Buffer.from('nope')), /too short/);
  } finally {
    tmp.remove();
  }
});

test('strings sort by UTF-8 bytes as in Go', () => {
  // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (F0 ...), though its UTF-16 unit is larger.
  const words = ['😀', '～', 'a', ''];
  assert.deepEqual(words.sort(compareUtf8), ['', 'a', '～', '😀']);
});
