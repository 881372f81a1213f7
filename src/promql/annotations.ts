/** Warnings and info notes attached to a query result, rendered as Prometheus renders them. */
import type { PositionRange } from './parser/ast.js';

export type AnnotationKind = 'warning' | 'info';

export class Annotations {
  private readonly seen = new Set<string>();
  readonly warnings: string[] = [];
  readonly infos: string[] = [];

  constructor(private readonly query: string) {}

  warn(message: string, pos: PositionRange | null): void {
    this.add('warning', message, pos);
  }

  info(message: string, pos: PositionRange | null): void {
    this.add('info', message, pos);
  }

  add(kind: AnnotationKind, message: string, pos: PositionRange | null): void {
    this.addText(kind, `PromQL ${kind}: ${message}${pos ? ` (${positionText(this.query, pos.start)})` : ''}`);
  }

  /** A warning passed on verbatim, such as one reported by storage. */
  addText(kind: AnnotationKind, text: string): void {
    if (this.seen.has(text)) return;
    this.seen.add(text);
    (kind === 'warning' ? this.warnings : this.infos).push(text);
  }
}

/** `line:column` (both 1-based) of an offset into the query text. */
export function positionText(query: string, offset: number): string {
  let line = 1;
  let lastBreak = -1;
  const end = Math.min(offset, query.length);
  for (let i = 0; i < end; i++) {
    if (query.charCodeAt(i) === 10) {
      line++;
      lastBreak = i;
    }
  }
  return `${line}:${offset - lastBreak}`;
}

/** Errors that end a query; `kind` maps to the HTTP API's errorType. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly kind: 'execution' | 'timeout' | 'canceled' | 'bad_data' = 'execution',
  ) {
    super(message);
    this.name = 'QueryError';
  }
}
