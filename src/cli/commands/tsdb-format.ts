/** Output formats shared by the `tool tsdb` commands, matching promtool's. */
import type { BlockMeta } from '../../tsdb/block/meta.js';

/** Go's time.Duration String() for a whole number of milliseconds: 1ms, 1m0.001s, 2h0m0s. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let d = Math.abs(ms);
  let out: string;
  if (d < 1000) out = `${d}ms`;
  else {
    const h = Math.floor(d / 3600_000);
    d -= h * 3600_000;
    const m = Math.floor(d / 60_000);
    d -= m * 60_000;
    const s = Math.floor(d / 1000);
    const frac = d - s * 1000;
    const sec = frac === 0 ? `${s}` : `${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
    out = (h > 0 ? `${h}h` : '') + (h > 0 || m > 0 ? `${m}m` : '') + `${sec}s`;
  }
  return neg ? '-' + out : out;
}

/** Go's time.Time String() in UTC at second precision, as promtool prints block bounds with -r. */
export function goTimeUtc(ms: number): string {
  const d = new Date(Math.trunc(ms / 1000) * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`;
}

/** Byte counts as Go's units.Base2Bytes prints them: 861B, 1KiB512B, 3MiB. */
export function base2Bytes(n: number): string {
  if (n === 0) return '0B';
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  const parts: string[] = [];
  for (let i = 0; i < units.length && n > 0; i++) {
    const r = n % 1024;
    if (r !== 0) parts.unshift(`${r}${units[i]}${i === 0 ? 'B' : 'iB'}`);
    n = Math.floor(n / 1024);
  }
  return parts.join('');
}

/**
 * Aligns cells as Go's tabwriter with minwidth 13, padding 2: every column but the last is
 * as wide as its widest cell plus two spaces.
 */
export function tabulate(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) {
    for (let i = 0; i < r.length - 1; i++) widths[i] = Math.max(widths[i] ?? 13, [...r[i]!].length + 2);
  }
  return rows
    .map((r) => r.map((c, i) => (i < r.length - 1 ? c + ' '.repeat(widths[i]! - [...c].length) : c)).join('') + '\n')
    .join('');
}

/** The block table of `promtool tsdb list` (also printed by create-blocks-from). */
export function blockTable(blocks: readonly { meta: BlockMeta; size: number }[], humanReadable: boolean): string {
  const rows: string[][] = [
    ['BLOCK ULID', 'MIN TIME', 'MAX TIME', 'DURATION', 'NUM SAMPLES', 'NUM CHUNKS', 'NUM SERIES', 'SIZE'],
  ];
  for (const { meta, size } of blocks) {
    rows.push([
      meta.ulid,
      humanReadable ? goTimeUtc(meta.minTime) : String(meta.minTime),
      humanReadable ? goTimeUtc(meta.maxTime) : String(meta.maxTime),
      goDuration(meta.maxTime - meta.minTime),
      String(meta.stats.numSamples),
      String(meta.stats.numChunks),
      String(meta.stats.numSeries),
      humanReadable ? base2Bytes(size) : String(size),
    ]);
  }
  return tabulate(rows);
}
