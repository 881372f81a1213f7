/**
 * One target's scrape loop. Each scrape fetches the exposition, parses it and appends in
 * one transaction. A cache keyed by the bytes of each line's series text remembers the label
 * set and series ref, so a steady-state scrape appends by ref without making strings, parsing
 * labels, relabeling or hashing label sets; series that vanish get a staleness marker from the
 * same cache. OpenMetrics exemplars go to the appender right after their sample.
 */
import type https from 'node:https';
import { Agent } from 'node:https';
import { Labels, LabelsBuilder, METRIC_NAME } from '../model/labels.js';
import { STALE_NAN } from '../model/value.js';
import type { Exemplar, Metadata } from '../model/value.js';
import { relabel } from '../relabel/relabel.js';
import type { RelabelRule } from '../relabel/config.js';
import type { ScrapeConfig } from '../config/scrape.js';
import { StorageError, type Appendable, type Appender } from '../storage/interface.js';
import { createParser, detachString, Entry, formatFromContentType, type Parser } from '../textparse/index.js';
import { nopLogger, type Logger } from '../util/log.js';
import { requestOptions, scrapeHttp, ScrapeError, type ScrapeResponse } from './http.js';
import { ScrapeCache, hashBytes } from './cache.js';
import type { Target } from './target.js';

/** Metadata of one family, kept across scrapes and changed in place only when the exposition changes. */
interface FamilyMetadata extends Metadata {
  /** The scrape iteration that last listed the family. */
  seen: number;
  /** META_* bits of the lines seen for the family in that iteration. */
  given: number;
}

const META_TYPE = 1;
const META_HELP = 2;
const META_UNIT = 4;

export type TargetHealth = 'unknown' | 'up' | 'down';

/** Fetches an exposition; replaceable in tests. */
export type Fetcher = (signal: AbortSignal) => Promise<ScrapeResponse>;

export interface ScrapeStats {
  samplesScraped: number;
  samplesPostRelabel: number;
  seriesAdded: number;
  outOfOrder: number;
  duplicate: number;
  outOfBounds: number;
  /** Exemplars the storage rejected as out of order. */
  exemplarsOutOfOrder: number;
}

const REPORT_NAMES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'] as const;

export class ScrapeLoop {
  health: TargetHealth = 'unknown';
  lastError = '';
  /** Start of the last scrape, ms since epoch (0 before the first). */
  lastScrape = 0;
  lastDurationMs = 0;
  lastStats: ScrapeStats = emptyStats();
  /** Metadata by metric family name, from the last scrape. */
  readonly metadata = new Map<string, FamilyMetadata>();

  private readonly cache = new ScrapeCache();
  /** Cache entry ids of the last good scrape's series lines in body order: the hints for the next one. */
  private lineIds = new Int32Array(1024);
  private lineCount = 0;
  private nextLineIds = new Int32Array(1024);
  private iteration = 0;
  /** The iteration of the last successful scrape; its series are the ones that can go stale. */
  private lastGood = 0;
  private readonly reportLabels: Labels[];
  private readonly reportRefs = new Array<number>(REPORT_NAMES.length).fill(0);
  private readonly targetLabels: Labels;
  private readonly metricRelabel: RelabelRule[];
  private readonly fetcher: Fetcher;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(
    readonly target: Target,
    private readonly cfg: ScrapeConfig,
    private readonly storage: Appendable,
    private readonly log: Logger = nopLogger,
    fetcher?: Fetcher,
  ) {
    this.targetLabels = target.seriesLabels();
    this.metricRelabel = cfg.metric_relabel_configs.map((r) => r.rule);
    this.reportLabels = REPORT_NAMES.map((n) => new LabelsBuilder(this.targetLabels).set(METRIC_NAME, n).labels());
    this.fetcher = fetcher ?? this.httpFetcher();
  }

  private httpFetcher(): Fetcher {
    const { headers, tls } = requestOptions(this.cfg);
    const tlsAgent: https.Agent | undefined = this.target.url().startsWith('https:') ? new Agent(tls) : undefined;
    const url = this.target.url();
    const timeout = this.target.timeoutMs();
    return (signal) => scrapeHttp(url, headers, tlsAgent, timeout, this.cfg.body_size_limit, signal);
  }

