/** Helpers shared by the parser's tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../testing/paths.js';
import type { Expr } from './ast.js';

/**
 * A plain, comparable copy of a tree without positions: matchers become sorted
 * [type, name, value] triples (the printer sorts them, as Prometheus does) and function
 * descriptors their names.
 */
export function stripped(e: Expr): unknown {
  return JSON.parse(
    JSON.stringify(e, (key, value: unknown) => {
      if (key === 'posRange') return undefined;
      if (key === 'func') return (value as { name: string }).name;
      if (key === 'matchers') {
        return (value as { type: string; name: string; value: string }[])
          .map((m) => [m.type, m.name, m.value])
          .sort((a, b) => (a.join('\0') < b.join('\0') ? -1 : 1));
      }
      // JSON has no NaN or infinities; keep them distinguishable.
      if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
      return value;
    }),
  );
}

const EVAL = /^eval(?:_fail)? (?:instant at \S+|range from \S+ to \S+ step \S+) (.*)$/;

export interface ConformanceCase {
  file: string;
  line: number;
  expr: string;
}

/** Every `eval` expression of the PromQL conformance scripts, with where it comes from. */
export function conformanceExpressions(): ConformanceCase[] {
  const dir = join(conformanceDir, 'promql');
  const cases: ConformanceCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test')).sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((l, i) => {
      const m = EVAL.exec(l);
      if (m !== null) cases.push({ file, line: i + 1, expr: m[1]! });
    });
  }
  return cases;
}
