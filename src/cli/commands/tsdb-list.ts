import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { openBlocks } from '../../tsdb/block/dbdir.js';
import { blockTable } from './tsdb-format.js';

/** `pyrometer tool tsdb list [DIR]`, like `promtool tsdb list`. */
export const tsdbListCommand: Command = {
  path: ['tool', 'tsdb', 'list'],
  summary: 'List the blocks of a TSDB data directory',
  usage: `usage: pyrometer tool tsdb list [-r] [DIR]

Lists the blocks in DIR (default data/) with their time range, sample, chunk and series
counts and size on disk, oldest first, in promtool's format. Blocks that cannot be read
are reported on stderr and the exit code is 1.

  -r, --human-readable   print times as dates and sizes in KiB/MiB/...`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { 'human-readable': { type: 'boolean', short: 'r' } },
      allowPositionals: true,
    });
    const dir = positionals[0] ?? 'data/';
    const { blocks, corrupted } = openBlocks(dir);
    process.stdout.write(blockTable(blocks.map((b) => ({ meta: b.meta, size: b.size() })), values['human-readable'] === true));
    for (const b of blocks) b.close();
    for (const c of corrupted) process.stderr.write(`${c.error.message}\n`);
    return corrupted.length > 0 ? 1 : 0;
  },
};
