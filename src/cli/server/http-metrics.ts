/** `prometheus_http_*` and `prometheus_web_federation_*`: the server's own HTTP requests, from the web server. */
import type { MetricFamily } from '@pyrometer/client';
import type { RequestMetrics } from '../../web/request-metrics.js';
import { counter, family, histogramPoint } from './family-metrics.js';

export function httpFamilies(m: RequestMetrics): MetricFamily[] {
  const duration = family('prometheus_http_request_duration_seconds', 'Histogram of latencies for HTTP requests.', 'histogram');
  const requests = family('prometheus_http_requests_total', 'Counter of HTTP requests.', 'counter');
  const size = family('prometheus_http_response_size_bytes', 'Histogram of response size for HTTP requests.', 'histogram');
  for (const [handler, h] of m.handlers) {
    histogramPoint(duration, h.duration);
    histogramPoint(size, h.size);
    for (const [code, n] of h.codes) requests.metrics.push({ labels: { code: String(code), handler }, value: n });
  }
  return [
    duration,
    requests,
    size,
    counter('prometheus_web_federation_errors_total', 'Total number of errors that occurred while sending federation responses.', m.federationErrors),
    counter('prometheus_web_federation_warnings_total', 'Total number of warnings that occurred while sending federation responses.', m.federationWarnings),
  ];
}
