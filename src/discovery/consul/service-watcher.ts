/**
 * Watches one Consul service with blocking queries on `/v1/health/service/<name>` and hands
 * every changed instance list on as the service's target group.
 */
import type { Logger } from '../../util/log.js';
import { sleep } from '../discoverer.js';
import type { TargetGroup } from '../targetgroup.js';
import { BlockingIndex, type ConsulClient } from './client.js';
import { serviceGroup } from './labels.js';

export interface WatchTiming {
  /** Minimum time between the starts of two queries (`refresh_interval`). */
  refreshMs: number;
  /** Pause after a failed query before the next (upstream: 15 s). */
  retryMs: number;
}

export interface ServiceWatchSettings extends WatchTiming {
  datacenter: string;
  tags: readonly string[];
  tagSeparator: string;
}

export class ServiceWatcher {
  private readonly controller = new AbortController();
  private readonly done: Promise<void>;

  constructor(
    readonly name: string,
    private readonly client: ConsulClient,
    private readonly settings: ServiceWatchSettings,
    private readonly log: Logger,
    private readonly onGroup: (group: TargetGroup) => void,
    private readonly onFailure: () => void,
  ) {
    // Its own signal, not a listener on the discoverer's: thousands of services would mean
    // thousands of listeners there. The discoverer stops every watcher when it ends.
    this.done = this.loop();
  }

  /** Stops watching: no group is handed on once called; resolves when the loop has ended. */
  stop(): Promise<void> {
    this.controller.abort();
    return this.done;
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    const { refreshMs, retryMs, tags } = this.settings;
    const index = new BlockingIndex();
    while (!signal.aborted) {
      const started = Date.now();
      try {
        const res = await this.client.healthService(this.name, tags, index.value, signal);
        if (signal.aborted) return;
        // The same index as last time means the wait ended without a change.
        if (index.observe(res.index)) {
          this.onGroup(serviceGroup(this.name, this.settings.datacenter, res.value, this.settings.tagSeparator));
        }
      } catch (e) {
        if (signal.aborted) return;
        this.onFailure();
        this.log.error('Error refreshing service', { service: this.name, tags: tags.join(','), err: e });
        if (!(await sleep(retryMs, signal))) return;
      }
      if (!(await sleep(Math.max(0, started + refreshMs - Date.now()), signal))) return;
    }
  }
}
