/** `prometheus_sd_*`: service discovery, from the discovery managers (one per consumer). */
import type { MetricFamily } from '@pyrometer/client';
import type { DiscoveryManager } from '../../discovery/manager.js';
import { counter, family } from './family-metrics.js';

export function sdFamilies(managers: readonly DiscoveryManager[]): MetricFamily[] {
  const discovered = family('prometheus_sd_discovered_targets', 'Current number of discovered targets.', 'gauge');
  const failed = family('prometheus_sd_failed_configs', 'Current number of service discovery configurations that failed to load.', 'gauge');
  const received = family('prometheus_sd_received_updates_total', 'Total number of update events received from the SD providers.', 'counter');
  const sent = family('prometheus_sd_updates_total', 'Total number of update events sent to the SD consumers.', 'counter');
  let fileReadErrors = 0;
  let httpFailures = 0;
  let dnsLookups = 0;
  let dnsLookupFailures = 0;
  for (const m of managers) {
    const name = m.name;
    for (const [config, n] of m.discoveredTargets()) discovered.metrics.push({ labels: { config, name }, value: n });
    failed.metrics.push({ labels: { name }, value: m.failedConfigs() });
    received.metrics.push({ labels: { name }, value: m.stats.receivedUpdates });
    sent.metrics.push({ labels: { name }, value: m.stats.updates });
    const c = m.mechanismCounts();
    fileReadErrors += c.fileReadErrors;
    httpFailures += c.httpFailures;
    dnsLookups += c.dnsLookups;
    dnsLookupFailures += c.dnsLookupFailures;
  }
  return [
    discovered,
    counter('prometheus_sd_dns_lookup_failures_total', 'The number of DNS-SD lookup failures.', dnsLookupFailures),
    counter('prometheus_sd_dns_lookups_total', 'The number of DNS-SD lookups.', dnsLookups),
    failed,
    counter('prometheus_sd_file_read_errors_total', 'The number of File-SD read errors.', fileReadErrors),
    counter('prometheus_sd_http_failures_total', 'Number of HTTP service discovery refresh failures.', httpFailures),
    received,
    sent,
  ];
}
