/**
 * Runs every upstream PromQL test script and summarises the outcome per file, keeping
 * statements that need native histograms apart from float results.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScript, type RunnerOptions, type StatementResult } from './runner.js';

export interface FileOutcome {
  file: string;
  results: StatementResult[];
}

export async function runConformance(dir: string, opts: RunnerOptions): Promise<FileOutcome[]> {
  const out: FileOutcome[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test')).sort()) {
    out.push({ file, results: await runScript(readFileSync(join(dir, file), 'utf8'), opts) });
  }
  return out;
}

export function count(results: StatementResult[], status: StatementResult['status']): number {
  return results.filter((r) => r.status === status).length;
}

/** One line per file plus the summary line. */
export function summarize(outcomes: FileOutcome[]): string[] {
  const lines: string[] = [];
  let passed = 0;
  let total = 0;
  let native = 0;
  for (const o of outcomes) {
    const p = count(o.results, 'passed');
    const f = count(o.results, 'failed');
    const n = count(o.results, 'needs_native_histograms');
    passed += p;
    total += o.results.length;
    native += n;
    lines.push(`${o.file}: ${p} passed, ${f} failed, ${n} need native histograms`);
  }
  lines.push(`promql conformance: ${passed}/${total} eval statements passed (${native} need native histograms)`);
  return lines;
}
