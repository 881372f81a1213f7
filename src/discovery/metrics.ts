/**
 * Discovery's own counters for the server's `/metrics` (`prometheus_sd_*`). Mechanisms count
 * their failures on their instances; a config reload replaces the instances, so the totals of
 * retired ones are carried here to keep the counters monotonic.
 */
import { ConsulDiscoverer } from './consul/index.js';
import type { Discoverer } from './discoverer.js';
import { DnsDiscoverer } from './dns/dns.js';
import { FileDiscoverer } from './file/file.js';
import { HttpDiscoverer } from './http/http.js';
import { KubernetesDiscoverer } from './kubernetes/index.js';

export interface MechanismCounts {
  fileReadErrors: number;
  httpFailures: number;
  dnsLookups: number;
  dnsLookupFailures: number;
  consulRpcFailures: number;
  kubernetesFailures: number;
  /** Kubernetes object events by `<role>/<add|update|delete>`. */
  kubernetesEvents: Map<string, number>;
}

export function zeroMechanismCounts(): MechanismCounts {
  return { fileReadErrors: 0, httpFailures: 0, dnsLookups: 0, dnsLookupFailures: 0, consulRpcFailures: 0, kubernetesFailures: 0, kubernetesEvents: new Map() };
}

export function copyMechanismCounts(c: MechanismCounts): MechanismCounts {
  return { ...c, kubernetesEvents: new Map(c.kubernetesEvents) };
}

/** Adds one discoverer's counts into `into`. */
export function addMechanismCounts(into: MechanismCounts, d: Discoverer): void {
  if (d instanceof FileDiscoverer) into.fileReadErrors += d.readErrors;
  else if (d instanceof HttpDiscoverer) into.httpFailures += d.failures;
  else if (d instanceof DnsDiscoverer) {
    into.dnsLookups += d.lookups;
    into.dnsLookupFailures += d.failures;
  } else if (d instanceof ConsulDiscoverer) into.consulRpcFailures += d.failures;
  else if (d instanceof KubernetesDiscoverer) {
    into.kubernetesFailures += d.stats.failures;
    for (const [k, n] of d.stats.events) into.kubernetesEvents.set(k, (into.kubernetesEvents.get(k) ?? 0) + n);
  }
}

/** Per discovery manager (`name` is "scrape" or "notify", as upstream labels them). */
export class DiscoveryStats {
  /** Update events received from the mechanisms. */
  receivedUpdates = 0;
  /** Coalesced updates sent to the consumer. */
  updates = 0;
  /** Mechanism counts of discoverers replaced by reloads. */
  readonly retired = zeroMechanismCounts();
}
