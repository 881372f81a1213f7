/**
 * A tiny in-process exporter with fixed values and HELP/TYPE/UNIT metadata, which both servers
 * scrape: fixed values make the live data of the two servers identical except for timestamps.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** OpenMetrics, so that UNIT reaches the metadata endpoints of both servers. */
export const EXPOSITION = `# TYPE app_requests counter
# HELP app_requests Requests served.
app_requests_total{code="200",method="get"} 1027
app_requests_total{code="500",method="post"} 3
# TYPE app_temperature_celsius gauge
# UNIT app_temperature_celsius celsius
# HELP app_temperature_celsius Room temperature.
app_temperature_celsius{room="lab"} 21.5
app_temperature_celsius{room="café"} 19.25
# TYPE app_special gauge
# HELP app_special Special float values.
app_special{kind="nan"} NaN
app_special{kind="inf"} +Inf
app_special{kind="neginf"} -Inf
# TYPE app_latency_seconds histogram
# UNIT app_latency_seconds seconds
# HELP app_latency_seconds Request latency.
app_latency_seconds_bucket{le="0.25"} 5
app_latency_seconds_bucket{le="2.5"} 9
app_latency_seconds_bucket{le="+Inf"} 10
app_latency_seconds_sum 3.5
app_latency_seconds_count 10
# TYPE app_queue_length gauge
# HELP app_queue_length Items waiting.
app_queue_length 7
# EOF
`;

export interface Exporter {
  ports: number[];
  close(): Promise<void>;
}

/** Serves EXPOSITION on `count` loopback ports (one target each). */
export async function startExporter(count: number): Promise<Exporter> {
  const servers: Server[] = [];
  const close = () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);
  try {
    for (let i = 0; i < count; i++) {
      const srv = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' });
        res.end(EXPOSITION);
      });
      servers.push(srv);
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => resolve());
      });
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { ports: servers.map((s) => (s.address() as AddressInfo).port), close };
}
