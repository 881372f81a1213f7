/** Builds the discoverers for one config section's `*_sd_configs` and `static_configs`. */
import type { SdConfigs } from '../config/sd.js';
import { nopLogger, type Logger } from '../util/log.js';
import type { Discoverer } from './discoverer.js';
import { ConsulDiscoverer } from './consul/index.js';
import { DnsDiscoverer } from './dns/dns.js';
import { FileDiscoverer } from './file/file.js';
import { HttpDiscoverer } from './http/http.js';
import { KubernetesDiscoverer } from './kubernetes/index.js';
import { StaticDiscoverer } from './static/static.js';

const SUPPORTED = ['file_sd_configs', 'http_sd_configs', 'dns_sd_configs', 'kubernetes_sd_configs', 'consul_sd_configs'];

export function discoverersFor(cfg: SdConfigs, log: Logger = nopLogger): Discoverer[] {
  const out: Discoverer[] = [];
  if (cfg.static_configs.length > 0) out.push(new StaticDiscoverer(cfg.static_configs));
  for (const f of cfg.file_sd_configs) out.push(new FileDiscoverer(f, log.with({ discovery: 'file' })));
  for (const h of cfg.http_sd_configs) out.push(new HttpDiscoverer(h, log.with({ discovery: 'http' })));
  for (const d of cfg.dns_sd_configs) out.push(new DnsDiscoverer(d, log.with({ discovery: 'dns' })));
  for (const k of cfg.kubernetes_sd_configs) out.push(new KubernetesDiscoverer(k, log.with({ discovery: 'kubernetes' })));
  for (const c of cfg.consul_sd_configs) out.push(new ConsulDiscoverer(c, log.with({ discovery: 'consul' })));
  for (const key of Object.keys(cfg) as (keyof SdConfigs)[]) {
    if (!String(key).endsWith('_sd_configs') || SUPPORTED.includes(String(key))) continue;
    const list = cfg[key] as unknown[];
    if (Array.isArray(list) && list.length > 0) {
      log.warn('Service discovery mechanism is not supported yet; its targets are ignored', { mechanism: key });
    }
  }
  return out;
}
