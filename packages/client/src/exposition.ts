import type { LabelValues, MetricFamily } from './family.js';
import type { EscapingScheme } from './escaping.js';
import type { ExpositionFormat } from './negotiate.js';
import { writeText } from './text-format.js';
import { writeOpenMetrics } from './openmetrics-format.js';

export type { ExpositionFormat } from './negotiate.js';

export interface SerializeOptions {
  /** How names that are not legacy-valid are written (default `underscores`). */
  escaping?: EscapingScheme;
  /** Labels added to every series lacking a label of that name. */
  defaultLabels?: LabelValues;
  /** OpenMetrics: end with `# EOF` (default true; false to render a fragment). */
  eof?: boolean;
  /**
   * Cache escaped label text per labels object (default true). Set false when the label objects
   * are built afresh for every call (federation, say), where caching only costs.
   */
  cacheLabels?: boolean;
  /** OpenMetrics: write `_created` samples for points that carry a creation time (default true). */
  created?: boolean;
}

/** Renders families in the Prometheus text format 0.0.4 or OpenMetrics 1.0. */
export function serialize(families: readonly MetricFamily[], format: ExpositionFormat, opts: SerializeOptions = {}): string {
  return format === 'openmetrics' ? writeOpenMetrics(families, opts) : writeText(families, opts);
}
