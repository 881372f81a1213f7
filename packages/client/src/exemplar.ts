import type { Exemplar, LabelValues } from './family.js';
import { validateLabelName, validateLabelValue } from './names.js';

/** OpenMetrics caps the label names and values of an exemplar at 128 code points in total. */
export const EXEMPLAR_MAX_RUNES = 128;

function runes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** Validates exemplar labels and returns a frozen exemplar stamped with the current time. */
export function makeExemplar(labels: LabelValues, value: number): Exemplar {
  let total = 0;
  const copy: Record<string, string> = {};
  for (const k of Object.keys(labels)) {
    validateLabelName(k);
    const v = validateLabelValue(k, labels[k]);
    total += runes(k) + runes(v);
    copy[k] = v;
  }
  if (total > EXEMPLAR_MAX_RUNES) {
    throw new Error(`exemplar labels have ${total} characters, more than the OpenMetrics limit of ${EXEMPLAR_MAX_RUNES}`);
  }
  return Object.freeze({ labels: Object.freeze(copy), value, timestampMs: Date.now() });
}
