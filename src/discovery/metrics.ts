/**
 * Discovery's own counters for the server's `/metrics` (`prometheus_sd_*`). Mechanisms count
 * their failures on their instances; a config reload replaces the instances, so the totals of
 * retired ones are carried here to keep the counters monotonic.
 */
import type { Discoverer } from './discoverer.js';
import { DnsDiscoverer } from './dns/dns.js';
import { FileDiscoverer } from './file/file.js';
import { HttpDiscoverer } from './http/http.js';

export interface MechanismCounts {
  fileReadErrors: number;
  httpFailures: number;
  dnsLookups: number;
  dnsLookupFailures: number;
}

export function zeroMechanismCounts(): MechanismCounts {
  return { fileReadErrors: 0, httpFailures: 0, dnsLookups: 0, dnsLookupFailures: 0 };
}

/** Adds one discoverer's counts into `into`. */
export function addMechanismCounts(into: MechanismCounts, d: Discoverer): void {
  if (d instanceof FileDiscoverer) into.fileReadErrors += d.readErrors;
  else if (d instanceof HttpDiscoverer) into.httpFailures += d.failures;
  else if (d instanceof DnsDiscoverer) {
    into.dnsLookups += d.lookups;
    into.dnsLookupFailures += d.failures;
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
