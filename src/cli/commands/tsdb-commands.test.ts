import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { conformanceDir } from '../../testing/paths.js';
import type { CliResult } from '../../testing/cli.js';
import type { Command } from '../command.js';
import { tsdbDumpCommand, tsdbDumpOpenMetricsCommand } from './tsdb-dump.js';
import { tsdbListCommand } from './tsdb-list.js';
import { tsdbAnalyzeCommand } from './tsdb-analyze.js';
import { backfillBlockDuration, tsdbCreateBlocksCommand } from './tsdb-create-blocks.js';
import { tempDir } from '../../testing/peers.js';
import { BlockWriter } from '../../tsdb/block/writer.js';
import type { BlockMeta } from '../../tsdb/block/meta.js';

const tmp = tempDir('pyrometer-tsdb-cli-');
const data = join(tmp.path, 'data');
let meta: BlockMeta;

// The data behind promtool's own dump fixtures: `load 1m` of three series over 5 steps.
before(() => {
  const w = new BlockWriter();
  const load = (l: Labels, values: number[]): void => values.forEach((v, i) => w.append(l, i * 60000, v));
  load(Labels.fromStrings('__name__', 'metric', 'foo', 'bar', 'baz', 'abc'), [1, 2, 3, 4, 5]);
  load(Labels.fromStrings('__name__', 'heavy_metric', 'foo', 'bar'), [5, 4, 3, 2, 1]);
  load(Labels.fromStrings('__name__', 'heavy_metric', 'foo', 'foo'), [5, 4, 3, 2, 1]);
  meta = w.flush(data)!;
});
after(() => tmp.remove());

