import { commands } from './commands.js';
import type { Command } from './command.js';

import { VERSION } from './version.js';

function findCommand(argv: string[]): { cmd: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const cmd of commands) {
    const matches = cmd.path.every((w, i) => argv[i] === w);
    if (matches && (!best || cmd.path.length > best.path.length)) best = cmd;
  }
  return best ? { cmd: best, rest: argv.slice(best.path.length) } : undefined;
}

export function helpText(prefix: string[] = []): string {
  const listed = commands.filter((c) => prefix.every((w, i) => c.path[i] === w));
  const lines = [
    `usage: pyrometer ${prefix.length ? prefix.join(' ') + ' ' : ''}<command> [flags]`,
    '',
    'Pyrometer is a Prometheus-compatible monitoring system.',
    '',
    'Commands:',
  ];
  const width = Math.max(0, ...listed.map((c) => c.path.join(' ').length));
  for (const c of listed) lines.push(`  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  if (listed.length === 0) lines.push('  (none)');
  lines.push('', 'Run `pyrometer <command> --help` for the flags of a command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(helpText() + '\n');
    return 0;
  }
  if (argv[0] === '--version') {
    process.stdout.write(`pyrometer, version ${VERSION} (node ${process.version})\n`);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const known = argv.filter((_, i) => commands.some((c) => c.path.slice(0, i + 1).join(' ') === argv.slice(0, i + 1).join(' ')));
    process.stderr.write(`pyrometer: unknown command "${argv.join(' ')}"\n\n${helpText(known)}\n`);
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    process.stdout.write(found.cmd.usage.trimEnd() + '\n');
    return 0;
  }
  return found.cmd.run(found.rest);
}
