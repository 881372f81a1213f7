import type { Command } from '../command.js';
import { ALL_FEATURES, parseExpr } from '../../promql/parser/parser.js';
import { prettify } from '../../promql/parser/prettier.js';

/** Formats one query as Prometheus's format_query does; returns [exit code, output]. */
export function formatQuery(query: string): { code: number; out: string } {
  try {
    // Formatting accepts every syntax Prometheus has, experimental or not.
    return { code: 0, out: prettify(parseExpr(query, ALL_FEATURES)) + '\n' };
  } catch (e) {
    return { code: 1, out: `error: ${(e as Error).message}\n` };
  }
}

/** `pyrometer tool promql format QUERY`, like `promtool promql format`. */
export const promqlFormatCommand: Command = {
  path: ['tool', 'promql', 'format'],
  summary: 'Pretty-print a PromQL query',
  usage: `usage: pyrometer tool promql format QUERY

Prints QUERY in Prometheus's canonical form, split over several lines where a part is longer
than 100 characters (the format of the HTTP API's format_query). All experimental syntax is
accepted. Exit codes: 0 formatted, 1 the query does not parse (position and reason on
stderr), 2 bad arguments.`,
  async run(args: string[]): Promise<number> {
    if (args.length !== 1 || args[0]!.startsWith('-')) {
      process.stderr.write(this.usage + '\n');
      return 2;
    }
    const { code, out } = formatQuery(args[0]!);
    (code === 0 ? process.stdout : process.stderr).write(out);
    return code;
  },
};
