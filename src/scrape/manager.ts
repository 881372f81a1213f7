/**
 * Scrape pools, one per job: keeps one loop per target in step with discovery, and on
 * config reload keeps the pools whose config did not change (their loops keep running).
 */
import type { ScrapeConfig } from '../config/scrape.js';
import type { TargetSets } from '../discovery/manager.js';
import type { Labels } from '../model/labels.js';
import type { Appendable } from '../storage/interface.js';
import { nopLogger, type Logger } from '../util/log.js';
import { MeteredScrapeLoop, ScrapeMetrics } from './metrics.js';
import { targetsFromGroups } from './target.js';

export class ScrapePool {
  readonly loops = new Map<string, MeteredScrapeLoop>();
  dropped: Labels[] = [];
  droppedTotal = 0;

  constructor(
    readonly cfg: ScrapeConfig,
    private readonly storage: Appendable,
    private readonly log: Logger,
    private readonly metrics: ScrapeMetrics = new ScrapeMetrics(),
  ) {}

  /** Starts loops for new targets and stops those that disappeared. */
  async sync(groups: Parameters<typeof targetsFromGroups>[0]): Promise<void> {
    const started = performance.now();
    const stats = this.metrics.pool(this.cfg.job_name);
    stats.syncs++;
    const { active, dropped, droppedTotal, errors } = targetsFromGroups(groups, this.cfg);
    stats.syncFailures += errors.length;
    for (const e of errors) this.log.warn('Creating target failed', { err: e });
    const limit = this.cfg.target_limit;
    if (limit > 0 && active.length > limit) {
      this.metrics.exceededTargetLimit++;
      this.log.error('Target limit exceeded; stopping all targets of the pool', { targets: active.length, limit });
      active.length = 0;
    }
    this.dropped = dropped;
    this.droppedTotal = droppedTotal;
    const wanted = new Set<string>();
    for (const t of active) {
      const key = t.key();
      wanted.add(key);
      if (!this.loops.has(key)) {
        const loop = new MeteredScrapeLoop(t, this.cfg, this.storage, this.log, this.metrics);
        this.loops.set(key, loop);
        loop.start();
      }
    }
    const stopping: Promise<void>[] = [];
    for (const [key, loop] of this.loops) {
      if (!wanted.has(key)) {
        this.loops.delete(key);
        stopping.push(loop.stop());
      }
    }
    await Promise.all(stopping);
    stats.syncLength.observe((performance.now() - started) / 1000);
  }

  /** Stops every loop; `markStale` writes staleness markers (not on shutdown, as upstream). */
  async stop(markStale = true): Promise<void> {
    await Promise.all([...this.loops.values()].map((l) => l.stop(markStale)));
    this.loops.clear();
  }
}

export class ScrapeManager {
  readonly pools = new Map<string, ScrapePool>();
  readonly metrics = new ScrapeMetrics();
  private lastSets: TargetSets = new Map();

  constructor(
    private readonly storage: Appendable,
    private readonly log: Logger = nopLogger,
  ) {}

  /** Applies a (re)loaded config: pools with an unchanged job config keep running. */
  async applyConfig(jobs: ScrapeConfig[]): Promise<void> {
    const started = performance.now();
    const byName = new Map(jobs.map((j) => [j.job_name, j]));
    const stopping: Promise<void>[] = [];
    // A job whose config changed is reloaded (Prometheus restarts its loops in place; here the pool is rebuilt).
    const reloading = new Set<string>();
    for (const [name, pool] of this.pools) {
      const next = byName.get(name);
      if (!next || fingerprint(next) !== fingerprint(pool.cfg)) {
        this.pools.delete(name);
        if (next) reloading.add(name);
        else this.metrics.pools.delete(name);
        stopping.push(pool.stop());
      }
    }
    await Promise.all(stopping);
    for (const job of jobs) {
      if (this.pools.has(job.job_name)) continue;
      const reload = reloading.has(job.job_name);
      if (reload) this.metrics.poolReloads++;
      else this.metrics.poolsCreated++;
      const pool = new ScrapePool(job, this.storage, this.log.with({ scrape_pool: job.job_name }), this.metrics);
      this.pools.set(job.job_name, pool);
      const groups = this.lastSets.get(job.job_name);
      try {
        if (groups) await pool.sync(groups);
      } catch (e) {
        if (reload) this.metrics.poolReloadsFailed++;
        else this.metrics.poolsFailed++;
        throw e;
      }
      // Pools stop together, so a reload's time runs from the start of the whole reload.
      if (reload) this.metrics.reloadSummary(job.scrape_interval!).observe((performance.now() - started) / 1000);
    }
  }

  /** Receives discovery updates. */
  async sync(sets: TargetSets): Promise<void> {
    this.lastSets = sets;
    await Promise.all([...sets].map(([name, groups]) => this.pools.get(name)?.sync(groups)));
  }

  /** Shutdown: series are not marked stale, so a restarted server continues them (as Prometheus). */
  async stop(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.stop(false)));
    this.pools.clear();
  }
}

/** Config identity for reloads; secrets compare by value, unlike the dump. */
function fingerprint(cfg: ScrapeConfig): string {
  return JSON.stringify(cfg, (_k, v) => (v && typeof v === 'object' && 'value' in v && v.constructor?.name === 'Secret' ? `secret:${v.value}` : v instanceof RegExp ? v.source : v));
}
