/**
 * Runs the discoverers of every target set (a scrape job, or an Alertmanager set) and
 * hands the merged groups to a consumer. Updates are coalesced: the first arrives at once,
 * later ones at most every `updateIntervalMs` (Prometheus uses 5 s), so a flapping
 * mechanism cannot make scraping re-sync continuously.
 */
import { nopLogger, type Logger } from '../util/log.js';
import type { Discoverer } from './discoverer.js';
import { addMechanismCounts, copyMechanismCounts, DiscoveryStats, type MechanismCounts } from './metrics.js';
import type { TargetGroup } from './targetgroup.js';

export type TargetSets = Map<string, TargetGroup[]>;

interface Running {
  controller: AbortController;
  discoverers: Discoverer[];
  /** Discoverers whose run() failed (they send nothing more until the next reload). */
  failed: number;
  /** Groups per provider index, by source. */
  groups: Map<number, Map<string, TargetGroup>>;
}

export class DiscoveryManager {
  private sets = new Map<string, Running>();
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  readonly stats = new DiscoveryStats();

  constructor(
    private readonly onUpdate: (sets: TargetSets) => void,
    private readonly log: Logger = nopLogger,
    private readonly updateIntervalMs = 5000,
    /** Which consumer this manager feeds ("scrape" or "notify"): the `name` label of its metrics. */
    readonly name = 'scrape',
  ) {}

  /** Replaces all target sets with the given discoverers (by set name). */
  apply(providers: Map<string, Discoverer[]>): void {
    this.retireAll();
    this.sets = new Map();
    for (const [name, discoverers] of providers) {
      const running: Running = { controller: new AbortController(), discoverers, failed: 0, groups: new Map() };
      this.sets.set(name, running);
      discoverers.forEach((d, i) => {
        running.groups.set(i, new Map());
        d.run(running.controller.signal, (groups) => this.receive(running, i, groups)).catch((e) => {
          if (!running.controller.signal.aborted) running.failed++;
          this.log.error('Discoverer failed', { set: name, err: e });
        });
      });
    }
    this.markDirty();
  }

  /** Stops every running discoverer, keeping its failure counts. */
  private retireAll(): void {
    for (const running of this.sets.values()) {
      running.controller.abort();
      for (const d of running.discoverers) addMechanismCounts(this.stats.retired, d);
    }
  }

  private receive(running: Running, provider: number, groups: TargetGroup[]): void {
    if (running.controller.signal.aborted) return;
    this.stats.receivedUpdates++;
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
    this.stats.updates++;
    this.onUpdate(this.current());
  }

  /** Targets currently discovered per set (all groups of all its mechanisms). */
  discoveredTargets(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [name, running] of this.sets) {
      let n = 0;
      for (const bySource of running.groups.values()) for (const g of bySource.values()) n += g.targets.length;
      out.set(name, n);
    }
    return out;
  }

  /** Discoverers of the current config whose run failed. */
  failedConfigs(): number {
    let n = 0;
    for (const running of this.sets.values()) n += running.failed;
    return n;
  }

  /** Mechanism failure counts since start, over current and retired discoverers. */
  mechanismCounts(): MechanismCounts {
    const out = copyMechanismCounts(this.stats.retired);
    for (const running of this.sets.values()) for (const d of running.discoverers) addMechanismCounts(out, d);
    return out;
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
    this.retireAll();
    this.sets.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
