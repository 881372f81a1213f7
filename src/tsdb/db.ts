/**
 * A Prometheus data directory: lock file, persistent blocks, the in-memory head and its WAL.
 * Opening replays the WAL into the head (`DB.openAsync` in slices, so a server answers requests
 * meanwhile and reports progress; `DB.open` at once, through the same code); a timer cuts the head into 2h blocks when it spans
 * 1.5 chunk ranges, checkpoints the WAL, compacts blocks by level and applies retention.
 */
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import { MergeQuerier } from '../storage/merge.js';
import type { Appender, Querier, Storage } from '../storage/interface.js';
import { nopLogger, type Logger } from '../util/log.js';
import { runSteps, runStepsAsync, type Steps } from '../util/steps.js';
import { Block } from './block/block.js';
import { persistBlock } from './block/persist.js';
import { applyRetention, cleanTombstones, compactDir, openBlocks } from './block/dbdir.js';
import { defaultBlockRanges } from './block/planner.js';
import { Head, DEFAULT_CHUNK_RANGE, type WalSeries } from './head/head.js';
import { WAL, WalSink, lastCheckpoint, replayWalSteps, segmentRange, truncateWal, type WalMetrics } from './wlog/index.js';
import type { ExemplarQueryResult } from './exemplar/circular.js';

export interface DBOptions {
  /** Time retention in ms (0: none). Prometheus's default is 15 days. */
  retentionMs?: number;
  /** Size retention in bytes (0: none). */
  retentionBytes?: number;
  /** Head chunk range and smallest block (Prometheus: 2h). */
  minBlockDuration?: number;
  outOfOrderTimeWindow?: number;
  walCompression?: boolean;
  /** How often to check for head compaction and retention (Prometheus: 1 minute). */
  compactIntervalMs?: number;
  /** Exemplar ring size; 0 (the default) keeps no exemplars, as without --enable-feature=exemplar-storage. */
  maxExemplars?: number;
  logger?: Logger;
  /** Called as WAL replay at open moves on: when it starts, at each segment, and when it is done. */
  onWalReplay?: (status: Readonly<WalReplayStatus>) => void;
}

/** WAL segments of the replay at open, as /api/v1/status/walreplay reports them. */
export interface WalReplayStatus {
  min: number;
  max: number;
  current: number;
}

export class LockError extends Error {}

