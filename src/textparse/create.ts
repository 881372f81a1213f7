/** Picks a parser from an HTTP Content-Type, or sniffs the format of a payload. */
import { OpenMetricsParser } from './openmetricsparse.js';
import { PromParser } from './promparse.js';
import type { Parser, ParserOptions } from './types.js';

export type Format = 'text' | 'openmetrics';

/**
 * `application/openmetrics-text` selects OpenMetrics; `text/plain`, a missing or an unknown
 * type select the text format. Protobuf expositions cannot be read by these parsers.
 */
export function formatFromContentType(contentType: string | undefined): Format {
  const media = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
  if (media === 'application/openmetrics-text') return 'openmetrics';
  if (media === 'application/vnd.google.protobuf' || media === 'application/openmetrics-protobuf') {
    throw new Error(`unsupported exposition content type "${media}"`);
  }
  return 'text';
}

export function createParser(contentType: string | undefined, body: Buffer | Uint8Array | string, opts: ParserOptions = {}): Parser {
  return formatFromContentType(contentType) === 'openmetrics' ? new OpenMetricsParser(body, opts) : new PromParser(body, opts);
}

/**
 * Guesses the format of a payload without a Content-Type: OpenMetrics when it ends with
 * `# EOF` or uses OpenMetrics-only syntax (UNIT lines, OpenMetrics-only types, exemplars).
 */
export function sniffFormat(body: Buffer | Uint8Array | string): Format {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (/(^|\n)# EOF\n?$/.test(text)) return 'openmetrics';
  if (/^# UNIT /m.test(text)) return 'openmetrics';
  if (/^# TYPE \S+ (info|stateset|gaugehistogram|unknown)$/m.test(text)) return 'openmetrics';
  if (/^[^#\n][^\n]* # \{/m.test(text)) return 'openmetrics';
  return 'text';
}
