/** Parse errors carrying the offending position, rendered the way Prometheus renders them. */
import type { PositionRange } from './ast.js';

const encoder = new TextEncoder();

/**
 * Line (1-based) and column (1-based, counted in UTF-8 bytes as Prometheus does) of a UTF-16
 * offset into the query.
 */
export function lineColumn(query: string, offset: number, lineOffset = 0): { line: number; column: number } {
  let line = lineOffset + 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < query.length; i++) {
    if (query.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = encoder.encode(query.slice(lineStart, offset)).length + 1;
  return { line, column };
}

/** `line:column` of the start of a range, or Prometheus's placeholders for unknown positions. */
export function formatPosition(query: string, range: PositionRange, lineOffset = 0): string {
  if (query === '') return 'unknown position';
  if (range.start < 0 || range.start > query.length) return 'invalid position';
  const { line, column } = lineColumn(query, range.start, lineOffset);
  return `${line}:${column}`;
}

export class ParseError extends Error {
  /**
   * @param reason the message without position, e.g. `unexpected end of input`
   * @param positionRange where in the query the problem is (UTF-16 offsets, end exclusive)
   * @param query the full query text
   */
  constructor(
    readonly reason: string,
    readonly positionRange: PositionRange,
    readonly query: string,
    readonly lineOffset = 0,
  ) {
    super(`${formatPosition(query, positionRange, lineOffset)}: parse error: ${reason}`);
    this.name = 'ParseError';
  }

  /** The same error reported as if the query started `lines` lines further down (rule files). */
  withLineOffset(lines: number): ParseError {
    return new ParseError(this.reason, this.positionRange, this.query, lines);
  }
}

/** An error evaluating a duration expression (`[step()*2]`, `offset (1h/0)`) at query time. */
export class DurationExprError extends Error {
  constructor(
    message: string,
    readonly positionRange: PositionRange,
  ) {
    super(message);
    this.name = 'DurationExprError';
  }
}
