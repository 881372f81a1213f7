import { parseArgs } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command.js';
import { RecordDecoder } from '../../tsdb/record/decode.js';
import { RecordType, SampleBatch } from '../../tsdb/record/types.js';
import { lastCheckpoint } from '../../tsdb/wlog/checkpoint.js';
import { WalReader } from '../../tsdb/wlog/reader.js';
import { listSegments, segmentName, type SegmentRef } from '../../tsdb/wlog/segment.js';

interface Tally {
  records: number;
  series: number;
  samples: number;
  other: number;
  mint: number;
  maxt: number;
}

const TYPES_WITH_ENTRIES = new Set<number>([RecordType.Series, RecordType.Samples]);

/** Reads segments without changing anything; returns per-segment tallies and the first error. */
function inspect(segs: SegmentRef[], dir: string): { rows: [string, number, Tally][]; err: Error | undefined } {
  const dec = new RecordDecoder();
  const batch = new SampleBatch();
  const rows = new Map<number, Tally>();
  for (const s of segs) rows.set(s.index, { records: 0, series: 0, samples: 0, other: 0, mint: Infinity, maxt: -Infinity });
  const r = new WalReader(segs, dir);
  let err: Error | undefined;
  try {
    while (r.next()) {
      const t = rows.get(r.segment)!;
      const rec = r.record();
      t.records++;
      if (!TYPES_WITH_ENTRIES.has(rec[0]!)) t.other++;
      else if (rec[0] === RecordType.Series) t.series += dec.series(rec, []).length;
      else {
        dec.samples(rec, batch);
        t.samples += batch.n;
        for (let i = 0; i < batch.n; i++) {
          const ts = batch.ts[i]!;
          if (ts < t.mint) t.mint = ts;
          if (ts > t.maxt) t.maxt = ts;
        }
      }
    }
    err = r.err;
  } catch (e) {
    err = new Error(`segment ${r.segment} offset ${r.offset}: ${(e as Error).message}`);
  } finally {
    r.close();
  }
  return { rows: segs.map((s) => [segmentName(s.index), statSync(s.path).size, rows.get(s.index)!]), err };
}

function time(t: number): string {
  return Number.isFinite(t) ? new Date(t).toISOString() : '-';
}

/** `pyrometer tool tsdb wal [DIR]`: read-only summary of a WAL (checkpoint and segments). */
export const tsdbWalCommand: Command = {
  path: ['tool', 'tsdb', 'wal'],
  summary: 'Summarize the write-ahead log of a TSDB data directory (read-only)',
  usage: `usage: pyrometer tool tsdb wal [DIR]

Reads DIR/wal (DIR defaults to data/; a path to the wal folder itself also works) and prints,
for the newest checkpoint and each segment, its size, record count, series and samples and the
sample time range. Damage is reported with its segment and offset (exit code 1); nothing is
repaired or changed. The server repairs a damaged tail when it starts.`,
  async run(args) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
    const base = positionals[0] ?? 'data/';
    const dir = existsSync(join(base, 'wal')) ? join(base, 'wal') : base;
    if (!existsSync(dir)) {
      process.stderr.write(`no WAL at ${dir}\n`);
      return 1;
    }
    const out: string[] = [['SEGMENT', 'BYTES', 'RECORDS', 'SERIES', 'SAMPLES', 'OTHER', 'MIN TIME', 'MAX TIME'].join('\t')];
    let failed = false;
    const report = (label: string, segs: SegmentRef[], segDir: string): void => {
      const { rows, err } = inspect(segs, segDir);
      for (const [name, size, t] of rows) {
        out.push([`${label}${name}`, size, t.records, t.series, t.samples, t.other, time(t.mint), time(t.maxt)].join('\t'));
      }
      if (err) {
        failed = true;
        out.push(`error: ${err.message}`);
      }
    };
    const cp = lastCheckpoint(dir);
    let from = 0;
    if (cp) {
      report(`checkpoint.${segmentName(cp.index)}/`, listSegments(cp.dir), cp.dir);
      from = cp.index + 1;
    }
    report('', listSegments(dir).filter((s) => s.index >= from), dir);
    process.stdout.write(out.join('\n') + '\n');
    return failed ? 1 : 0;
  },
};
