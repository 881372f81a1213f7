import { isLegacyLabelName, isLegacyMetricName } from './names.js';

/**
 * How names that are not legacy-valid are written, as negotiated through the `escaping`
 * parameter of the Accept header (Prometheus 3 / prometheus/common semantics):
 * - `allow-utf-8`: written as they are, double-quoted where needed;
 * - `underscores`: every character not allowed in a legacy name becomes `_`;
 * - `dots`: `_` becomes `__`, `.` becomes `_dot_`, other disallowed characters `__`;
 * - `values`: `U__` prefix, `_` doubled, other disallowed characters as `_<hex code point>_`.
 */
export type EscapingScheme = 'allow-utf-8' | 'underscores' | 'dots' | 'values';

export const ESCAPING_SCHEMES: readonly EscapingScheme[] = ['allow-utf-8', 'underscores', 'dots', 'values'];

function legacyChar(cp: number, first: boolean, colon: boolean): boolean {
  return (
    (cp >= 0x61 && cp <= 0x7a) ||
    (cp >= 0x41 && cp <= 0x5a) ||
    cp === 0x5f ||
    (colon && cp === 0x3a) ||
    (!first && cp >= 0x30 && cp <= 0x39)
  );
}

/** Escapes a metric name (`colon` true) or label name (`colon` false) under `scheme`. */
export function escapeName(name: string, scheme: EscapingScheme, colon: boolean): string {
  if (scheme === 'allow-utf-8' || name.length === 0) return name;
  const legacy = colon ? isLegacyMetricName(name) : isLegacyLabelName(name);
  if (legacy && scheme !== 'dots') return name;
  let out = scheme === 'values' ? 'U__' : '';
  let i = 0;
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    const first = i === 0;
    i++;
    if (scheme === 'underscores') {
      out += legacyChar(cp, first, colon) ? ch : '_';
    } else if (scheme === 'dots') {
      if (cp === 0x5f) out += '__';
      else if (cp === 0x2e) out += '_dot_';
      else out += legacyChar(cp, first, colon) ? ch : '__';
    } else {
      if (cp === 0x5f) out += '__';
      else if (legacyChar(cp, first, colon)) out += ch;
      else out += '_' + cp.toString(16) + '_';
    }
  }
  return out;
}
