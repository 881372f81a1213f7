/**
 * The historical data both servers load from one block: one hour at 15 s from HISTORY_START_MS,
 * deterministic, with NaN/±Inf values, a UTF-8 label value and enough series for limit tests.
 */

/** 2026-01-01T00:00:00Z. */
export const HISTORY_START_MS = Date.UTC(2026, 0, 1);
export const HISTORY_STEP_MS = 15_000;
export const HISTORY_POINTS = 241;
export const HISTORY_END_MS = HISTORY_START_MS + (HISTORY_POINTS - 1) * HISTORY_STEP_MS;
/** Number of `hist_shard_load` series (limit tests need more than a few). */
export const SHARDS = 12;

function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function historyOpenMetrics(): string {
  const families: Array<{ name: string; type: string; help: string; series: Array<[string, (i: number) => number]> }> = [
    {
      name: 'hist_requests',
      type: 'counter',
      help: 'Requests in the past.',
      series: [
        ['hist_requests_total{code="200",method="get"}', (i) => i * 10],
        ['hist_requests_total{code="500",method="post"}', (i) => Math.floor(i / 7)],
      ],
    },
    {
      name: 'hist_temperature_celsius',
      type: 'gauge',
      help: 'Temperature in the past.',
      series: [
        ['hist_temperature_celsius{room="lab"}', (i) => 20 + (i % 10) / 4],
        ['hist_temperature_celsius{room="café"}', (i) => 18 + (i % 8) / 8],
      ],
    },
    {
      name: 'hist_special',
      type: 'gauge',
      help: 'Special values in the past.',
      series: [
        ['hist_special{kind="nan"}', () => NaN],
        ['hist_special{kind="inf"}', () => Infinity],
        ['hist_special{kind="neginf"}', () => -Infinity],
      ],
    },
    {
      name: 'hist_shard_load',
      type: 'gauge',
      help: 'Load per shard.',
      series: Array.from({ length: SHARDS }, (_, s) => [`hist_shard_load{shard="${String(s).padStart(2, '0')}"}`, (i: number) => (i * (s + 1)) % 17] as [string, (i: number) => number]),
    },
  ];
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const [series, value] of f.series) {
      for (let i = 0; i < HISTORY_POINTS; i++) lines.push(`${series} ${fmt(value(i))} ${(HISTORY_START_MS + i * HISTORY_STEP_MS) / 1000}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}
