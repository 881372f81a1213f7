import { ESCAPING_SCHEMES, type EscapingScheme } from './escaping.js';

export type ExpositionFormat = 'text' | 'openmetrics';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const OPENMETRICS_0_0_1_CONTENT_TYPE = 'application/openmetrics-text; version=0.0.1; charset=utf-8';

/** Used when the request names no escaping scheme (the prometheus/common default). */
export const DEFAULT_ESCAPING: EscapingScheme = 'underscores';

export interface Negotiated {
  format: ExpositionFormat;
  escaping: EscapingScheme;
  /** The Content-Type to answer with, including the `escaping` parameter. */
  contentType: string;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of header.split(',')) {
    const pieces = part.split(';');
    const type = pieces[0].trim().toLowerCase();
    if (!type) continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (let i = 1; i < pieces.length; i++) {
      const eq = pieces[i].indexOf('=');
      if (eq < 0) continue;
      const k = pieces[i].slice(0, eq).trim().toLowerCase();
      const v = pieces[i].slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (k === 'q') {
        const n = Number(v);
        q = Number.isFinite(n) ? n : 0;
      } else params[k] = v;
    }
    out.push({ type, params, q });
  }
  // Highest quality first; equal qualities keep the client's order.
  return out.map((r, i) => ({ r, i })).sort((a, b) => b.r.q - a.r.q || a.i - b.i).map((x) => x.r);
}

function isScheme(s: string): s is EscapingScheme {
  return (ESCAPING_SCHEMES as readonly string[]).includes(s);
}

/**
 * Picks the exposition format for an Accept header the way Prometheus's expfmt does when
 * OpenMetrics is enabled: media ranges in quality order; `text/plain` with version 0.0.4 or
 * none, `application/openmetrics-text` with version 1.0.0, 0.0.1 or none; otherwise the text
 * format. A valid `escaping` parameter seen on the way (even on a range that did not match)
 * selects the name escaping; without one, names are escaped with underscores.
 */
export function negotiate(accept: string | undefined | null): Negotiated {
  let escaping: EscapingScheme = DEFAULT_ESCAPING;
  for (const r of parseAccept(accept ?? '')) {
    const e = r.params['escaping'];
    if (e !== undefined && isScheme(e)) escaping = e;
    const ver = r.params['version'] ?? '';
    if (r.type === 'text/plain' && (ver === '0.0.4' || ver === '')) {
      return { format: 'text', escaping, contentType: `${PROMETHEUS_CONTENT_TYPE}; escaping=${escaping}` };
    }
    if (r.type === 'application/openmetrics-text' && (ver === '1.0.0' || ver === '0.0.1' || ver === '')) {
      const ct = ver === '1.0.0' ? OPENMETRICS_CONTENT_TYPE : OPENMETRICS_0_0_1_CONTENT_TYPE;
      return { format: 'openmetrics', escaping, contentType: `${ct}; escaping=${escaping}` };
    }
  }
  return { format: 'text', escaping, contentType: `${PROMETHEUS_CONTENT_TYPE}; escaping=${escaping}` };
}

/**
 * Interprets a Content-Type this library produces (or a registry is configured with).
 * Throws for anything that is neither the text format nor OpenMetrics.
 */
export function formatFromContentType(contentType: string): { format: ExpositionFormat; escaping: EscapingScheme } {
  const parts = contentType.split(';');
  const type = parts[0].trim().toLowerCase();
  let escaping: EscapingScheme = DEFAULT_ESCAPING;
  let version = '';
  for (let i = 1; i < parts.length; i++) {
    const eq = parts[i].indexOf('=');
    if (eq < 0) continue;
    const k = parts[i].slice(0, eq).trim().toLowerCase();
    const v = parts[i].slice(eq + 1).trim();
    if (k === 'escaping') {
      if (!isScheme(v)) throw new Error(`unknown escaping scheme "${v}"`);
      escaping = v;
    } else if (k === 'version') version = v;
  }
  if (type === 'text/plain' && (version === '0.0.4' || version === '')) return { format: 'text', escaping };
  if (type === 'application/openmetrics-text' && (version === '1.0.0' || version === '0.0.1' || version === '')) {
    return { format: 'openmetrics', escaping };
  }
  throw new Error(`unsupported content type "${contentType}"`);
}

/** Whether an Accept-Encoding header admits gzip (a `q=0` entry refuses it). */
export function acceptsGzip(acceptEncoding: string | undefined | null): boolean {
  if (!acceptEncoding) return false;
  let star = false;
  for (const part of acceptEncoding.split(',')) {
    const pieces = part.split(';');
    const coding = pieces[0].trim().toLowerCase();
    let q = 1;
    for (let i = 1; i < pieces.length; i++) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(pieces[i]);
      if (m) q = Number(m[1]);
    }
    if (coding === 'gzip' || coding === 'x-gzip') return q > 0;
    if (coding === '*') star = q > 0;
  }
  return star;
}
