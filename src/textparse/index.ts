export * from './types.js';
export { PromParser } from './promparse.js';
export { OpenMetricsParser } from './openmetricsparse.js';
export { createParser, formatFromContentType, sniffFormat, type Format } from './create.js';
export { detachString } from './detach.js';
export { formatOpenMetricsFloat, normalizeFloatLabel } from './normalize.js';
export { collect, type Item } from './collect.js';
export { lint, familiesFromText, familiesFromOpenMetrics, type LintFamily, type LintProblem } from './lint.js';
