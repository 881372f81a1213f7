/**
 * The server's own `prometheus_*` metrics, read live from its components at scrape time under
 * Prometheus's names, types, labels and help texts, so its dashboards and alerts work.
 * docs/self-metrics.md lists what is exposed and what is not.
 */
import type { Collector, MetricFamily } from '@pyrometer/client';
import type { DiscoveryManager } from '../../discovery/manager.js';
import type { ScrapeManager } from '../../scrape/manager.js';
import type { DB } from '../../tsdb/db.js';
import type { WebServer } from '../../web/web.js';
import { gauge } from './family-metrics.js';
import { httpFamilies } from './http-metrics.js';
import { scrapeFamilies } from './scrape-metrics.js';
import { sdFamilies } from './sd-metrics.js';
import { tsdbFamilies, type RetentionLimits } from './tsdb-metrics.js';

export interface SelfMetricsSources {
  version: string;
  db: () => DB | undefined;
  scrape: ScrapeManager;
  discovery: readonly DiscoveryManager[];
  web: () => WebServer | undefined;
  ready: () => boolean;
  reload: () => { success: boolean; time: Date };
  retention: RetentionLimits;
}

/** Go's GOARCH names for Node's process.arch values. */
const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

export function selfMetricsCollector(s: SelfMetricsSources): Collector {
  const buildLabels = Object.freeze({
    branch: '',
    goarch: GOARCH[process.arch] ?? process.arch,
    goos: process.platform,
    goversion: `node${process.versions.node}`,
    revision: '',
    version: s.version,
  });
  return {
    collect(): MetricFamily[] {
      const reload = s.reload();
      const out: MetricFamily[] = [
        gauge('prometheus_build_info', "A metric with a constant '1' value labeled by version, revision, branch, goversion from which prometheus was built, and the goos and goarch for the build.", 1, buildLabels),
        gauge('prometheus_config_last_reload_success_timestamp_seconds', 'Timestamp of the last successful configuration reload.', Math.floor(reload.time.getTime() / 1000)),
        gauge('prometheus_config_last_reload_successful', 'Whether the last configuration reload attempt was successful.', reload.success ? 1 : 0),
        gauge('prometheus_ready', 'Whether Prometheus startup was fully completed and the server is ready for normal operation.', s.ready() ? 1 : 0),
      ];
      const web = s.web();
      if (web) out.push(...httpFamilies(web.requestMetrics));
      out.push(...sdFamilies(s.discovery), ...scrapeFamilies(s.scrape));
      const db = s.db();
      if (db) out.push(...tsdbFamilies(db, s.retention));
      // A labelled family with no series yet is left out, as client_golang leaves out empty vectors.
      return out.filter((f) => f.metrics.length > 0);
    },
  };
}
