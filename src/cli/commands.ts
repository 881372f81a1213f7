import type { Command } from './command.js';
import { serverCommand } from './commands/server.js';
import { testPromqlCommand } from './commands/test-promql.js';
import { checkConfigCommand } from './commands/check-config.js';
import { checkMetricsCommand } from './commands/check-metrics.js';
import { tsdbListCommand } from './commands/tsdb-list.js';
import { tsdbAnalyzeCommand } from './commands/tsdb-analyze.js';
import { tsdbDumpCommand, tsdbDumpOpenMetricsCommand } from './commands/tsdb-dump.js';
import { tsdbCreateBlocksCommand } from './commands/tsdb-create-blocks.js';
import { tsdbWalCommand } from './commands/tsdb-wal.js';
import { promqlFormatCommand } from './commands/promql-format.js';

/** Every subcommand, in the order `pyrometer --help` lists them. */
export const commands: Command[] = [
  serverCommand,
  testPromqlCommand,
  checkConfigCommand,
  checkMetricsCommand,
  tsdbListCommand,
  tsdbAnalyzeCommand,
  tsdbDumpCommand,
  tsdbDumpOpenMetricsCommand,
  tsdbCreateBlocksCommand,
  tsdbWalCommand,
  promqlFormatCommand,
];
