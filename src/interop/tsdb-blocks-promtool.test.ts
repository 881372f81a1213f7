/**
 * Block format compatibility with the real promtool (Prometheus 2.42): blocks written by
 * Pyrometer are listed and dumped by promtool, and blocks promtool backfills are read back
 * sample for sample by Pyrometer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { Matcher, MatchType } from '../model/matcher.js';
import { requirePeer, tempDir } from '../testing/peers.js';
import { BlockWriter } from '../tsdb/block/writer.js';
import { Block } from '../tsdb/block/block.js';
import { formatGoFloat } from '../model/gofloat.js';
import { compareLabelsFlat } from '../tsdb/index/strings.js';
import { collect } from '../tsdb/block/testutil.js';
import { analyzeBlock } from '../cli/commands/tsdb-analyze.js';
import { blockTable } from '../cli/commands/tsdb-format.js';
import { compactBlocks } from '../tsdb/block/compactor.js';
import { deleteBlock } from '../tsdb/block/dbdir.js';
import { readMeta } from '../tsdb/block/meta.js';

function run(bin: string, args: string[]): string {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

interface Input {
  labels: Labels;
  ts: number[];
  vs: number[];
}

/** Counters, noisy gauges and awkward label values, 15 s apart, deterministic. */
function makeSeries(start: number, count: number): Input[] {
  let seed = 42;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const out: Input[] = [];
  const label = (...kv: string[]): Labels => Labels.fromStrings(...kv);
  const defs = [
    label('__name__', 'http_requests_total', 'job', 'api', 'code', '200'),
    label('__name__', 'http_requests_total', 'job', 'api', 'code', '500'),
    label('__name__', 'temperature_celsius', 'room', 'kitchen "north"'),
    label('__name__', 'temperature_celsius', 'room', 'süd/ost ☃'),
    label('__name__', 'queue_depth', 'instance', 'a:9100'),
  ];
  for (let k = 0; k < defs.length; k++) {
    const ts: number[] = [];
    const vs: number[] = [];
    let v = k * 1000;
    for (let i = 0; i < count; i++) {
      // Jitter of a few ms, as real scrapes have.
      ts.push(start + i * 15000 + Math.floor(rnd() * 5));
      if (k < 2) v += Math.floor(rnd() * 50);
      else if (k < 4) v = Math.round((20 + rnd() * 3) * 1000) / 1000;
      else v = i % 7 === 0 ? 1234567.25 : rnd() * 1e-5;
      vs.push(v);
    }
    out.push({ labels: defs[k], ts, vs });
  }
  return out.sort((a, b) => compareLabelsFlat(a.labels.toFlat(), b.labels.toFlat()));
}

test('promtool lists and dumps a block written by Pyrometer', (t) => {
  const promtool = requirePeer('promtool', t);
  if (!promtool) return;
  const tmp = tempDir();
  try {
    const data = join(tmp.path, 'data');
    mkdirSync(join(data, 'wal'), { recursive: true }); // promtool 2.42's dump opens the DB and wants a WAL folder
    const series = makeSeries(1_700_000_000_000, 500);
    const w = new BlockWriter();
    for (const s of series) for (let i = 0; i < s.ts.length; i++) w.append(s.labels, s.ts[i], s.vs[i]);
    const meta = w.flush(data)!;
    const block = Block.open(join(data, meta.ulid));

    const list = run(promtool, ['tsdb', 'list', data]).trim().split('\n');
    assert.equal(list.length, 2, list.join('\n'));
    const cols = list[1].split(/\s+/);
    assert.equal(cols[0], meta.ulid);
    assert.equal(Number(cols[1]), meta.minTime);
    assert.equal(Number(cols[2]), meta.maxTime);
    assert.deepEqual(cols.slice(4, 8).map(Number), [2500, meta.stats.numChunks, 5, block.size()]);
    // Our table is byte for byte promtool's, plain and human-readable.
    const rows = [{ meta: block.meta, size: block.size() }];
    assert.equal(blockTable(rows, false), list.join('\n') + '\n');
    assert.equal(blockTable(rows, true), run(promtool, ['tsdb', 'list', '-r', data]));

    const expected: string[] = [];
    for (const s of series) for (let i = 0; i < s.ts.length; i++) expected.push(`${s.labels.toString()} ${formatGoFloat(s.vs[i])} ${s.ts[i]}`);
    const dump = run(promtool, ['tsdb', 'dump', data]).trimEnd().split('\n');
    assert.equal(dump.length, expected.length);
    assert.deepEqual(dump, expected);

    // analyze: the same report; promtool orders ties arbitrarily, so each section compares as a set.
    const sections = (text: string): string[][] => text.trimEnd().split('\n\n').map((sec) => sec.split('\n').sort());
    const theirs = run(promtool, ['tsdb', 'analyze', '--limit=1000', data]);
    assert.deepEqual(sections(analyzeBlock(block, 1000)), sections(theirs));

    // Deleted samples (tombstones) are hidden from promtool too.
    const from = series[0].ts[10];
    const to = series[0].ts[19];
    block.delete(from, to, [Matcher.create(MatchType.Equal, 'code', '200')]);
    const after = run(promtool, ['tsdb', 'dump', data]).trimEnd().split('\n');
    const code200 = series.find((s) => s.labels.get('code') === '200')!;
    const hidden = new Set(code200.ts.slice(10, 20).map((ts) => `${code200.labels.toString()} ${formatGoFloat(code200.vs[code200.ts.indexOf(ts)])} ${ts}`));
    assert.deepEqual(after, expected.filter((l) => !hidden.has(l)));
  } finally {
    tmp.remove();
  }
});

