import type { Command } from './command.js';
import { checkConfigCommand } from './commands/check-config.js';

/** Every subcommand, in the order `pyrometer --help` lists them. */
export const commands: Command[] = [
  checkConfigCommand,
];
