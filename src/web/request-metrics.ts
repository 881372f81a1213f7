/**
 * HTTP request metrics under Prometheus's names: requests by handler and code, and latency
 * and response-size histograms by handler (`prometheus_http_*`), with Prometheus's buckets.
 */
import { HistogramChild } from '@pyrometer/client';

export const DURATION_BUCKETS: readonly number[] = [0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120, Infinity];
/** 100 B to 1 GB, a factor of ten apart. */
export const SIZE_BUCKETS: readonly number[] = [1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, Infinity];

export interface HandlerStats {
  readonly duration: HistogramChild;
  readonly size: HistogramChild;
  /** Requests by status code. */
  readonly codes: Map<number, number>;
}

export class RequestMetrics {
  /** By handler label: the route pattern ("/api/v1/query", "/-/ready", "/assets/*"), never the raw path. */
  readonly handlers = new Map<string, HandlerStats>();
  /** Storage errors and warnings while answering /federate. */
  federationErrors = 0;
  federationWarnings = 0;

  observe(handler: string, code: number, seconds: number, bytes: number): void {
    let h = this.handlers.get(handler);
    if (!h) {
      const labels = Object.freeze({ handler });
      h = {
        duration: new HistogramChild(labels, DURATION_BUCKETS, 'prometheus_http_request_duration_seconds'),
        size: new HistogramChild(labels, SIZE_BUCKETS, 'prometheus_http_response_size_bytes'),
        codes: new Map(),
      };
      this.handlers.set(handler, h);
    }
    h.duration.observe(seconds);
    h.size.observe(bytes);
    h.codes.set(code, (h.codes.get(code) ?? 0) + 1);
  }
}