  /**
   * Starts scraping at a stable offset within the interval derived from the target, so
   * targets of a job spread over the interval and keep their slot across restarts.
   */
  start(): void {
    const interval = this.target.intervalMs();
    const offset = stableHash(this.target.key()) % interval;
    const now = Date.now();
    let wait = interval - (now % interval) + offset;
    if (wait >= interval) wait -= interval;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.scrapeOnce(Date.now()).finally(() => (this.running = null));
    };
    this.timer = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, interval);
    }, wait);
  }

  /** Stops the schedule, waits for an in-flight scrape, then marks every series stale. */
  async stop(markStale = true): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
    if (markStale) {
      const ts = Date.now();
      await this.appendStaleMarkers(ts, (app) => this.appendReportStale(app, ts));
    }
  }

  /** One scrape at timestamp `ts` (ms): fetch, parse, append, report. Never throws. */
  async scrapeOnce(ts: number): Promise<void> {
    const started = performance.now();
    this.lastScrape = ts;
    const stats = emptyStats();
    const app = this.storage.appender();
    const iterationBefore = this.iteration;
    let error: string;
    try {
      const res = await this.fetcher(this.abort.signal);
      const iter = this.appendBody(app, this.parserFor(res), ts, stats);
      // The report joins the scrape's transaction, as upstream's does: one commit (and one WAL
      // write) per scrape. Its duration covers fetch, parse and append.
      this.setOutcome(started, stats, '');
      this.appendReport(app, ts, stats, true);
      await app.commit();
      this.lastGood = iter;
      return;
    } catch (e) {
      await app.rollback();
      if (this.iteration !== iterationBefore) this.forgetFailedIteration();
      error = e instanceof Error ? e.message : String(e);
    }
    if (this.stopped) return;
    this.setOutcome(started, stats, error);
    this.log.debug('Scrape failed', { target: this.target.url(), err: error });
    // A failed scrape makes every series of the last good one stale, as upstream does.
    await this.appendStaleMarkers(ts, (fail) => this.appendReport(fail, ts, stats, false));
  }

  private setOutcome(started: number, stats: ScrapeStats, error: string): void {
    this.health = error ? 'down' : 'up';
    this.lastError = error;
    this.lastDurationMs = performance.now() - started;
    this.lastStats = stats;
  }

  private parserFor(res: ScrapeResponse): Parser {
    let contentType = res.contentType;
    if (contentType.trim() === '') {
      const fallback = this.cfg.fallback_scrape_protocol;
      if (!fallback) {
        throw new ScrapeError('non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target');
      }
      contentType = fallback.startsWith('OpenMetrics') ? 'application/openmetrics-text' : 'text/plain';
    }
    formatFromContentType(contentType);
    return createParser(contentType, res.body, { skipCreatedSeries: true });
  }

  /** Appends one exposition; returns its iteration number. */
  private appendBody(app: Appender, p: Parser, ts: number, stats: ScrapeStats): number {
    const iter = ++this.iteration;
    const cache = this.cache;
    const sampleLimit = this.cfg.sample_limit;
    const honorTs = this.cfg.honor_timestamps;
    let meta: FamilyMetadata | undefined;
    let metaName = '';
    const hints = this.lineIds;
    const hintCount = this.lineCount;
    let line = 0;
    for (;;) {
      // Targets mostly expose the same series in the same order: the line at this position
      // last time is the likely one, and when its bytes match, label parsing and the hash
      // lookup are skipped.
      if (line < hintCount) {
        const hid = hints[line];
        if (cache.isLive(hid)) p.hintSeries(cache.keyPool(), cache.keyOffset(hid), cache.keyLength(hid));
      }
      const entry = p.next();
      if (entry === Entry.EOF) break;
      if (entry !== Entry.Series) {
        if (entry === Entry.Type || entry === Entry.Help || entry === Entry.Unit) {
          const name = p.metaName();
          if (meta === undefined || metaName !== name) {
            meta = this.familyMetadata(name, iter);
            metaName = name;
          }
          setMetadata(meta, entry, p);
        }
        continue;
      }
      stats.samplesScraped++;
      let id: number;
      if (p.matchedHint()) id = hints[line];
      else {
        const body = p.bytes();
        const start = p.seriesStart();
        const end = p.seriesEnd();
        const h = hashBytes(body, start, end);
        id = cache.find(body, start, end, h);
        if (id < 0) id = cache.add(body, start, end, h, this.sampleLabels(p.labels()));
      }
      if (line === this.nextLineIds.length) this.nextLineIds = grownInt32(this.nextLineIds);
      this.nextLineIds[line++] = id;
      if (cache.seen[id] !== iter) {
        cache.prevSeen[id] = cache.seen[id];
        cache.seen[id] = iter;
      }
      const labels = cache.labels[id];
      if (labels === null) continue;
      stats.samplesPostRelabel++;
      if (sampleLimit > 0 && stats.samplesPostRelabel > sampleLimit) {
        throw new ScrapeError(`sample limit exceeded (limit: ${sampleLimit})`);
      }
      const sampleTs = p.timestamp();
      const t = honorTs && sampleTs !== undefined ? sampleTs : ts;
      cache.explicitTs[id] = sampleTs !== undefined && honorTs ? 1 : 0;
      let ref: number;
      try {
        ref = app.append(cache.ref[id], labels, t, p.value());
      } catch (e) {
        if (!(e instanceof StorageError)) throw e;
        if (e.kind === 'out_of_order') stats.outOfOrder++;
        else if (e.kind === 'duplicate') stats.duplicate++;
        else if (e.kind === 'out_of_bounds' || e.kind === 'too_old') stats.outOfBounds++;
        else throw e;
        continue;
      }
      if (cache.ref[id] === 0) stats.seriesAdded++;
      cache.ref[id] = ref;
      const ex = p.exemplar();
      if (ex !== undefined) this.appendExemplar(app, ref, labels, ex, t, stats);
    }
    this.finishMetadata(iter);
    this.markStale(app, ts, this.lastGood, iter);
    const ids = this.nextLineIds;
    this.nextLineIds = this.lineIds;
    this.lineIds = ids;
    this.lineCount = line;
    return iter;
  }

  /** An exemplar without a timestamp takes its sample's; a rejected one never fails the scrape. */
  private appendExemplar(app: Appender, ref: number, labels: Labels, ex: Exemplar, t: number, stats: ScrapeStats): void {
    if (ex.timestamp === undefined) ex.timestamp = t;
    try {
      app.appendExemplar(ref, labels, ex);
    } catch (e) {
      if (e instanceof StorageError && e.kind === 'out_of_order') stats.exemplarsOutOfOrder++;
      else this.log.debug('Error while adding exemplar in AppendExemplar', { target: this.target.url(), exemplar: ex, err: e });
    }
  }

  /** The family's metadata entry for this scrape; the first line of a family group resets what it was given. */
  private familyMetadata(name: string, iter: number): FamilyMetadata {
    let m = this.metadata.get(name);
    if (m === undefined) {
      m = { type: 'unknown', help: '', unit: '', seen: iter, given: 0 };
      this.metadata.set(detachString(name), m);
    }
    m.seen = iter;
    m.given = 0;
    return m;
  }

  /** Clears what a family's lines no longer give and forgets families no longer exposed. */
  private finishMetadata(iter: number): void {
    for (const [name, m] of this.metadata) {
      if (m.seen !== iter) this.metadata.delete(name);
      else {
        if (!(m.given & META_TYPE)) m.type = 'unknown';
        if (!(m.given & META_HELP)) m.help = '';
        if (!(m.given & META_UNIT)) m.unit = '';
      }
    }
  }

  /** Undoes the seen-marks of a scrape that did not commit. */
  private forgetFailedIteration(): void {
    const failed = this.iteration;
    const cache = this.cache;
    for (let id = 0; id < cache.size(); id++) if (cache.isLive(id) && cache.seen[id] === failed) cache.seen[id] = cache.prevSeen[id];
  }

  /** Target labels, honor_labels, metric relabeling and label limits for a new series. */
  private sampleLabels(exposed: Labels): Labels | null {
    const lb = new LabelsBuilder(exposed);
    if (this.cfg.honor_labels) {
      this.targetLabels.forEach((n, v) => {
        if (!exposed.has(n)) lb.set(n, v);
      });
    } else {
      const conflicts: [string, string][] = [];
      this.targetLabels.forEach((n, v) => {
        const existing = exposed.get(n);
        if (existing !== '') conflicts.push([n, existing]);
        lb.set(n, v);
      });
      for (const [n, v] of conflicts) {
        let name = `exported_${n}`;
        while (lb.get(name) !== '') name = `exported_${name}`;
        lb.set(name, v);
      }
    }
    const res = this.metricRelabel.length ? relabel(lb.labels(), this.metricRelabel) : lb.labels();
    if (res) this.checkLabelLimits(res);
    return res;
  }

  private checkLabelLimits(ls: Labels): void {
    const { label_limit: count, label_name_length_limit: nameLen, label_value_length_limit: valueLen } = this.cfg;
    const metric = ls.metricName().slice(0, 50);
    if (count > 0 && ls.length > count) {
      throw new ScrapeError(`label_limit exceeded (metric: ${metric}, number of labels: ${ls.length}, limit: ${count})`);
    }
    for (let i = 0; i < ls.length; i++) {
      const n = ls.nameAt(i);
      const v = ls.valueAt(i);
      if (nameLen > 0 && n.length > nameLen) {
        throw new ScrapeError(`label_name_length_limit exceeded (metric: ${metric}, label name: ${n.slice(0, 50)}, length: ${n.length}, limit: ${nameLen})`);
      }
      if (valueLen > 0 && v.length > valueLen) {
        throw new ScrapeError(`label_value_length_limit exceeded (metric: ${metric}, label name: ${n.slice(0, 50)}, value: ${JSON.stringify(v.slice(0, 50))}, length: ${v.length}, limit: ${valueLen})`);
      }
    }
  }

  /**
   * Appends staleness markers for series seen in iteration `prev` (the last good scrape)
   * but not in `current`, and forgets cache entries seen in neither.
   */
  private markStale(app: Appender, ts: number, prev: number, current: number): void {
    const trackExplicit = this.cfg.track_timestamps_staleness;
    const cache = this.cache;
    for (let id = 0; id < cache.size(); id++) {
      if (!cache.isLive(id)) continue;
      const seen = cache.seen[id];
      if (seen === current) continue;
      const labels = cache.labels[id];
      const ref = cache.ref[id];
      if (prev > 0 && seen === prev && labels !== null && ref !== 0 && (cache.explicitTs[id] === 0 || trackExplicit)) {
        try {
          app.append(ref, labels, ts, STALE_NAN);
        } catch (e) {
          if (!(e instanceof StorageError)) throw e;
        }
      }
      if (seen !== prev) cache.remove(id);
    }
  }

  /** Marks the last good scrape's series stale; `more` adds to the same transaction (the report). */
  private async appendStaleMarkers(ts: number, more: (app: Appender) => void): Promise<void> {
    const app = this.storage.appender();
    try {
      const iter = ++this.iteration;
      this.markStale(app, ts, this.lastGood, iter);
      // Those series are now stale; the next good scrape must not mark them again.
      this.lastGood = 0;
      more(app);
      await app.commit();
    } catch (e) {
      await app.rollback();
      this.log.warn('Appending staleness markers failed', { target: this.target.url(), err: e });
    }
  }

  /** The scrape's own series; a rejected one is logged and never fails the scrape. */
  private appendReport(app: Appender, ts: number, stats: ScrapeStats, up: boolean): void {
    const values = [up ? 1 : 0, this.lastDurationMs / 1000, stats.samplesScraped, stats.samplesPostRelabel, stats.seriesAdded];
    for (let i = 0; i < REPORT_NAMES.length; i++) {
      try {
        this.reportRefs[i] = app.append(this.reportRefs[i], this.reportLabels[i], ts, values[i]);
      } catch (e) {
        if (!(e instanceof StorageError)) throw e;
        this.log.warn('Appending scrape report failed', { target: this.target.url(), err: e });
      }
    }
  }

  /** Stale markers for the report series, when the target goes away. */
  private appendReportStale(app: Appender, ts: number): void {
    for (let i = 0; i < REPORT_NAMES.length; i++) {
      if (this.reportRefs[i] !== 0) app.append(this.reportRefs[i], this.reportLabels[i], ts, STALE_NAN);
    }
  }
}

function emptyStats(): ScrapeStats {
  return { samplesScraped: 0, samplesPostRelabel: 0, seriesAdded: 0, outOfOrder: 0, duplicate: 0, outOfBounds: 0, exemplarsOutOfOrder: 0 };
}

function grownInt32(a: Int32Array): Int32Array<ArrayBuffer> {
  const g = new Int32Array(a.length * 2);
  g.set(a);
  return g;
}

function setMetadata(m: FamilyMetadata, entry: Entry, p: Parser): void {
  if (entry === Entry.Type) {
    m.type = p.type();
    m.given |= META_TYPE;
  } else if (entry === Entry.Help) {
    // Compared first: keeping the old string spares a copy per family per scrape.
    const help = p.help();
    if (m.help !== help) m.help = detachString(help);
    m.given |= META_HELP;
  } else {
    const unit = p.unit();
    if (m.unit !== unit) m.unit = detachString(unit);
    m.given |= META_UNIT;
  }
}

/** FNV-1a over UTF-16 units: stable across processes, so scrape offsets survive restarts. */
function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
