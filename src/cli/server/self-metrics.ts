/** The server's own `prometheus_*` metrics, read live from its components at scrape time. */
import type { Collector, MetricFamily } from '@pyrometer/client';
import type { DB } from '../../tsdb/db.js';
import type { ScrapeManager } from '../../scrape/manager.js';
import type { WebServer } from '../../web/web.js';

export interface SelfMetricsSources {
  version: string;
  db: () => DB | undefined;
  scrape: ScrapeManager;
  web: () => WebServer | undefined;
  ready: () => boolean;
  reload: () => { success: boolean; time: Date };
}

const gauge = (name: string, help: string, value: number, labels: Record<string, string> = {}): MetricFamily => ({
  name, help, type: 'gauge', metrics: [{ labels, value }],
});
const counter = (name: string, help: string, value: number): MetricFamily => ({
  name, help, type: 'counter', metrics: [{ labels: {}, value }],
});

export function selfMetricsCollector(s: SelfMetricsSources): Collector {
  return {
    collect(): MetricFamily[] {
      const out: MetricFamily[] = [
        gauge('prometheus_build_info', 'A metric with a constant 1 value labeled by version, revision, branch, goversion from which prometheus was built.', 1, {
          version: s.version, revision: '', branch: '', goversion: `node${process.versions.node}`,
        }),
        gauge('prometheus_ready', 'Whether Prometheus startup was fully completed and the server is ready for normal operation.', s.ready() ? 1 : 0),
        gauge('prometheus_config_last_reload_successful', 'Whether the last configuration reload attempt was successful.', s.reload().success ? 1 : 0),
        gauge('prometheus_config_last_reload_success_timestamp_seconds', 'Timestamp of the last successful configuration reload.', Math.floor(s.reload().time.getTime() / 1000)),
      ];
      const db = s.db();
      if (db) {
        const h = db.head;
        const c = h.counters;
        out.push(
          gauge('prometheus_tsdb_head_series', 'Total number of series in the head block.', h.numSeries()),
          gauge('prometheus_tsdb_head_chunks', 'Total number of chunks in the head block.', c.chunksCreated - c.chunksRemoved),
          counter('prometheus_tsdb_head_samples_appended_total', 'Total number of appended samples.', c.samplesAppended),
          counter('prometheus_tsdb_head_series_created_total', 'Total number of series created in the head', c.seriesCreated),
          counter('prometheus_tsdb_head_series_removed_total', 'Total number of series removed in the head', c.seriesRemoved),
          counter('prometheus_tsdb_out_of_order_samples_total', 'Total number of out of order samples ingestion failed attempts due to out of order being disabled.', c.outOfOrder),
          counter('prometheus_tsdb_out_of_bound_samples_total', 'Total number of out of bound samples ingestion failed attempts with out of order support disabled.', c.outOfBounds),
          gauge('prometheus_tsdb_head_min_time', 'Minimum time bound of the head block.', Number.isFinite(h.minTime()) ? h.minTime() : 0),
          gauge('prometheus_tsdb_head_max_time', 'Maximum timestamp of the head block.', Number.isFinite(h.maxTime()) ? h.maxTime() : 0),
          gauge('prometheus_tsdb_blocks_loaded', 'Number of currently loaded data blocks', db.listBlocks().length),
          gauge('prometheus_tsdb_data_replay_duration_seconds', 'Time taken to replay the data on disk.', db.replaySeconds),
        );
      }
      const pools: MetricFamily = { name: 'prometheus_target_scrape_pool_targets', help: 'Current number of targets in this scrape pool.', type: 'gauge', metrics: [] };
      for (const [name, pool] of s.scrape.pools) pools.metrics.push({ labels: { scrape_job: name }, value: pool.loops.size });
      out.push(pools);
      const web = s.web();
      if (web) {
        const reqs: MetricFamily = { name: 'prometheus_http_requests_total', help: 'Counter of HTTP requests.', type: 'counter', metrics: [] };
        for (const [key, n] of web.requests) {
          const [handler, code] = key.split('\u0000');
          reqs.metrics.push({ labels: { code, handler }, value: n });
        }
        out.push(reqs);
      }
      return out;
    },
  };
}
