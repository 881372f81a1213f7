import type { MetricType } from './family.js';

/**
 * Name rules. Prometheus 3 accepts any UTF-8 metric and label name; legacy names
 * (`[a-zA-Z_:][a-zA-Z0-9_:]*` for metrics, no colon for labels) are encouraged because they
 * need no quoting or escaping on the wire.
 */

const LEGACY_METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isLegacyMetricName(name: string): boolean {
  return LEGACY_METRIC.test(name);
}

export function isLegacyLabelName(name: string): boolean {
  return LEGACY_LABEL.test(name);
}

/** True when `s` is well-formed UTF-16 (no lone surrogates), i.e. encodes to valid UTF-8. */
function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

export function validateMetricName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new Error('metric name must be a non-empty string');
  if (!isWellFormed(name)) throw new Error(`metric name ${JSON.stringify(name)} is not valid UTF-8`);
}

/** Checks a user label name: non-empty, valid UTF-8, and not in the reserved `__` namespace. */
export function validateLabelName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new Error('label name must be a non-empty string');
  if (!isWellFormed(name)) throw new Error(`label name ${JSON.stringify(name)} is not valid UTF-8`);
  if (name.startsWith('__')) throw new Error(`label name "${name}" is reserved (names starting with "__" are for internal use)`);
}

/** Throws if a label value is not a string or not valid UTF-8. */
export function validateLabelValue(name: string, value: unknown): string {
  if (typeof value !== 'string') {
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    throw new Error(`value of label "${name}" must be a string, got ${value === null ? 'null' : typeof value}`);
  }
  if (!isWellFormed(value)) throw new Error(`value of label "${name}" is not valid UTF-8`);
  return value;
}

/** The sample names a family of `type` writes in either text format; used for clash checks. */
export function sampleNames(name: string, type: MetricType): string[] {
  switch (type) {
    case 'counter': {
      const base = name.endsWith('_total') ? name.slice(0, -6) : name;
      return [base, base + '_total', base + '_created'];
    }
    case 'histogram':
      return [name, name + '_bucket', name + '_sum', name + '_count', name + '_created'];
    case 'gaugehistogram':
      return [name, name + '_bucket', name + '_gsum', name + '_gcount'];
    case 'summary':
      return [name, name + '_sum', name + '_count', name + '_created'];
    case 'info':
      return [name, name + '_info'];
    default:
      return [name];
  }
}
