/**
 * Keeps a local copy of one kind of object (in one namespace, or all) in sync with the API
 * server, as client-go's reflector does: LIST, then WATCH from the list's resourceVersion.
 * A watch the server ends normally resumes from the last version seen; an expired version
 * (410 Gone, as a status or an ERROR event) relists at once; any other failure relists after
 * an exponential backoff. A relist reports objects that vanished meanwhile as deleted.
 */
import { sleep } from '../discoverer.js';
import { HttpStatusError } from '../http-client.js';
import type { Logger } from '../../util/log.js';
import type { KubeClient, Resource, Selector } from './client.js';
import { objectKey, type KubeObject } from './types.js';

export interface InformerOptions {
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Watches shorter than this that end without events count as failures (no hot loop). */
  minWatchMs?: number;
}

/** Called for every change; `obj` is undefined when the object was deleted. */
export type ChangeHandler<T> = (key: string, obj: T | undefined) => void;

export type ChangeEvent = 'add' | 'update' | 'delete';

/** Counters behind upstream's `prometheus_sd_kubernetes_events_total` and `_failures_total`. */
export class KubernetesSdStats {
  /** Failed LIST and WATCH requests. */
  failures = 0;
  /** Object events by `<kind>/<add|update|delete>`, kind as upstream's role label (`pod`, `service`, ...). */
  readonly events = new Map<string, number>();
}

class ResourceVersionExpired extends Error {}

export class Informer<T extends KubeObject> {
  readonly store = new Map<string, T>();
  synced = false;
  private readonly backoffMinMs: number;
  private readonly backoffMaxMs: number;
  private readonly minWatchMs: number;

  constructor(
    private readonly client: KubeClient,
    private readonly resource: Resource,
    private readonly namespace: string | undefined,
    private readonly selector: Selector,
    private readonly log: Logger,
    private readonly onChange: ChangeHandler<T>,
    private readonly onSynced: () => void,
    private readonly stats: KubernetesSdStats,
    private readonly kind: string,
    opts: InformerOptions = {},
  ) {
    this.backoffMinMs = opts.backoffMinMs ?? 800;
    this.backoffMaxMs = opts.backoffMaxMs ?? 30_000;
    this.minWatchMs = opts.minWatchMs ?? 1000;
  }

  async run(signal: AbortSignal): Promise<void> {
    let backoff = this.backoffMinMs;
    while (!signal.aborted) {
      try {
        let version = await this.relist(signal);
        backoff = this.backoffMinMs;
        for (;;) version = await this.watch(version, signal);
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof ResourceVersionExpired) {
          this.log.debug('resource version expired, relisting', { resource: this.resource.plural, namespace: this.namespace });
          continue;
        }
        this.stats.failures++;
        this.log.warn('list/watch failed, retrying', { resource: this.resource.plural, namespace: this.namespace, err: e, retry_in_ms: backoff });
        // Jitter spreads the retries of many informers after an API server restart.
        await sleep(backoff * (1 + Math.random() * 0.5), signal);
        backoff = Math.min(backoff * 2, this.backoffMaxMs);
      }
    }
  }

  private async relist(signal: AbortSignal): Promise<string> {
    let list;
    try {
      list = await this.client.list<T>(this.resource, this.namespace, this.selector, signal);
    } catch (e) {
      // An expired continue token restarts the list; anything else is a failure.
      if (e instanceof HttpStatusError && e.status === 410) throw new ResourceVersionExpired();
      throw e;
    }
    const seen = new Set<string>();
    for (const item of list.items) {
      const key = objectKey(item.metadata);
      seen.add(key);
      this.apply(key, item);
    }
    for (const key of [...this.store.keys()]) if (!seen.has(key)) this.apply(key, undefined);
    if (!this.synced) {
      this.synced = true;
      this.onSynced();
    }
    return list.resourceVersion;
  }

  /** Updates the store, counts the event and reports the change. */
  private apply(key: string, obj: T | undefined): void {
    const event: ChangeEvent = obj ? (this.store.has(key) ? 'update' : 'add') : 'delete';
    if (obj) {
      delete obj.metadata.managedFields;
      this.store.set(key, obj);
    }
    else if (!this.store.delete(key)) return;
    const counter = `${this.kind}/${event}`;
    this.stats.events.set(counter, (this.stats.events.get(counter) ?? 0) + 1);
    this.onChange(key, obj);
  }

  /** Watches until the stream ends; returns the version to resume from. */
  private async watch(version: string, signal: AbortSignal): Promise<string> {
    const started = Date.now();
    let events = 0;
    // The server ends each watch after 5 to 10 minutes, like client-go asks it to.
    const timeoutSeconds = Math.floor(300 * (1 + Math.random()));
    try {
      for await (const ev of this.client.watch(this.resource, this.namespace, this.selector, version, timeoutSeconds, signal)) {
        events++;
        const obj = ev.object as T;
        switch (ev.type) {
          case 'ADDED':
          case 'MODIFIED':
            this.apply(objectKey(obj.metadata), obj);
            break;
          case 'DELETED':
            this.apply(objectKey(obj.metadata), undefined);
            break;
          case 'BOOKMARK':
            break;
          case 'ERROR':
            if (ev.object.code === 410) throw new ResourceVersionExpired();
            throw new Error(`watch error: ${ev.object.message ?? JSON.stringify(ev.object)}`);
          default:
            throw new Error(`unexpected watch event type ${JSON.stringify((ev as { type: unknown }).type)}`);
        }
        version = obj.metadata?.resourceVersion || version;
      }
    } catch (e) {
      if (e instanceof HttpStatusError && e.status === 410) throw new ResourceVersionExpired();
      throw e;
    }
    if (events === 0 && Date.now() - started < this.minWatchMs) throw new Error('watch ended immediately');
    return version;
  }
}