export class DB implements Storage {
  readonly head: Head;
  private blocks: Block[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly walDir: string;
  private closed = false;
  /** Seconds the WAL replay took at open (for prometheus_tsdb_data_replay_duration_seconds). */
  replaySeconds = 0;
  /** Replay runs inside open, so once a DB is returned its replay is complete: current = max. */
  walReplayStatus: WalReplayStatus = { min: 0, max: 0, current: 0 };
  readonly corruptedBlocks: { dir: string; error: Error }[] = [];

  /** Opened after replay, so replay reads the WAL as the last process left it. */
  private wal!: WAL;
  private sink!: WalSink;

  /** The WAL writer's counters for `/metrics`; undefined until the writer opens (after replay). */
  walStats(): { readonly metrics: Readonly<WalMetrics>; readonly currentSegment: number } | undefined {
    const wal = this.wal as WAL | undefined;
    if (!wal) return undefined;
    return { metrics: wal.metrics, currentSegment: wal.currentSegment() };
  }

  private constructor(
    readonly dir: string,
    private readonly opts: Required<Omit<DBOptions, 'logger' | 'onWalReplay'>>,
    private readonly log: Logger,
  ) {
    this.walDir = join(dir, 'wal');
    this.head = new Head({
      chunkRange: opts.minBlockDuration,
      outOfOrderTimeWindow: opts.outOfOrderTimeWindow,
      maxExemplars: opts.maxExemplars,
      wal: {
        log: (series: readonly WalSeries[], refs, ts, vs, n) => this.sink.commit({ series, samples: { refs, ts, vs, n } }),
        logTombstones: (stones) => this.sink.logTombstones(stones),
        logExemplars: (exemplars) => this.sink.commit({ exemplars }),
      },
    });
  }

  /** Opens the DB, replaying the WAL at once (tools and tests). */
  static open(dir: string, options: DBOptions = {}): DB {
    return runSteps(DB.opening(dir, options));
  }

  /**
   * Opens the DB, replaying the WAL in slices of a few tens of ms so the event loop serves
   * requests meanwhile. An abort stops replay between slices: nothing was written yet (the WAL
   * writer opens after replay), the lock is released and the promise rejects with the reason.
   */
  static openAsync(dir: string, options: DBOptions = {}, signal?: AbortSignal): Promise<DB> {
    return runStepsAsync(DB.opening(dir, options), signal);
  }

  private static *opening(dir: string, options: DBOptions): Steps<DB> {
    const log = options.logger ?? nopLogger;
    const opts = {
      retentionMs: options.retentionMs ?? 15 * 24 * 3600_000,
      retentionBytes: options.retentionBytes ?? 0,
      minBlockDuration: options.minBlockDuration ?? DEFAULT_CHUNK_RANGE,
      outOfOrderTimeWindow: options.outOfOrderTimeWindow ?? 0,
      walCompression: options.walCompression ?? true,
      compactIntervalMs: options.compactIntervalMs ?? 60_000,
      maxExemplars: options.maxExemplars ?? 0,
    };
    mkdirSync(dir, { recursive: true });
    acquireLock(dir);
    let pending: DB | undefined;
    try {
      const walDir = join(dir, 'wal');
      mkdirSync(walDir, { recursive: true });
      pending = new DB(dir, opts, log);
      pending.loadBlocks();
      // Replay before opening the WAL for writing: opening starts a fresh segment.
      yield* pending.replay(options.onWalReplay ?? (() => {}));
      pending.wal = WAL.open(walDir, { compress: opts.walCompression });
      pending.sink = new WalSink(pending.wal);
      // As in Prometheus, whose writer has opened its new segment before replay counts them.
      const last = segmentRange(walDir)?.last ?? 0;
      pending.walReplayStatus = { min: pending.walReplayStatus.min, max: last, current: last };
      options.onWalReplay?.(pending.walReplayStatus);
      pending.timer = setInterval(() => pending!.maintain(), opts.compactIntervalMs);
      pending.timer.unref();
      return pending;
    } catch (e) {
      if (pending) for (const b of pending.blocks) b.close();
      releaseLock(dir);
      throw e;
    }
  }

  private loadBlocks(): void {
    const { blocks, corrupted } = openBlocks(this.dir, { cleanup: true });
    for (const c of corrupted) {
      this.log.error('Block is corrupted and left out; the rest keeps serving', { block: c.dir, err: c.error });
    }
    this.corruptedBlocks.push(...corrupted);
    for (const b of this.blocks) b.close();
    this.blocks = blocks;
  }

  private *replay(progress: (status: Readonly<WalReplayStatus>) => void): Steps<void> {
    this.log.info('Replaying WAL, this may take a while', { dir: this.walDir });
    const started = performance.now();
    const cp = lastCheckpoint(this.walDir);
    const range = segmentRange(this.walDir);
    const min = cp ? cp.index + 1 : (range?.first ?? 0);
    // The writer opened after replay starts one more segment; Prometheus counts it in max from the start.
    const max = range ? range.last + 1 : 0;
    this.walReplayStatus = { min, max, current: min };
    progress(this.walReplayStatus);
    const stats = yield* replayWalSteps(
      this.walDir,
      {
        series: (list) => {
          for (const s of list) this.head.replaySeries(s.ref, s.labels);
        },
        samples: (b) => {
          this.head.replaySamples(b.refs, b.ts, b.vs, b.n);
        },
        tombstones: (stones) => this.head.replayTombstones(stones),
        exemplars: (list) => this.head.replayExemplars(list),
      },
      {
        logger: (msg) => this.log.info(msg, { component: 'wal' }),
        onSegment: (index) => {
          this.walReplayStatus = { min, max, current: index };
          progress(this.walReplayStatus);
        },
      },
    );
    this.head.replayDone();
    // Samples older than the newest block belong to it; keep the head from reaching back.
    const lastBlockEnd = this.blocks.length ? Math.max(...this.blocks.map((b) => b.meta.maxTime)) : -Infinity;
    if (lastBlockEnd > -Infinity && this.head.minTime() < lastBlockEnd) this.head.truncate(lastBlockEnd);
    this.replaySeconds = (performance.now() - started) / 1000;
    if (stats.repaired) this.log.warn('WAL tail was corrupted and repaired', { ...stats.repaired });
    this.log.info('WAL replay completed', {
      segments: stats.segments,
      series: stats.series,
      samples: stats.samples,
      duration: `${this.replaySeconds.toFixed(3)}s`,
    });
  }

  appender(): Appender {
    return this.head.appender();
  }

  querier(mint: number, maxt: number): Querier {
    const qs: Querier[] = [];
    for (const b of this.blocks) if (b.overlaps(mint, maxt)) qs.push(b.querier(mint, maxt));
    qs.push(this.head.querier(mint, maxt));
    return qs.length === 1 ? qs[0] : new MergeQuerier(qs);
  }

  startTime(): number {
    if (this.blocks.length > 0) return this.blocks[0].meta.minTime;
    const t = this.head.minTime();
    return Number.isFinite(t) ? t : Date.now();
  }

  listBlocks(): readonly Block[] {
    return this.blocks;
  }

  /**
   * Deletes the samples in [mint, maxt] of the series matching all `matchers`, in the blocks
   * (tombstone files, written at once) and in the head (tombstones in the WAL), as Prometheus's
   * DB.Delete. The data stays on disk until compaction or cleanTombstones rewrites it.
   */
  async deleteSeries(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<void> {
    // An empty range deletes nothing (Prometheus accepts it too).
    if (mint > maxt) return;
    for (const b of this.blocks) if (b.overlaps(mint, maxt)) b.delete(mint, maxt, matchers);
    await this.head.delete(mint, maxt, matchers);
  }

  /**
   * Rewrites every block that has tombstones without the deleted data (a block left empty
   * disappears), then reloads the blocks. Head deletions are applied when the head is compacted.
   */
  cleanTombstones(): void {
    const started = performance.now();
    let rewritten = 0;
    for (const b of this.blocks) {
      if (b.tombstones.count() === 0) continue;
      const ulid = cleanTombstones(b);
      this.log.info('Block rewritten without deleted data', { old: b.ulid, new: ulid ?? '(empty, removed)' });
      rewritten++;
    }
    if (rewritten === 0) return;
    this.loadBlocks();
    this.log.info('Cleaned tombstones', { blocks: rewritten, duration: `${((performance.now() - started) / 1000).toFixed(3)}s` });
  }

  /**
   * Applies storage.exemplars.max_exemplars on config reload, keeping the newest exemplars
   * that fit. No-op when exemplar storage is off or the size is not positive.
   */
  resizeExemplars(max: number): void {
    if (max > 0) this.head.exemplars?.resize(max);
  }

  /** Exemplars in [start, end] of series matching any matcher set; empty when exemplar storage is off. */
  selectExemplars(start: number, end: number, matcherSets: readonly (readonly Matcher[])[]): ExemplarQueryResult[] {
    return this.head.exemplars?.select(start, end, matcherSets) ?? [];
  }

  /** Runs head compaction, block compaction and retention; errors are logged, never thrown. */
  maintain(): void {
    if (this.closed) return;
    try {
      let cut = false;
      while (this.compactHeadOnce()) cut = true;
      const created = compactDir(this.dir, defaultBlockRanges(this.opts.retentionMs, this.opts.minBlockDuration));
      const deleted = applyRetention(this.dir, { retentionMs: this.opts.retentionMs, maxBytes: this.opts.retentionBytes });
      if (deleted.length) this.log.info('Deleting obsolete blocks', { blocks: deleted.join(',') });
      if (cut || created.length || deleted.length) this.loadBlocks();
    } catch (e) {
      this.log.error('Compaction failed', { err: e });
    }
  }

  /** Cuts the oldest chunk range of the head into a block once the head spans 1.5 ranges. */
  private compactHeadOnce(): boolean {
    const range = this.opts.minBlockDuration;
    const lo = this.head.minTime();
    const hi = this.head.maxTime();
    if (!Number.isFinite(lo) || hi - lo <= (range * 3) / 2) return false;
    const mint = Math.floor(lo / range) * range;
    const maxt = mint + range;
    const started = performance.now();
    const meta = persistBlock(this.dir, this.head, mint, maxt);
    this.head.truncate(maxt);
    truncateWal(this.wal, (ref) => this.head.store.slotOf(ref) !== 0, maxt, (m) => this.log.info(m, { component: 'wal' }));
    this.log.info('Head compacted into a block', {
      ulid: meta?.ulid ?? '(empty)',
      mint,
      maxt,
      series: meta?.stats.numSeries ?? 0,
      duration: `${((performance.now() - started) / 1000).toFixed(3)}s`,
    });
    this.loadBlocks();
    return true;
  }

  /**
   * Writes a snapshot of all data into `dir`, as Prometheus's snapshot API does: the blocks
   * hard-linked (copied where links are impossible) and, unless `skipHead`, the head written
   * as one more block. Returns the block ULIDs in the snapshot.
   */
  snapshot(dir: string, skipHead = false): string[] {
    mkdirSync(dir, { recursive: true });
    const ulids: string[] = [];
    for (const b of this.blocks) {
      linkTree(b.dir, join(dir, b.ulid));
      ulids.push(b.ulid);
    }
    const lo = this.head.minTime();
    const hi = this.head.maxTime();
    if (!skipHead && Number.isFinite(lo)) {
      const meta = persistBlock(dir, this.head, lo, hi + 1);
      if (meta) ulids.push(meta.ulid);
    }
    this.log.info('Snapshot written', { dir, blocks: ulids.length });
    return ulids;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.wal.close();
    for (const b of this.blocks) b.close();
    this.blocks = [];
    releaseLock(this.dir);
  }

  /** Label sets of the head's series, for status pages (cardinality). */
  headSeriesLabels(): Iterable<Labels> {
    const store = this.head.store;
    return (function* () {
      for (const slot of store.slots()) yield store.labels(slot);
    })();
  }
}

/** Hard-links every file of `src` into `dst` (copies across file systems). */
function linkTree(src: string, dst: string): void {
  mkdirSync(dst, { recursive: true });
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, e.name);
    const to = join(dst, e.name);
    if (e.isDirectory()) linkTree(from, to);
    else {
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
      }
    }
  }
}

/** Directories this process holds, so a lock file with our own pid is told apart from one left by a crash. */
const heldLocks = new Set<string>();

/**
 * Prometheus locks the data directory with a `lock` file; a second server on the same
 * directory must fail instead of corrupting it. A lock left by a dead process (or by an
 * earlier process that had our pid, as pid 1 in containers) is taken over.
 */
function acquireLock(dir: string): void {
  const path = join(dir, 'lock');
  if (heldLocks.has(path)) throw new LockError(`opening storage failed: lock DB directory ${dir}: already open in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldLocks.add(path);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new LockError(`opening storage failed: lock DB directory ${dir}: held by process ${pid}`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new LockError(`opening storage failed: cannot lock DB directory ${dir}`);
}

function releaseLock(dir: string): void {
  const path = join(dir, 'lock');
  heldLocks.delete(path);
  if (existsSync(path) && readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
