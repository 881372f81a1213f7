import type { Command } from '../command.js';
import { parseServerFlags, SERVER_USAGE } from '../server/flags.js';
import { runServer } from '../server/run.js';

export const serverCommand: Command = {
  path: ['server'],
  summary: 'Run the Pyrometer server (Prometheus-compatible)',
  usage: SERVER_USAGE,
  async run(args) {
    let flags;
    try {
      flags = parseServerFlags(args);
    } catch (e) {
      process.stderr.write(`pyrometer server: ${(e as Error).message}\n\n${SERVER_USAGE}\n`);
      return 2;
    }
    return runServer(flags);
  },
};
