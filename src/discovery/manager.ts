/**
 * Runs the discoverers of every target set (a scrape job, or an Alertmanager set) and
 * hands the merged groups to a consumer. Updates are coalesced: the first arrives at once,
 * later ones at most every `updateIntervalMs` (Prometheus uses 5 s), so a flapping
 * mechanism cannot make scraping re-sync continuously.
 */
import { nopLogger, type Logger } from '../util/log.js';
import type { Discoverer } from './discoverer.js';
import type { TargetGroup } from './targetgroup.js';

export type TargetSets = Map<string, TargetGroup[]>;

interface Running {
  controller: AbortController;
  /** Groups per provider index, by source. */
  groups: Map<number, Map<string, TargetGroup>>;
}

export class DiscoveryManager {
  private sets = new Map<string, Running>();
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;

  constructor(
    private readonly onUpdate: (sets: TargetSets) => void,
    private readonly log: Logger = nopLogger,
    private readonly updateIntervalMs = 5000,
  ) {}

  /** Replaces all target sets with the given discoverers (by set name). */
  apply(providers: Map<string, Discoverer[]>): void {
    for (const running of this.sets.values()) running.controller.abort();
    this.sets = new Map();
    for (const [name, discoverers] of providers) {
      const running: Running = { controller: new AbortController(), groups: new Map() };
      this.sets.set(name, running);
      discoverers.forEach((d, i) => {
        running.groups.set(i, new Map());
        d.run(running.controller.signal, (groups) => this.receive(running, i, groups)).catch((e) => {
          this.log.error('Discoverer failed', { set: name, err: e });
        });
      });
    }
    this.markDirty();
  }

  private receive(running: Running, provider: number, groups: TargetGroup[]): void {
    if (running.controller.signal.aborted) return;
    const bySource = running.groups.get(provider)!;
    for (const g of groups) {
      if (g.targets.length === 0) bySource.delete(g.source);
      else bySource.set(g.source, g);
    }
    this.markDirty();
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.updateIntervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    if (!this.dirty) return;
    this.dirty = false;
    this.lastFlush = Date.now();
    this.onUpdate(this.current());
  }

  /** The merged groups of every set right now. */
  current(): TargetSets {
    const out: TargetSets = new Map();
    for (const [name, running] of this.sets) {
      const all: TargetGroup[] = [];
      for (const [provider, bySource] of running.groups) {
        for (const g of bySource.values()) all.push({ ...g, source: `${provider}/${g.source}` });
      }
      out.set(name, all);
    }
    return out;
  }

  stop(): void {
    for (const running of this.sets.values()) running.controller.abort();
    this.sets.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
