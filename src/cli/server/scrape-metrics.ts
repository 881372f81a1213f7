/** `prometheus_target_*`: scrape pools, loops and their rejected samples, from the scrape manager. */
import type { MetricFamily } from '@pyrometer/client';
import type { ScrapeManager } from '../../scrape/manager.js';
import { SCRAPE_QUANTILES } from '../../scrape/metrics.js';
import { counter, family, summaryPoint } from './family-metrics.js';

export function scrapeFamilies(scrape: ScrapeManager): MetricFamily[] {
  const m = scrape.metrics;
  const interval = family('prometheus_target_interval_length_seconds', 'Actual intervals between scrapes.', 'summary');
  for (const s of m.intervalLength.values()) summaryPoint(interval, s, SCRAPE_QUANTILES);

  const reload = family('prometheus_target_reload_length_seconds', 'Actual interval to reload the scrape pool with a given configuration.', 'summary');
  for (const s of m.reloadLength.values()) summaryPoint(reload, s, SCRAPE_QUANTILES);

  const syncs = family('prometheus_target_scrape_pool_sync_total', 'Total number of syncs that were executed on a scrape pool.', 'counter');
  const syncFailed = family('prometheus_target_sync_failed_total', 'Total number of target sync failures.', 'counter');
  const syncLength = family('prometheus_target_sync_length_seconds', 'Actual interval to sync the scrape pool.', 'summary');
  for (const p of m.pools.values()) {
    syncs.metrics.push({ labels: p.labels, value: p.syncs });
    syncFailed.metrics.push({ labels: p.labels, value: p.syncFailures });
    summaryPoint(syncLength, p.syncLength, SCRAPE_QUANTILES);
  }

  const targets = family('prometheus_target_scrape_pool_targets', 'Current number of targets in this scrape pool.', 'gauge');
  const metaEntries = family('prometheus_target_metadata_cache_entries', 'Total number of metric metadata entries in the cache', 'gauge');
  const metaBytes = family('prometheus_target_metadata_cache_bytes', 'The number of bytes that are currently used for storing metric metadata in the cache', 'gauge');
  for (const [job, pool] of scrape.pools) {
    const labels = m.pools.get(job)?.labels ?? { scrape_job: job };
    targets.metrics.push({ labels, value: pool.loops.size });
    let entries = 0;
    let bytes = 0;
    for (const loop of pool.loops.values()) {
      entries += loop.metadataEntries;
      bytes += loop.metadataBytes;
    }
    metaEntries.metrics.push({ labels, value: entries });
    metaBytes.metrics.push({ labels, value: bytes });
  }

  return [
    interval,
    metaBytes,
    metaEntries,
    reload,
    counter('prometheus_target_scrape_pool_exceeded_label_limits_total', 'Total number of times scrape pools hit the label limits, during sync or config reload.', m.exceededLabelLimits),
    counter('prometheus_target_scrape_pool_exceeded_target_limit_total', 'Total number of times scrape pools hit the target limit, during sync or config reload.', m.exceededTargetLimit),
    counter('prometheus_target_scrape_pool_reloads_failed_total', 'Total number of failed scrape pool reloads.', m.poolReloadsFailed),
    counter('prometheus_target_scrape_pool_reloads_total', 'Total number of scrape pool reloads.', m.poolReloads),
    syncs,
    targets,
    counter('prometheus_target_scrape_pools_failed_total', 'Total number of scrape pool creations that failed.', m.poolsFailed),
    counter('prometheus_target_scrape_pools_total', 'Total number of scrape pool creation attempts.', m.poolsCreated),
    counter('prometheus_target_scrapes_exceeded_body_size_limit_total', 'Total number of scrapes that hit the body size limit', m.exceededBodySizeLimit),
    counter('prometheus_target_scrapes_exceeded_sample_limit_total', 'Total number of scrapes that hit the sample limit and were rejected.', m.exceededSampleLimit),
    counter('prometheus_target_scrapes_exemplar_out_of_order_total', 'Total number of exemplar rejected due to not being out of the expected order.', m.exemplarOutOfOrder),
    counter('prometheus_target_scrapes_sample_duplicate_timestamp_total', 'Total number of samples rejected due to duplicate timestamps but different values.', m.sampleDuplicate),
    counter('prometheus_target_scrapes_sample_out_of_bounds_total', 'Total number of samples rejected due to timestamp falling outside of the time bounds.', m.sampleOutOfBounds),
    counter('prometheus_target_scrapes_sample_out_of_order_total', 'Total number of samples rejected due to not being out of the expected order.', m.sampleOutOfOrder),
    syncFailed,
    syncLength,
  ];
}
