/**
 * Every allowed difference between Pyrometer and Prometheus 2.42 in the API differential test,
 * by case id (see corpus.ts), with the reason. Two kinds:
 *  - KNOWN_VERSION_DIFFERENCES: Pyrometer follows Prometheus 3.x, whose API differs from 2.42;
 *  - KNOWN_BUGS: real discrepancies in code outside the API layer, left for its owner.
 */
export const KNOWN_VERSION_DIFFERENCES: Record<string, string> = {};

export const KNOWN_BUGS: Record<string, string> = {};
