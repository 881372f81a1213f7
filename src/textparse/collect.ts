/** Reads a whole exposition into plain objects: for tests, tools and the CLI, not hot paths. */
import { Entry, type Parser } from './types.js';
import type { Exemplar, MetricType } from '../model/value.js';

export type Item =
  | { kind: 'series'; line: number; series: string; labels: Record<string, string>; value: number; timestamp?: number; exemplar?: Exemplar }
  | { kind: 'type'; line: number; name: string; type: MetricType }
  | { kind: 'help'; line: number; name: string; help: string }
  | { kind: 'unit'; line: number; name: string; unit: string }
  | { kind: 'comment'; line: number; text: string };

export function collect(p: Parser): Item[] {
  const out: Item[] = [];
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    const line = p.line();
    if (e === Entry.Series) {
      const item: Item = { kind: 'series', line, series: p.series(), labels: p.labels().toRecord(), value: p.value() };
      const ts = p.timestamp();
      if (ts !== undefined) item.timestamp = ts;
      const ex = p.exemplar();
      if (ex) item.exemplar = ex;
      out.push(item);
    } else if (e === Entry.Type) out.push({ kind: 'type', line, name: p.metaName(), type: p.type() });
    else if (e === Entry.Help) out.push({ kind: 'help', line, name: p.metaName(), help: p.help() });
    else if (e === Entry.Unit) out.push({ kind: 'unit', line, name: p.metaName(), unit: p.unit() });
    else out.push({ kind: 'comment', line, text: p.comment() });
  }
  return out;
}
