/** Helpers shared by the parser's tests. */
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
