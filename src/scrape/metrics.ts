/**
 * The scrape layer's own counters and timings, read by the server's `/metrics` collector
 * under Prometheus's `prometheus_target_*` names. Everything here is updated once per scrape
 * or per pool sync, never per sample.
 */
import { SummaryChild, type Objective } from '@pyrometer/client';
import type { Appendable } from '../storage/interface.js';
import type { ScrapeConfig } from '../config/scrape.js';
import type { Logger } from '../util/log.js';
import { ScrapeLoop, type Fetcher, type ScrapeStats } from './loop.js';
import type { Target } from './target.js';

/** Prometheus's objectives for its scrape summaries, over a 10-minute window in 5 steps. */
const OBJECTIVES: readonly Objective[] = [
  { quantile: 0.01, error: 0.001 },
  { quantile: 0.05, error: 0.005 },
  { quantile: 0.5, error: 0.05 },
  { quantile: 0.9, error: 0.01 },
  { quantile: 0.99, error: 0.001 },
];
export const SCRAPE_QUANTILES: readonly number[] = OBJECTIVES.map((o) => o.quantile);
const WINDOW_STEP_MS = 120_000;
const WINDOW_STEPS = 5;

function windowSummary(labels: Record<string, string>, name: string): SummaryChild {
  return new SummaryChild(Object.freeze(labels), OBJECTIVES, WINDOW_STEP_MS, WINDOW_STEPS, name);
}

/** Per scrape job; kept across config reloads of the job, dropped when the job goes away. */
export class PoolStats {
  syncs = 0;
  /** Targets whose labels were invalid (not those relabeling dropped). */
  syncFailures = 0;
  readonly syncLength: SummaryChild;
  readonly labels: Readonly<Record<string, string>>;

  constructor(job: string) {
    this.labels = Object.freeze({ scrape_job: job });
    this.syncLength = windowSummary({ scrape_job: job }, 'prometheus_target_sync_length_seconds');
  }
}

export class ScrapeMetrics {
  /** Actual time between scrape starts, by configured interval in Go's duration format. */
  readonly intervalLength = new Map<string, SummaryChild>();
  /** Time to rebuild a pool whose config changed, by its new interval. */
  readonly reloadLength = new Map<string, SummaryChild>();
  readonly pools = new Map<string, PoolStats>();
  poolsCreated = 0;
  poolsFailed = 0;
  poolReloads = 0;
  poolReloadsFailed = 0;
  exceededTargetLimit = 0;
  exceededLabelLimits = 0;
  exceededSampleLimit = 0;
  exceededBodySizeLimit = 0;
  sampleOutOfOrder = 0;
  sampleDuplicate = 0;
  sampleOutOfBounds = 0;
  exemplarOutOfOrder = 0;

  pool(job: string): PoolStats {
    let p = this.pools.get(job);
    if (!p) this.pools.set(job, (p = new PoolStats(job)));
    return p;
  }

  intervalSummary(intervalMs: number): SummaryChild {
    return byInterval(this.intervalLength, intervalMs, 'prometheus_target_interval_length_seconds');
  }

  reloadSummary(intervalMs: number): SummaryChild {
    return byInterval(this.reloadLength, intervalMs, 'prometheus_target_reload_length_seconds');
  }

  /** Counts what one finished scrape reported; the loop's errors are told apart by their message. */
  countScrape(stats: ScrapeStats, error: string): void {
    this.sampleOutOfOrder += stats.outOfOrder;
    this.sampleDuplicate += stats.duplicate;
    this.sampleOutOfBounds += stats.outOfBounds;
    this.exemplarOutOfOrder += stats.exemplarsOutOfOrder;
    if (error === '') return;
    if (error.startsWith('sample limit exceeded')) this.exceededSampleLimit++;
    else if (error.startsWith('body size limit exceeded')) this.exceededBodySizeLimit++;
    else if (/^label_(name_length_|value_length_)?limit exceeded/.test(error)) this.exceededLabelLimits++;
  }
}

/**
 * A scrape loop that reports to `ScrapeMetrics`: the time since its previous scrape started
 * (Prometheus's `prometheus_target_interval_length_seconds`) and each scrape's rejected samples.
 */
export class MeteredScrapeLoop extends ScrapeLoop {
  /** Size of `metadata` (`prometheus_target_metadata_cache_*`), measured once per scrape so /metrics only sums. */
  metadataEntries = 0;
  metadataBytes = 0;
  private previousStart = 0;
  private readonly interval: SummaryChild;

  constructor(
    target: Target,
    cfg: ScrapeConfig,
    storage: Appendable,
    log: Logger,
    private readonly metrics: ScrapeMetrics,
    fetcher?: Fetcher,
  ) {
    super(target, cfg, storage, log, fetcher);
    this.interval = metrics.intervalSummary(target.intervalMs());
  }

  override async scrapeOnce(ts: number): Promise<void> {
    const now = performance.now();
    if (this.previousStart > 0) this.interval.observe((now - this.previousStart) / 1000);
    this.previousStart = now;
    const before = this.lastStats;
    await super.scrapeOnce(ts);
    // A scrape cut short by stop() reports nothing (its stats object was never replaced).
    if (this.lastStats !== before) this.metrics.countScrape(this.lastStats, this.lastError);
    this.measureMetadata();
  }

  /** String lengths, as upstream sums Go string lengths; V8 keeps ASCII text at one byte per character. */
  private measureMetadata(): void {
    let bytes = 0;
    for (const [name, md] of this.metadata) bytes += name.length + md.help.length + md.unit.length + md.type.length;
    this.metadataEntries = this.metadata.size;
    this.metadataBytes = bytes;
  }
}

function byInterval(m: Map<string, SummaryChild>, intervalMs: number, name: string): SummaryChild {
  const interval = goDuration(intervalMs);
  let s = m.get(interval);
  if (!s) m.set(interval, (s = windowSummary({ interval }, name)));
  return s;
}

/** Go's time.Duration String() for whole milliseconds ("15s", "1m0s", "1.5s", "500ms"), as Prometheus labels intervals. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
