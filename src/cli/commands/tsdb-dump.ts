import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import type { Matcher } from '../../model/matcher.js';
import { METRIC_NAME, quoteString, type Labels } from '../../model/labels.js';
import { ValueType, type Querier, type SampleIterator } from '../../storage/interface.js';
import { MergeQuerier, MergeSeriesSet } from '../../storage/merge.js';
import { parseMetricSelector } from '../../promql/parser/parser.js';
import { openBlocks } from '../../tsdb/block/dbdir.js';
import { formatGoFloat } from '../../model/gofloat.js';
import { Head } from '../../tsdb/head/head.js';
import { replayIntoHead } from '../../tsdb/wlog/head-replay.js';

const INT64_MIN = -9223372036854775808;
const INT64_MAX = 9223372036854775807;

/** Buffers output and waits for stdout to drain, so a large dump streams in bounded memory. */
class Out {
  private buf = '';
  constructor(private readonly stream: NodeJS.WritableStream) {}

  async line(s: string): Promise<void> {
    this.buf += s + '\n';
    if (this.buf.length >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buf === '') return;
    const ok = this.stream.write(this.buf);
    this.buf = '';
    if (!ok) await new Promise<void>((r) => this.stream.once('drain', () => r()));
  }
}

export type DumpFormat = 'promtool' | 'openmetrics';

/** `{a="1",b="2"}`: labels without the metric name and without spaces (promtool's OpenMetrics dump). */
function condensedLabels(labels: Labels): string {
  const parts: string[] = [];
  labels.forEach((n, v) => {
    if (n !== METRIC_NAME) parts.push(`${n}=${quoteString(v)}`);
  });
  return `{${parts.join(',')}}`;
}

/** Milliseconds as seconds with three decimals, by integer arithmetic (exact for any timestamp). */
function secondsFixed3(ms: number): string {
  const a = Math.abs(ms);
  return `${ms < 0 ? '-' : ''}${Math.floor(a / 1000)}.${String(a % 1000).padStart(3, '0')}`;
}

/**
 * Writes every sample of the matching series, series in label order. The 'promtool' format is
 * `{labels} value timestamp_ms` (promtool tsdb dump); 'openmetrics' is
 * `name{labels} value seconds` ending in `# EOF` (promtool tsdb dump-openmetrics).
 */
export async function dumpSamples(
  q: Querier,
  selectors: readonly (readonly Matcher[])[],
  mint: number,
  maxt: number,
  out: NodeJS.WritableStream,
  format: DumpFormat = 'promtool',
): Promise<void> {
  const o = new Out(out);
  const hints = { start: mint, end: maxt };
  // Several selectors: each series once, in label order.
  const set =
    selectors.length === 1
      ? q.select(true, hints, selectors[0]!)
      : new MergeSeriesSet(selectors.map((ms) => q.select(true, hints, ms)));
  let it: SampleIterator | undefined;
  while (set.next()) {
    const s = set.at();
    const om = format === 'openmetrics';
    const name = om ? s.labels.metricName() + condensedLabels(s.labels) : s.labels.toString();
    it = s.iterator(it);
    while (it.next() === ValueType.Float) {
      const t = it.atT();
      if (t < mint || t > maxt) continue;
      await o.line(`${name} ${formatGoFloat(it.atV())} ${om ? secondsFixed3(t) : t}`);
    }
    if (it.err()) throw it.err();
  }
  if (set.err()) throw set.err();
  if (format === 'openmetrics') await o.line('# EOF');
  await o.flush();
}

function dumpCommand(name: string, format: DumpFormat, summary: string, lines: string): Command {
  return {
    path: ['tool', 'tsdb', name],
    summary,
    usage: `usage: pyrometer tool tsdb ${name} [--min-time=MS] [--max-time=MS] [--match=SELECTOR]... [DIR]

Prints every sample stored in DIR (default data/) as ${lines},
series in label order, as promtool does: the blocks and, when DIR has a wal/ folder,
the samples in the write-ahead log (read only; DIR is not modified).

  --min-time=MS      minimum timestamp to dump (default: no limit)
  --max-time=MS      maximum timestamp to dump (default: no limit)
  --match=SELECTOR   series selector (default {__name__=~'(?s:.*)'}); repeat for several`,
    async run(args) {
      const { values, positionals } = parseArgs({
        args,
        options: {
          'min-time': { type: 'string', default: String(INT64_MIN) },
          'max-time': { type: 'string', default: String(INT64_MAX) },
          match: { type: 'string', multiple: true },
        },
        allowPositionals: true,
      });
      const mint = Number(values['min-time']);
      const maxt = Number(values['max-time']);
      if (!Number.isFinite(mint) || !Number.isFinite(maxt)) {
        process.stderr.write(`pyrometer tool tsdb ${name}: --min-time and --max-time take integer milliseconds\n`);
        return 2;
      }
      let selectors: Matcher[][];
      try {
        selectors = (values.match ?? ["{__name__=~'(?s:.*)'}"]).map((m) => parseMetricSelector(m));
      } catch (e) {
        process.stderr.write(`pyrometer tool tsdb ${name}: invalid --match: ${(e as Error).message}\n`);
        return 2;
      }
      const dir = positionals[0] ?? 'data/';
      const { blocks, corrupted } = openBlocks(dir);
      for (const c of corrupted) process.stderr.write(`${c.error.message}\n`);
      const queriers: Querier[] = blocks.filter((b) => b.overlaps(mint, maxt)).map((b) => b.querier(mint, maxt));
      const walDir = join(dir, 'wal');
      if (existsSync(walDir)) {
        try {
          const head = new Head();
          replayIntoHead(walDir, head, { repair: false });
          queriers.push(head.querier(mint, maxt));
        } catch (e) {
          process.stderr.write(`reading the WAL failed, dumping blocks only: ${(e as Error).message}\n`);
        }
      }
      try {
        const q = new MergeQuerier(queriers);
        await dumpSamples(q, selectors, mint, maxt, process.stdout, format);
        return corrupted.length > 0 ? 1 : 0;
      } catch (e) {
        process.stderr.write(`pyrometer tool tsdb ${name}: ${(e as Error).message}\n`);
        return 1;
      } finally {
        for (const b of blocks) b.close();
      }
    },
  };
}

/** `pyrometer tool tsdb dump [DIR]`, like `promtool tsdb dump`. */
export const tsdbDumpCommand = dumpCommand('dump', 'promtool', 'Dump the samples of a TSDB data directory', "'{labels} value timestamp_ms' lines");

/** `pyrometer tool tsdb dump-openmetrics [DIR]`, like promtool 3's `tsdb dump-openmetrics`. */
export const tsdbDumpOpenMetricsCommand = dumpCommand(
  'dump-openmetrics',
  'openmetrics',
  'Dump the samples of a TSDB data directory in OpenMetrics format',
  "OpenMetrics 'name{labels} value seconds' lines ending in '# EOF'",
);