test('Pyrometer reads every sample of blocks created by promtool from OpenMetrics', (t) => {
  const promtool = requirePeer('promtool', t);
  if (!promtool) return;
  const tmp = tempDir();
  try {
    // Starts 1h into a 2h block range and spans about 5h, so promtool cuts several aligned blocks.
    const start = 1_700_003_600_000 - (1_700_003_600_000 % 7_200_000) + 3_600_000;
    const series = makeSeries(start, 1200);
    const lines: string[] = [];
    const families = new Map<string, Input[]>();
    for (const s of series) {
      const name = s.labels.metricName();
      families.set(name, [...(families.get(name) ?? []), s]);
    }
    for (const [name, list] of families) {
      lines.push(`# TYPE ${name.replace(/_total$/, '')} ${name.endsWith('_total') ? 'counter' : 'gauge'}`);
      for (const s of list) {
        const lbls: string[] = [];
        s.labels.forEach((n, v) => {
          if (n !== '__name__') lbls.push(`${n}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
        });
        for (let i = 0; i < s.ts.length; i++) lines.push(`${name}{${lbls.join(',')}} ${s.vs[i]} ${(s.ts[i] / 1000).toFixed(3)}`);
      }
    }
    lines.push('# EOF');
    const input = join(tmp.path, 'in.om');
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(tmp.path, 'blocks');
    run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', input, out]);

    const dirs = readdirSync(out).filter((d) => /^[0-9A-Z]{26}$/.test(d));
    assert.ok(dirs.length >= 3, `expected several 2h blocks, got ${dirs.length}`);
    const got = new Map<string, [number, number | 'stale'][]>();
    for (const d of dirs) {
      const b = Block.open(join(out, d));
      assert.equal(Math.floor(b.meta.minTime / 7_200_000), Math.floor((b.meta.maxTime - 1) / 7_200_000), 'block within one 2h range');
      const q = b.querier(b.meta.minTime, b.meta.maxTime);
      for (const s of collect(q, [Matcher.create(MatchType.Regexp, '__name__', '.+')])) {
        got.set(s.labels, [...(got.get(s.labels) ?? []), ...s.samples]);
      }
    }
    assert.equal(got.size, series.length);
    for (const s of series) {
      const samples = got.get(s.labels.toString());
      assert.ok(samples, `series ${s.labels.toString()} missing`);
      samples.sort((a, b) => a[0] - b[0]);
      assert.deepEqual(samples, s.ts.map((ts, i) => [ts, s.vs[i]]), s.labels.toString());
    }
  } finally {
    tmp.remove();
  }
});

test('promtool reads blocks compacted by Pyrometer, overlapping inputs merged', (t) => {
  const promtool = requirePeer('promtool', t);
  if (!promtool) return;
  const tmp = tempDir();
  try {
    const data = join(tmp.path, 'data');
    mkdirSync(join(data, 'wal'), { recursive: true });
    const series = makeSeries(1_700_000_000_000, 400);
    // Two blocks sharing the middle 200 samples of every series, plus a third adjacent one.
    const parts = [
      [0, 300],
      [100, 400],
    ];
    const blocks = parts.map(([from, to]) => {
      const w = new BlockWriter();
      for (const s of series) for (let i = from; i < to; i++) w.append(s.labels, s.ts[i], s.vs[i]);
      return Block.open(join(data, w.flush(data)!.ulid));
    });
    const meta = compactBlocks(data, blocks)!;
    for (const b of blocks) deleteBlock(b);
    assert.equal(readMeta(join(data, meta.ulid)).compaction.level, 2);
    const expected: string[] = [];
    for (const s of series) for (let i = 0; i < s.ts.length; i++) expected.push(`${s.labels.toString()} ${formatGoFloat(s.vs[i])} ${s.ts[i]}`);
    assert.deepEqual(run(promtool, ['tsdb', 'dump', data]).trimEnd().split('\n'), expected);
    const cols = run(promtool, ['tsdb', 'list', data]).trim().split('\n')[1].split(/\s+/);
    assert.deepEqual([cols[0], Number(cols[4]), Number(cols[6])], [meta.ulid, 2000, 5]);
  } finally {
    tmp.remove();
  }
});
