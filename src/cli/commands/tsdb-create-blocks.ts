import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import type { Labels } from '../../model/labels.js';
import { OpenMetricsParser } from '../../textparse/openmetricsparse.js';
import { Entry } from '../../textparse/types.js';
import { BlockWriter } from '../../tsdb/block/writer.js';
import { diskSize } from '../../tsdb/block/block.js';
import type { BlockMeta } from '../../tsdb/block/meta.js';
import { blockTable } from './tsdb-format.js';
import { exponentialBlockRanges } from '../../tsdb/block/planner.js';
import { parseDuration } from '../../model/duration.js';

/** Backfilled blocks cover aligned 2h windows by default, as Prometheus's head blocks do. */
export const BACKFILL_BLOCK_DURATION = 2 * 3600_000;

/**
 * The block length for a `--max-block-duration`: the largest compaction level (2h * 3^i)
 * that fits in it, and never less than 2h, as promtool picks it.
 */
export function backfillBlockDuration(maxBlockDuration: number): number {
  if (maxBlockDuration <= BACKFILL_BLOCK_DURATION) return BACKFILL_BLOCK_DURATION;
  const fitting = exponentialBlockRanges(BACKFILL_BLOCK_DURATION, 10, 3).filter((r) => r <= maxBlockDuration);
  return fitting[fitting.length - 1]!;
}

export interface BackfillOptions {
  /** Length of the aligned windows that become blocks (default 2h). */
  blockDuration?: number;
  /** Called now and then with the fraction of the input parsed (0..1). */
  progress?: (done: number) => void;
}

/**
 * Parses an OpenMetrics file and writes its samples into `outDir` as one block per aligned
 * window (2h by default). Every sample needs a timestamp. Returns the metas of the blocks
 * written, oldest first.
 */
export function backfillOpenMetrics(body: Buffer, outDir: string, opts: BackfillOptions = {}): BlockMeta[] {
  const duration = opts.blockDuration ?? BACKFILL_BLOCK_DURATION;
  const p = new OpenMetricsParser(body);
  const windows = new Map<number, BlockWriter>();
  // Series text as written -> labels: label parsing and hashing happen once per series.
  const cache = new Map<string, Labels>();
  const lines = countLines(body);
  let entries = 0;
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    if (e !== Entry.Series) continue;
    const text = p.series();
    let labels = cache.get(text);
    if (!labels) cache.set(text, (labels = p.labels()));
    const t = p.timestamp();
    if (t === undefined) throw new Error(`line ${p.line()}: expected timestamp for series ${labels.toString()}, got none`);
    const w0 = Math.floor(t / duration) * duration;
    let w = windows.get(w0);
    if (!w) windows.set(w0, (w = new BlockWriter()));
    w.append(labels, t, p.value());
    if (opts.progress && ++entries % 50_000 === 0) opts.progress(p.line() / lines);
  }
  opts.progress?.(1);
  mkdirSync(outDir, { recursive: true });
  const metas: BlockMeta[] = [];
  for (const w0 of [...windows.keys()].sort((a, b) => a - b)) {
    const meta = windows.get(w0)!.flush(outDir);
    windows.delete(w0);
    if (meta) metas.push(meta);
  }
  return metas;
}

function countLines(b: Buffer): number {
  let n = 1;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** A one-line progress bar redrawn in place on a terminal. */
function progressBar(stream: NodeJS.WriteStream): (done: number) => void {
  let last = -1;
  return (done) => {
    const pct = Math.floor(done * 100);
    if (pct === last) return;
    last = pct;
    const width = 40;
    const filled = Math.round(done * width);
    stream.write(`\rparsing [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(pct).padStart(3)}%${done >= 1 ? '\n' : ''}`);
  };
}

/** `pyrometer tool tsdb create-blocks-from openmetrics FILE [DIR]`, like promtool's backfill. */
export const tsdbCreateBlocksCommand: Command = {
  path: ['tool', 'tsdb', 'create-blocks-from', 'openmetrics'],
  summary: 'Create TSDB blocks from an OpenMetrics file (backfill)',
  usage: `usage: pyrometer tool tsdb create-blocks-from openmetrics [-r] [-q] [--max-block-duration=D] FILE [DIR]

Reads the samples of the OpenMetrics file FILE (every sample must have a timestamp;
the file ends with '# EOF') and writes them as blocks into DIR (default data/), one per
2h window aligned to the epoch, as promtool does. Copy the blocks into a server's data
directory to make them queryable. The whole input is held in memory while it is read.

  -r, --human-readable        print times as dates and sizes in KiB/MiB/...
  -q, --quiet                 do not print the blocks created
  --max-block-duration=D      longest block to create (e.g. 24h): the largest of
                              2h, 6h, 18h, ... that fits; less than 2h is ignored`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        'human-readable': { type: 'boolean', short: 'r' },
        quiet: { type: 'boolean', short: 'q' },
        'max-block-duration': { type: 'string' },
      },
      allowPositionals: true,
    });
    const [file, dir = 'data/'] = positionals;
    if (!file) {
      process.stderr.write('pyrometer tool tsdb create-blocks-from openmetrics: an input file is required\n');
      return 2;
    }
    let blockDuration = BACKFILL_BLOCK_DURATION;
    if (values['max-block-duration'] !== undefined) {
      try {
        blockDuration = backfillBlockDuration(parseDuration(values['max-block-duration']));
      } catch (e) {
        process.stderr.write(`pyrometer tool tsdb create-blocks-from openmetrics: --max-block-duration: ${(e as Error).message}\n`);
        return 2;
      }
    }
    let metas: BlockMeta[];
    try {
      const body = readFileSync(file);
      metas = backfillOpenMetrics(body, dir, { blockDuration, progress: process.stderr.isTTY ? progressBar(process.stderr) : undefined });
    } catch (e) {
      process.stderr.write(`pyrometer tool tsdb create-blocks-from openmetrics: ${(e as Error).message}\n`);
      return 1;
    }
    if (!values.quiet) {
      const rows = metas.map((meta) => ({ meta, size: diskSize(join(dir, meta.ulid)) }));
      process.stdout.write(blockTable(rows, values['human-readable'] === true));
    }
    return 0;
  },
};
