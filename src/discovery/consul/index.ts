/**
 * `consul_sd_configs`: one target group per Consul service (source = the service name),
 * kept current with blocking queries as upstream's Consul SD does. Without a fixed list of
 * services (or with `tags` or `filter`), the catalog's service list is watched too and a
 * service watcher starts or stops as services appear or disappear.
 */
import type { ConsulSdConfig } from '../../config/sd.js';
import { nopLogger, type Logger } from '../../util/log.js';
import { sleep, type Discoverer } from '../discoverer.js';
import type { TargetGroup } from '../targetgroup.js';
import { BlockingIndex, ConsulClient } from './client.js';
import { ServiceWatcher, type WatchTiming } from './service-watcher.js';

export interface ConsulTiming {
  /** The `wait` of every blocking query (upstream: 2 minutes). */
  watchTimeoutMs: number;
  /** Pause after a failed call (upstream: 15 s). */
  retryIntervalMs: number;
}

const DEFAULT_TIMING: ConsulTiming = { watchTimeoutMs: 120_000, retryIntervalMs: 15_000 };

export class ConsulDiscoverer implements Discoverer {
  /** Failed Consul calls (upstream's prometheus_sd_consul_rpc_failures_total). */
  failures = 0;
  private readonly timing: ConsulTiming;

  /** `timing` shortens the upstream waits (tests). */
  constructor(
    private readonly cfg: ConsulSdConfig,
    private readonly log: Logger = nopLogger,
    timing: Partial<ConsulTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
  }

  async run(signal: AbortSignal, send: (groups: TargetGroup[]) => void): Promise<void> {
    let client: ConsulClient;
    try {
      client = new ConsulClient(this.cfg, this.timing.watchTimeoutMs);
    } catch (e) {
      this.log.error('Cannot create the Consul client', { err: e });
      return;
    }
    const watchers = new Map<string, ServiceWatcher>();
    try {
      const datacenter = await this.datacenter(client, signal);
      if (datacenter === undefined) return;
      const log = this.log.with({ datacenter });
      const groups = new Map<string, TargetGroup>();
      // Every send carries all current groups; a stopped service's group goes out empty once.
      const publish = (removed: string[] = []) => {
        send([...groups.values(), ...removed.map((source) => ({ source, targets: [], labels: {} }))]);
      };
      const timing: WatchTiming = { refreshMs: this.cfg.refresh_interval, retryMs: this.timing.retryIntervalMs };
      const startWatcher = (name: string) => {
        const watcher = new ServiceWatcher(
          name,
          client,
          { ...timing, datacenter, tags: this.cfg.tags, tagSeparator: this.cfg.tag_separator },
          log,
          (group) => {
            groups.set(name, group);
            publish();
          },
          () => this.failures++,
        );
        watchers.set(name, watcher);
      };

      if (this.cfg.services.length > 0 && this.cfg.tags.length === 0 && !this.cfg.filter) {
        for (const name of this.cfg.services) startWatcher(name);
        await aborted(signal);
        return;
      }
      await this.watchCatalog(client, signal, log, watchers, (names) => {
        for (const name of names.added) startWatcher(name);
        for (const name of names.removed) {
          void watchers.get(name)?.stop();
          watchers.delete(name);
          groups.delete(name);
        }
        // Also sent when nothing is watched, so consumers learn the (empty) result.
        if (names.removed.length > 0 || watchers.size === 0) publish(names.removed);
      });
    } finally {
      await Promise.all([...watchers.values()].map((w) => w.stop()));
      client.close();
    }
  }

  /** The configured datacenter, or the agent's; retried until known. Undefined when aborted. */
  private async datacenter(client: ConsulClient, signal: AbortSignal): Promise<string | undefined> {
    if (this.cfg.datacenter) return this.cfg.datacenter;
    while (!signal.aborted) {
      try {
        return await client.agentDatacenter(signal);
      } catch (e) {
        if (signal.aborted) return undefined;
        this.failures++;
        this.log.error('Error retrieving datacenter name', { err: e });
        if (!(await sleep(this.timing.retryIntervalMs, signal))) return undefined;
      }
    }
    return undefined;
  }

  /**
   * Watches `/v1/catalog/services`. Services matching `services` and carrying every one of
   * `tags` are added; watched services missing from the catalog are removed.
   */
  private async watchCatalog(
    client: ConsulClient,
    signal: AbortSignal,
    log: Logger,
    watchers: ReadonlyMap<string, ServiceWatcher>,
    apply: (change: { added: string[]; removed: string[] }) => void,
  ): Promise<void> {
    const index = new BlockingIndex();
    while (!signal.aborted) {
      const started = Date.now();
      try {
        const res = await client.catalogServices(index.value, signal);
        if (signal.aborted) return;
        if (index.observe(res.index)) {
          const catalog = res.value;
          const added = Object.keys(catalog).filter((name) => !watchers.has(name) && this.shouldWatch(name, catalog[name]));
          const removed = [...watchers.keys()].filter((name) => !(name in catalog));
          apply({ added, removed });
        }
      } catch (e) {
        if (signal.aborted) return;
        this.failures++;
        log.error('Error refreshing service list', { err: e });
        if (!(await sleep(this.timing.retryIntervalMs, signal))) return;
      }
      if (!(await sleep(Math.max(0, started + this.cfg.refresh_interval - Date.now()), signal))) return;
    }
  }

  private shouldWatch(name: string, tags: readonly string[]): boolean {
    if (this.cfg.services.length > 0 && !this.cfg.services.includes(name)) return false;
    return this.cfg.tags.every((t) => tags.includes(t));
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
