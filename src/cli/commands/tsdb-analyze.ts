import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import type { Block } from '../../tsdb/block/block.js';
import { openBlocks } from '../../tsdb/block/dbdir.js';
import type { ChunkMeta } from '../../tsdb/index/format.js';
import { goDuration } from './tsdb-format.js';

/** The report promtool's `tsdb analyze` prints for one block. */
export function analyzeBlock(block: Block, limit: number): string {
  const meta = block.meta;
  const ix = block.index;
  const lines: string[] = [];
  const span = meta.maxTime - meta.minTime;
  lines.push(`Block ID: ${meta.ulid}`, `Duration: ${goDuration(span)}`, `Series: ${meta.stats.numSeries}`);
  const names = ix.labelNames();
  lines.push(`Label names: ${names.length}`);

  // Per label name and pair: how much of the block's time range the series having it leave uncovered.
  const nameUncovered = new Map<string, number>();
  const pairUncovered = new Map<string, number>();
  const pairCount = new Map<string, number>();
  let entries = 0;
  const chunks: ChunkMeta[] = [];
  for (const ref of ix.allPostings()) {
    const labels = ix.series(ref, chunks);
    const covered = chunks.length > 0 ? chunks[chunks.length - 1]!.maxTime - chunks[0]!.minTime : 0;
    const uncovered = span - covered;
    labels.forEach((n, v) => {
      const key = `${n}=${v}`;
      nameUncovered.set(n, (nameUncovered.get(n) ?? 0) + uncovered);
      pairUncovered.set(key, (pairUncovered.get(key) ?? 0) + uncovered);
      pairCount.set(key, (pairCount.get(key) ?? 0) + 1);
      entries++;
    });
  }
  lines.push(`Postings (unique label pairs): ${pairUncovered.size}`, `Postings entries (total label pairs): ${entries}`);

  // Largest first; ties by key so the output is stable (promtool's order among ties is arbitrary).
  const top = (title: string, items: [string, number][]): void => {
    items.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    lines.push('', title);
    for (const [k, v] of items.slice(0, limit)) lines.push(`${v} ${k}`);
  };
  const churn = (m: Map<string, number>): [string, number][] => [...m].map(([k, v]) => [k, span > 0 ? Math.floor(v / span) : 0]);
  top('Label pairs most involved in churning:', churn(pairUncovered));
  top('Label names most involved in churning:', churn(nameUncovered));
  top('Most common label pairs:', [...pairCount]);
  top(
    'Label names with highest cumulative label value length:',
    names.map((n) => [n, ix.valuesOf(n).reduce((s, v) => s + Buffer.byteLength(v), 0)]),
  );
  top('Highest cardinality labels:', names.map((n) => [n, ix.valuesOf(n).length]));
  top(
    'Highest cardinality metric names:',
    ix.valuesOf('__name__').map((v) => [v, ix.postings('__name__', v).length]),
  );
  return lines.join('\n') + '\n';
}

/** `pyrometer tool tsdb analyze [DIR] [BLOCK_ID]`, like `promtool tsdb analyze`. */
export const tsdbAnalyzeCommand: Command = {
  path: ['tool', 'tsdb', 'analyze'],
  summary: 'Report series churn and label cardinality of a block',
  usage: `usage: pyrometer tool tsdb analyze [--limit=20] [DIR] [BLOCK_ID]

Analyzes one block of DIR (default data/; default block: the newest) as promtool does:
series and label counts, the label pairs and names most involved in churn, the most
common label pairs, and the labels and metric names with the highest cardinality.

  --limit=N   how many items to show in each list (default 20)`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, options: { limit: { type: 'string', default: '20' } }, allowPositionals: true });
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 0) {
      process.stderr.write(`pyrometer tool tsdb analyze: invalid --limit "${values.limit}"\n`);
      return 2;
    }
    const dir = positionals[0] ?? 'data/';
    const { blocks, corrupted } = openBlocks(dir);
    for (const c of corrupted) process.stderr.write(`${c.error.message}\n`);
    try {
      if (blocks.length === 0) {
        process.stderr.write(`no blocks found in ${dir}\n`);
        return 1;
      }
      const id = positionals[1];
      const block = id ? blocks.find((b) => b.ulid === id) : blocks[blocks.length - 1];
      if (!block) {
        process.stderr.write(`block ${id} not found in ${dir}\n`);
        return 1;
      }
      process.stdout.write(analyzeBlock(block, limit));
      return 0;
    } finally {
      for (const b of blocks) b.close();
    }
  },
};
