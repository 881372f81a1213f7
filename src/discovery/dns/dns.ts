/**
 * `dns_sd_configs`: targets from SRV, A, AAAA, MX or NS records, re-resolved every
 * `refresh_interval`, with upstream's `__meta_dns_*` labels. A failed lookup keeps the
 * name's previous targets and is logged.
 */
import { Resolver } from 'node:dns/promises';
import type { DnsSdConfig } from '../../config/sd.js';
import { nopLogger, type Logger } from '../../util/log.js';
import { sleep, type Discoverer } from '../discoverer.js';
import type { TargetGroup } from '../targetgroup.js';

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export class DnsDiscoverer implements Discoverer {
  private readonly resolver: Resolver;
  /** Names looked up, and lookups that failed (prometheus_sd_dns_lookups_total, ..._failures_total). */
  lookups = 0;
  failures = 0;

  /** `servers` overrides the system resolvers (tests). */
  constructor(
    private readonly cfg: DnsSdConfig,
    private readonly log: Logger = nopLogger,
    servers?: string[],
  ) {
    this.resolver = new Resolver({ timeout: 5000, tries: 2 });
    if (servers) this.resolver.setServers(servers);
  }

  async run(signal: AbortSignal, send: (groups: TargetGroup[]) => void): Promise<void> {
    while (!signal.aborted) {
      const groups: TargetGroup[] = [];
      for (const name of this.cfg.names) {
        this.lookups++;
        try {
          groups.push(await this.lookup(name));
        } catch (e) {
          this.failures++;
          this.log.error('Error refreshing DNS targets', { name, err: e });
        }
      }
      if (groups.length) send(groups);
      if (!(await sleep(this.cfg.refresh_interval, signal))) return;
    }
  }

  /** One name's targets; rooted names in the meta labels keep their final dot, as upstream. */
  async lookup(name: string): Promise<TargetGroup> {
    const port = this.cfg.port;
    const base = { __meta_dns_name: name, __meta_dns_srv_record_target: '', __meta_dns_srv_record_port: '', __meta_dns_mx_record_target: '', __meta_dns_ns_record_target: '' };
    const targets: Record<string, string>[] = [];
    switch (this.cfg.type) {
      case 'SRV':
        for (const r of await this.resolver.resolveSrv(name)) {
          targets.push({ ...base, __address__: hostPort(r.name, r.port), __meta_dns_srv_record_target: `${r.name}.`, __meta_dns_srv_record_port: String(r.port) });
        }
        break;
      case 'A':
        for (const ip of await this.resolver.resolve4(name)) targets.push({ ...base, __address__: hostPort(ip, port) });
        break;
      case 'AAAA':
        for (const ip of await this.resolver.resolve6(name)) targets.push({ ...base, __address__: hostPort(ip, port) });
        break;
      case 'MX':
        for (const r of await this.resolver.resolveMx(name)) {
          targets.push({ ...base, __address__: hostPort(r.exchange, port), __meta_dns_mx_record_target: `${r.exchange}.` });
        }
        break;
      case 'NS':
        for (const ns of await this.resolver.resolveNs(name)) {
          targets.push({ ...base, __address__: hostPort(ns, port), __meta_dns_ns_record_target: `${ns}.` });
        }
        break;
    }
    return { source: name, labels: {}, targets };
  }
}
