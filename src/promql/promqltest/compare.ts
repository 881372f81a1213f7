/** Result comparison with the test language's rules (relative 1e-6, NaN==NaN, stale only == stale). */
import { Labels } from '../../model/labels.js';
import { isStaleNaN } from '../../model/value.js';
import type { Value } from '../value.js';
import { formatValue } from '../value.js';
import type { EvalCmd } from './script.js';

const MIN_NORMAL = 2.2250738585072014e-308;

export function almostEqual(a: number, b: number, eps = 1e-6): boolean {
  if (isStaleNaN(a) || isStaleNaN(b)) return isStaleNaN(a) && isStaleNaN(b);
  if (a !== a && b !== b) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < eps * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < eps;
}

/** The timestamps (ms) that expected range values refer to. */
export interface ExpectedAxis {
  start: number;
  end: number;
  step: number;
}

/** Returns an error message, or null when `v` matches what `cmd` expects. */
export function compareResult(cmd: EvalCmd, v: Value, axis: ExpectedAxis, ordered: boolean): string | null {
  const expected = new Map<string, { pos: number; items: EvalCmd['series'][number]['items'] }>();
  cmd.series.forEach((s, i) => expected.set(s.labels.toString(), { pos: i, items: s.items }));
  switch (v.type) {
    case 'scalar':
      if (cmd.scalar === undefined) return `expected vector or matrix result, but got scalar ${formatValue(v.v)}`;
      if (!almostEqual(cmd.scalar, v.v)) return `expected scalar ${formatValue(cmd.scalar)} but got ${formatValue(v.v)}`;
      return null;
    case 'string':
      if (cmd.string === undefined) return `expected vector or matrix result, but got string ${JSON.stringify(v.v)}`;
      if (cmd.string !== v.v) return `expected string ${JSON.stringify(cmd.string)} but got ${JSON.stringify(v.v)}`;
      return null;
    case 'vector': {
      if (cmd.scalar !== undefined) return `expected scalar result, but got vector`;
      if (cmd.string !== undefined) return `expected string result, but got vector`;
      const seen = new Set<string>();
      for (let i = 0; i < v.length; i++) {
        const key = v.labels[i].toString();
        const exp = expected.get(key);
        if (!exp) return `unexpected metric ${key} in result, has value ${formatValue(v.values[i])}`;
        if (ordered && exp.pos !== i) return `expected metric ${key} at position ${exp.pos + 1} but was at ${i + 1}`;
        const first = exp.items[0];
        if (!first || first.kind !== 'value') return `expected no value for ${key} but got ${formatValue(v.values[i])}`;
        if (!almostEqual(first.v, v.values[i])) return `expected ${formatValue(first.v)} for ${key} but got ${formatValue(v.values[i])}`;
        seen.add(key);
      }
      for (const key of expected.keys()) if (!seen.has(key)) return `expected metric ${key} not found`;
      return null;
    }
    case 'matrix': {
      if (ordered) return 'expected ordered result, but query returned a matrix';
      if (cmd.scalar !== undefined) return 'expected scalar result, but got matrix';
      for (let i = 1; i < v.series.length; i++) {
        if (Labels.compare(v.series[i - 1].labels, v.series[i].labels) > 0) {
          return `matrix results should always be sorted by labels, but ${v.series[i - 1].labels.toString()} comes before ${v.series[i].labels.toString()}`;
        }
      }
      const seen = new Set<string>();
      for (const s of v.series) {
        const key = s.labels.toString();
        const exp = expected.get(key);
        if (!exp) return `unexpected metric ${key} in result, has ${describe(s.timestamps, s.values)}`;
        seen.add(key);
        const et: number[] = [];
        const evs: number[] = [];
        for (let i = 0; i < exp.items.length; i++) {
          const t = axis.start + i * axis.step;
          if (t > axis.end) return `expected ${exp.items.length} points for ${key}, but query time range cannot return this many points`;
          const it = exp.items[i];
          if (it.kind === 'value') {
            et.push(t);
            evs.push(it.v);
          }
        }
        if (et.length !== s.values.length) {
          return `expected ${et.length} float points for ${key}, but got ${describe(s.timestamps, s.values)}`;
        }
        for (let i = 0; i < et.length; i++) {
          if (et[i] !== s.timestamps[i]) {
            return `expected float value at index ${i} for ${key} to have timestamp ${et[i]}, but it had timestamp ${s.timestamps[i]} (result has ${describe(s.timestamps, s.values)})`;
          }
          if (!almostEqual(evs[i], s.values[i])) {
            return `expected float value at index ${i} (t=${et[i]}) for ${key} to be ${formatValue(evs[i])}, but got ${formatValue(s.values[i])} (result has ${describe(s.timestamps, s.values)})`;
          }
        }
      }
      for (const key of expected.keys()) if (!seen.has(key)) return `expected metric ${key} not found`;
      return null;
    }
  }
}

function describe(ts: Float64Array, vs: Float64Array): string {
  const parts: string[] = [];
  for (let i = 0; i < ts.length && i < 20; i++) parts.push(`${formatValue(vs[i])} @[${ts[i]}]`);
  if (ts.length > 20) parts.push('...');
  return `${ts.length} float points [${parts.join(' ')}]`;
}