/** Runs a command in this process with stdout/stderr captured (a child process per case is slow). */
async function runIn(cmd: Command, args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await cmd.run(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const fixture = (name: string): string => readFileSync(join(conformanceDir, 'promtool', name), 'utf8');

test('tool tsdb dump matches promtool fixtures for every selector case', async () => {
  const cases: [string[], string][] = [
    [[], 'dump-test-1.prom'],
    [["--match={foo=~'.+'}", "--match={foo=~'.+'}"], 'dump-test-1.prom'],
    [["--match={__name__=~'.+'}", "--match={__name__=~'.+'}"], 'dump-test-1.prom'],
    [["--match={__name__='heavy_metric'}", "--match={baz='abc'}"], 'dump-test-1.prom'],
    [["--match={__name__='heavy_metric',foo='foo'}", "--match={__name__='metric'}"], 'dump-test-2.prom'],
    [['--min-time=60000', '--max-time=120000', "--match={__name__='metric'}"], 'dump-test-3.prom'],
  ];
  for (const [flags, file] of cases) {
    const r = await runIn(tsdbDumpCommand, [...flags, data]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, fixture(file), flags.join(' '));
  }
});

test('tool tsdb list and analyze describe the block', async () => {
  const list = await runIn(tsdbListCommand, [data]);
  const human = await runIn(tsdbListCommand, ['-r', data]);
  const analyze = await runIn(tsdbAnalyzeCommand, ['--limit=2', data]);
  const badMatch = await runIn(tsdbDumpCommand, ['--match=foo{', data]);
  assert.equal(list.code, 0, list.stderr);
  const row = list.stdout.split('\n')[1].split(/\s+/);
  assert.deepEqual(row.slice(0, 7), [meta.ulid, '0', '240001', '4m0.001s', '15', '3', '3']);
  assert.match(human.stdout, /1970-01-01 00:00:00 \+0000 UTC {2}1970-01-01 00:04:00 \+0000 UTC {2}4m0\.001s/);
  assert.match(human.stdout, /\d+KiB\d+B|\d+B\n/);
  assert.equal(analyze.code, 0, analyze.stderr);
  assert.equal(
    analyze.stdout,
    [
      `Block ID: ${meta.ulid}`,
      'Duration: 4m0.001s',
      'Series: 3',
      'Label names: 3',
      'Postings (unique label pairs): 5',
      'Postings entries (total label pairs): 7',
      '',
      'Label pairs most involved in churning:',
      '0 __name__=heavy_metric',
      '0 __name__=metric',
      '',
      'Label names most involved in churning:',
      '0 __name__',
      '0 baz',
      '',
      'Most common label pairs:',
      '2 __name__=heavy_metric',
      '2 foo=bar',
      '',
      'Label names with highest cumulative label value length:',
      '18 __name__',
      '6 foo',
      '',
      'Highest cardinality labels:',
      '2 __name__',
      '2 foo',
      '',
      'Highest cardinality metric names:',
      '2 heavy_metric',
      '1 metric',
      '',
    ].join('\n'),
  );
  assert.equal(badMatch.code, 2);
  assert.match(badMatch.stderr, /invalid --match/);
});

test('tool tsdb create-blocks-from openmetrics writes aligned 2h blocks that dump back', async () => {
  const input = join(tmp.path, 'in.om');
  const out = join(tmp.path, 'backfill');
  const lines = ['# TYPE req counter'];
  for (let i = 0; i < 600; i++) lines.push(`req_total{code="200"} ${i * 3} ${(3_600 + i * 30).toFixed(3)}`);
  lines.push('# TYPE temp gauge', 'temp 21.5 7200.5', '# EOF');
  writeFileSync(input, lines.join('\n') + '\n');
  const r = await runIn(tsdbCreateBlocksCommand, [input, out]);
  assert.equal(r.code, 0, r.stderr);
  const blocks = readdirSync(out).sort();
  assert.equal(blocks.length, 3);
  const table = r.stdout.trim().split('\n');
  assert.equal(table.length, 4);
  assert.deepEqual(table[1].split(/\s+/).slice(1, 3), ['3600000', '7170001']);
  assert.deepEqual(table[2].split(/\s+/).slice(1, 3), ['7200000', '14370001']);
  assert.deepEqual(table[3].split(/\s+/).slice(1, 3), ['14400000', '21570001']);
  const dump = await runIn(tsdbDumpCommand, ["--match={__name__='temp'}", out]);
  assert.equal(dump.stdout, '{__name__="temp"} 21.5 7200500\n');
  const all = await runIn(tsdbDumpCommand, [out]);
  assert.equal(all.stdout.split('\n').filter(Boolean).length, 601);

  // --max-block-duration=24h picks 18h windows, as promtool does.
  const wide = await runIn(tsdbCreateBlocksCommand, ['-q', '--max-block-duration=24h', input, join(tmp.path, 'wide')]);
  assert.equal(wide.code, 0, wide.stderr);
  assert.equal(readdirSync(join(tmp.path, 'wide')).length, 1);
  assert.equal(backfillBlockDuration(24 * 3600_000), 18 * 3600_000);
  assert.equal(backfillBlockDuration(3600_000), 2 * 3600_000);
  assert.equal(backfillBlockDuration(10_000 * 24 * 3600_000), 2 * 3600_000 * 3 ** 9);

  writeFileSync(input, 'x 1\n# EOF\n');
  const bad = await runIn(tsdbCreateBlocksCommand, [input, join(tmp.path, 'none')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /expected timestamp for series \{__name__="x"\}/);
});

test('tool tsdb dump-openmetrics matches promtool fixtures, and backfill round-trips its output', async () => {
  const om = join(tmp.path, 'om');
  const w = new BlockWriter();
  const load = (l: Labels, values: number[]): void => values.forEach((v, i) => w.append(l, i * 60000, v));
  load(Labels.fromStrings('__name__', 'my_counter', 'foo', 'bar', 'baz', 'abc'), [1, 2, 3, 4, 5]);
  load(Labels.fromStrings('__name__', 'my_gauge', 'bar', 'foo', 'abc', 'baz'), [9, 8, 0, 4, 7]);
  w.flush(om);
  const r = await runIn(tsdbDumpOpenMetricsCommand, [om]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, fixture('dump-openmetrics-test.prom'));

  // Upstream's round trip: backfill this file, dump it again, get the same text.
  const src = join(conformanceDir, 'promtool', 'dump-openmetrics-roundtrip-test.prom');
  const back = join(tmp.path, 'roundtrip');
  const created = await runIn(tsdbCreateBlocksCommand, ['-q', src, back]);
  assert.equal(created.code, 0, created.stderr);
  const again = await runIn(tsdbDumpOpenMetricsCommand, [back]);
  assert.equal(again.stdout, fixture('dump-openmetrics-roundtrip-test.prom'));
});
