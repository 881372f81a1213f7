/**
 * Consul's `/v1/health/service/<name>` entries as target groups with upstream's
 * `__meta_consul_*` labels.
 */
import type { TargetGroup } from '../targetgroup.js';

export interface ConsulNode {
  Node: string;
  Address: string;
  Datacenter?: string;
  TaggedAddresses?: Record<string, string> | null;
  Meta?: Record<string, string> | null;
}

export interface ConsulService {
  ID: string;
  Service: string;
  Tags?: string[] | null;
  Address: string;
  Port: number;
  Meta?: Record<string, string> | null;
  Namespace?: string;
  Partition?: string;
}

export interface ConsulCheck {
  CheckID: string;
  Status: string;
}

/** One element of a `/v1/health/service/<name>` response. */
export interface ServiceEntry {
  Node: ConsulNode;
  Service: ConsulService;
  Checks?: ConsulCheck[] | null;
}

const META = '__meta_consul_';
const NODE_MAINTENANCE = '_node_maintenance';
const SERVICE_MAINTENANCE_PREFIX = '_service_maintenance:';

/**
 * The instance's health as Consul's client reports it: maintenance > critical > warning >
 * passing (also for no checks); an unknown status makes it empty.
 */
export function aggregatedStatus(checks: readonly ConsulCheck[] | null | undefined): string {
  let warning = false;
  let critical = false;
  let maintenance = false;
  for (const check of checks ?? []) {
    if (check.CheckID === NODE_MAINTENANCE || check.CheckID.startsWith(SERVICE_MAINTENANCE_PREFIX)) {
      maintenance = true;
      continue;
    }
    switch (check.Status) {
      case 'passing':
        break;
      case 'warning':
        warning = true;
        break;
      case 'critical':
        critical = true;
        break;
      default:
        return '';
    }
  }
  if (maintenance) return 'maintenance';
  if (critical) return 'critical';
  if (warning) return 'warning';
  return 'passing';
}

/** Upstream's strutil.SanitizeLabelName: every character outside [a-zA-Z0-9_] becomes `_`. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Go's net.JoinHostPort: IPv6 hosts (anything with a colon) get brackets. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function targetLabels(entry: ServiceEntry, tagSeparator: string): Record<string, string> {
  const { Node: node, Service: service } = entry;
  // Tags are wrapped in the separator too, so relabel regexes need not care where a tag sits.
  const tags = tagSeparator + (service.Tags ?? []).join(tagSeparator) + tagSeparator;
  // A service address wins over the node's: the service may be registered for another host.
  const host = service.Address !== '' ? service.Address : node.Address;
  const labels: Record<string, string> = {
    __address__: joinHostPort(host, service.Port),
    [`${META}address`]: node.Address,
    [`${META}node`]: node.Node,
    [`${META}namespace`]: service.Namespace ?? '',
    [`${META}partition`]: service.Partition ?? '',
    [`${META}tags`]: tags,
    [`${META}service_address`]: service.Address,
    [`${META}service_port`]: String(service.Port),
    [`${META}service_id`]: service.ID,
    [`${META}health`]: aggregatedStatus(entry.Checks),
  };
  for (const [k, v] of Object.entries(node.Meta ?? {})) labels[`${META}metadata_${sanitizeLabelName(k)}`] = v;
  for (const [k, v] of Object.entries(service.Meta ?? {})) labels[`${META}service_metadata_${sanitizeLabelName(k)}`] = v;
  for (const [k, v] of Object.entries(node.TaggedAddresses ?? {})) labels[`${META}tagged_address_${sanitizeLabelName(k)}`] = v;
  return labels;
}

/** The group for one service: source is the service name; service and datacenter are group labels. */
export function serviceGroup(name: string, datacenter: string, entries: readonly ServiceEntry[], tagSeparator: string): TargetGroup {
  return {
    source: name,
    labels: { [`${META}service`]: name, [`${META}dc`]: datacenter },
    targets: entries.map((e) => targetLabels(e, tagSeparator)),
  };
}
