/** `prometheus_sd_*`: service discovery, from the discovery managers (one per consumer). */
import type { MetricFamily } from '@pyrometer/client';
import type { DiscoveryManager } from '../../discovery/manager.js';
import { zeroMechanismCounts } from '../../discovery/metrics.js';
import { counter, family } from './family-metrics.js';

export function sdFamilies(managers: readonly DiscoveryManager[]): MetricFamily[] {
  const discovered = family('prometheus_sd_discovered_targets', 'Current number of discovered targets.', 'gauge');
  const failed = family('prometheus_sd_failed_configs', 'Current number of service discovery configurations that failed to load.', 'gauge');
  const received = family('prometheus_sd_received_updates_total', 'Total number of update events received from the SD providers.', 'counter');
  const sent = family('prometheus_sd_updates_total', 'Total number of update events sent to the SD consumers.', 'counter');
  const total = zeroMechanismCounts();
  for (const m of managers) {
    const name = m.name;
    for (const [config, n] of m.discoveredTargets()) discovered.metrics.push({ labels: { config, name }, value: n });
    failed.metrics.push({ labels: { name }, value: m.failedConfigs() });
    received.metrics.push({ labels: { name }, value: m.stats.receivedUpdates });
    sent.metrics.push({ labels: { name }, value: m.stats.updates });
    const c = m.mechanismCounts();
    total.fileReadErrors += c.fileReadErrors;
    total.httpFailures += c.httpFailures;
    total.dnsLookups += c.dnsLookups;
    total.dnsLookupFailures += c.dnsLookupFailures;
    total.consulRpcFailures += c.consulRpcFailures;
    total.kubernetesFailures += c.kubernetesFailures;
    for (const [k, n] of c.kubernetesEvents) total.kubernetesEvents.set(k, (total.kubernetesEvents.get(k) ?? 0) + n);
  }
  // Upstream exports every role and event, zeros included.
  const kubeEvents = family('prometheus_sd_kubernetes_events_total', 'The number of Kubernetes events handled.', 'counter');
  for (const role of ['endpoints', 'endpointslice', 'ingress', 'node', 'pod', 'service']) {
    for (const event of ['add', 'delete', 'update']) kubeEvents.metrics.push({ labels: { event, role }, value: total.kubernetesEvents.get(`${role}/${event}`) ?? 0 });
  }
  return [
    discovered,
    counter('prometheus_sd_consul_rpc_failures_total', 'The number of Consul RPC call failures.', total.consulRpcFailures),
    counter('prometheus_sd_dns_lookup_failures_total', 'The number of DNS-SD lookup failures.', total.dnsLookupFailures),
    counter('prometheus_sd_dns_lookups_total', 'The number of DNS-SD lookups.', total.dnsLookups),
    failed,
    counter('prometheus_sd_file_read_errors_total', 'The number of File-SD read errors.', total.fileReadErrors),
    counter('prometheus_sd_http_failures_total', 'Number of HTTP service discovery refresh failures.', total.httpFailures),
    kubeEvents,
    counter('prometheus_sd_kubernetes_failures_total', 'The number of failed WATCH/LIST requests.', total.kubernetesFailures),
    received,
    sent,
  ];
}
