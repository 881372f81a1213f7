import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { sniffFormat, type Format } from '../../textparse/create.js';
import { familiesFromOpenMetrics, familiesFromText, lint, type LintFamily } from '../../textparse/lint.js';

export interface CheckMetricsResult {
  /** 0 clean, 1 unparsable, 3 lint problems (promtool's exit codes). */
  code: number;
  /** What to print on stderr, one entry per line. */
  lines: string[];
  /** The parsed families (empty when the input cannot be parsed). */
  families: LintFamily[];
}

/** Parses and lints one exposition; `format` undefined sniffs it from the content. */
export function checkMetrics(body: Buffer, format?: Format): CheckMetricsResult {
  const fmt = format ?? sniffFormat(body);
  let families;
  try {
    families = fmt === 'openmetrics' ? familiesFromOpenMetrics(body) : familiesFromText(body);
  } catch (e) {
    return { code: 1, lines: [`error while linting: ${(e as Error).message}`], families: [] };
  }
  const problems = lint(families);
  return { code: problems.length > 0 ? 3 : 0, lines: problems.map((p) => `${p.metric} ${p.text}`), families };
}

/** The `--extended` table: series per family, largest first, as promtool prints it. */
export function cardinalityTable(families: readonly LintFamily[]): string {
  const total = families.reduce((a, f) => a + f.series, 0);
  const sorted = [...families].sort((a, b) => b.series - a.series || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rows = [['Metric', 'Cardinality', 'Percentage']];
  for (const f of sorted) rows.push([f.name, String(f.series), `${((f.series / total) * 100).toFixed(2)}%`]);
  rows.push(['Total', String(total), '100%']);
  // Columns padded to the widest cell plus four spaces, like Go's tabwriter with padding 4.
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)) + 4);
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('') + '\n').join('');
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** `pyrometer tool check metrics < exposition`, like `promtool check metrics`. */
export const checkMetricsCommand: Command = {
  path: ['tool', 'check', 'metrics'],
  summary: 'Lint a metrics exposition read from stdin',
  usage: `usage: pyrometer tool check metrics [--format text|openmetrics] [--extended] < metrics

Reads a Prometheus text-format or OpenMetrics exposition from stdin, checks that it parses
and lints metric names and metadata with promtool's rules. Problems go to stderr as
"metric_name reason" lines.

Exit codes: 0 clean, 1 the input cannot be parsed (line:column and reason on stderr),
3 lint problems, 2 bad flags.

  --format F   text or openmetrics; by default OpenMetrics is recognised by "# EOF"
               or OpenMetrics-only syntax (OpenMetrics is validated strictly)
  --extended   when clean, print the series count of each metric family on stdout

examples:
  curl -s http://localhost:9100/metrics | pyrometer tool check metrics`,
  async run(args) {
    let format: Format | undefined;
    let extended = false;
    try {
      const { values } = parseArgs({ args, options: { format: { type: 'string' }, extended: { type: 'boolean' } } });
      extended = values.extended === true;
      if (values.format !== undefined) {
        if (values.format !== 'text' && values.format !== 'openmetrics') throw new Error(`unknown format "${values.format}"`);
        format = values.format;
      }
    } catch (e) {
      process.stderr.write(`pyrometer tool check metrics: ${(e as Error).message}\n`);
      return 2;
    }
    const res = checkMetrics(await readStdin(), format);
    for (const l of res.lines) process.stderr.write(l + '\n');
    if (extended && res.code === 0) process.stdout.write(cardinalityTable(res.families));
    return res.code;
  },
};
