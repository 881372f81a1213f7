/**
 * WAL replay: reads the last checkpoint, then the segments after it, and hands the decoded
 * records to callbacks in log order (series always precede samples that use them).
 *
 *   const stats = replayWal(walDir, {
 *     series(list) { ... },             // RefSeries[]; a fresh array per record
 *     samples(batch) { ... },           // SampleBatch: refs/ts/vs typed arrays, valid during the call
 *     tombstones(list) {}, exemplars(list) {}, metadata(list) {}, histograms(list) {},
 *   }, { logger });
 *
 * A damaged tail (torn write, bad checksum, undecodable record) is repaired: everything before
 * it is kept and replayed, the rest cut off, and `stats.repaired` says what was lost. Damage in
 * a checkpoint is not repaired (it would silently drop old series); replay throws instead.
 * Replay before opening the WAL writer.
 *
 * `replayWalSteps` is the same replay as a generator that yields every `sliceMs` of work
 * (between records), so a server can run it in slices and answer requests meanwhile
 * (`runStepsAsync` in src/util/steps.ts); `replayWal` runs it to the end at once.
 */
import { existsSync } from 'node:fs';
import { runSteps, TimeSlice, type Steps } from '../../util/steps.js';
import type { RefHistogramSample } from '../record/histogram.js';
import { RecordDecodeError, RecordDecoder } from '../record/decode.js';
import { RecordType, type RefExemplar, type RefMetadata, type RefSeries, type RefTombstone, SampleBatch } from '../record/types.js';
import { lastCheckpoint } from './checkpoint.js';
import { WalCorruptionError, WalReader } from './reader.js';
import { repairWal, type RepairResult } from './repair.js';
import { listSegments, segmentName } from './segment.js';

export interface ReplayHandler {
  /** A fresh array per call; a large record comes in several calls, in order. */
  series?(series: RefSeries[]): void;
  /** Valid during the call; a large record comes in several calls, in order. */
  samples?(batch: SampleBatch): void;
  tombstones?(stones: RefTombstone[]): void;
  exemplars?(exemplars: RefExemplar[]): void;
  metadata?(metadata: RefMetadata[]): void;
  histograms?(histograms: RefHistogramSample[]): void;
}

export interface ReplayStats {
  checkpoint: number | undefined;
  segments: number;
  records: number;
  series: number;
  samples: number;
  tombstones: number;
  exemplars: number;
  metadata: number;
  histograms: number;
  /** Records of types this replay does not know (skipped). */
  unknownRecords: number;
  repaired: RepairResult | undefined;
  durationMs: number;
}

export interface ReplayOptions {
  logger?: (msg: string) => void;
  /** Repair a damaged WAL tail (default true); with false, corruption throws. */
  repair?: boolean;
  /** Called when replay starts reading a WAL segment (not for checkpoint segments). */
  onSegment?: (index: number) => void;
  /** Work between two yields of `replayWalSteps` (default 25 ms). */
  sliceMs?: number;
}

const DEFAULT_SLICE_MS = 25;
/** Series, and samples, handed to the handler at once from a large record. */
const SERIES_PART = 4096;
const SAMPLES_PART = 65536;

export function replayWal(walDir: string, handler: ReplayHandler, opts: ReplayOptions = {}): ReplayStats {
  return runSteps(replayWalSteps(walDir, handler, opts));
}

export function* replayWalSteps(walDir: string, handler: ReplayHandler, opts: ReplayOptions = {}): Steps<ReplayStats> {
  const log = opts.logger ?? (() => {});
  const started = performance.now();
  const stats: ReplayStats = {
    checkpoint: undefined, segments: 0, records: 0, series: 0, samples: 0, tombstones: 0, exemplars: 0,
    metadata: 0, histograms: 0, unknownRecords: 0, repaired: undefined, durationMs: 0,
  };
  if (!existsSync(walDir)) return stats;
  const dec = new RecordDecoder();
  const batch = new SampleBatch(4096);
  /** Views into `batch` when a large record is handed over in parts. */
  const part = new SampleBatch(0);
  const slice = new TimeSlice(opts.sliceMs ?? DEFAULT_SLICE_MS);

  // A yield falls between next() and handling the record: its view stays valid, as nothing else reads through r.
  const replayRecords = function* (r: WalReader, onSegment: (index: number) => void): Steps<void> {
    let seg = -1;
    while (r.next()) {
      if (slice.expired()) {
        yield;
        slice.restart();
      }
      if (r.segment !== seg) {
        seg = r.segment;
        onSegment(seg);
      }
      const rec = r.record();
      stats.records++;
      let series: RefSeries[] | undefined;
      let samples = false;
      try {
        if (rec[0] === RecordType.Series) series = dec.series(rec, []);
        else if (rec[0] === RecordType.Samples) {
          dec.samples(rec, batch);
          stats.samples += batch.n;
          samples = true;
        } else dispatch(rec);
      } catch (e) {
        if (!(e instanceof RecordDecodeError)) throw e;
        // A record that passed its checksum but does not decode: treat it as where the damage starts.
        r.close();
        r.err = new WalCorruptionError(r.segment, r.offset, e.message, walDir);
        return;
      }
      if (samples) {
        // Like series, one commit's samples form one record: large ones go over in parts.
        if (batch.n <= SAMPLES_PART) handler.samples?.(batch);
        else {
          for (let i = 0; i < batch.n; i += SAMPLES_PART) {
            const end = Math.min(batch.n, i + SAMPLES_PART);
            part.refs = batch.refs.subarray(i, end);
            part.ts = batch.ts.subarray(i, end);
            part.vs = batch.vs.subarray(i, end);
            part.n = end - i;
            handler.samples?.(part);
            if (slice.expired()) {
              yield;
              slice.restart();
            }
          }
        }
      }
      if (series) {
        stats.series += series.length;
        // One commit's new series form one record, which can hold hundreds of thousands: hand
        // them over in parts, so a slice never runs for long past its budget.
        if (series.length <= SERIES_PART) handler.series?.(series);
        else {
          for (let i = 0; i < series.length; i += SERIES_PART) {
            handler.series?.(series.slice(i, i + SERIES_PART));
            if (slice.expired()) {
              yield;
              slice.restart();
            }
          }
        }
      }
    }
  };

  const dispatch = (rec: Uint8Array): void => {
    switch (rec[0]) {
      case RecordType.Tombstones: {
        const t = dec.tombstones(rec, []);
        stats.tombstones += t.length;
        handler.tombstones?.(t);
        break;
      }
      case RecordType.Exemplars: {
        const x = dec.exemplars(rec, []);
        stats.exemplars += x.length;
        handler.exemplars?.(x);
        break;
      }
      case RecordType.Metadata: {
        const m = dec.metadata(rec, []);
        stats.metadata += m.length;
        handler.metadata?.(m);
        break;
      }
      case RecordType.HistogramSamples:
      case RecordType.FloatHistogramSamples:
      case RecordType.CustomBucketsHistogramSamples:
      case RecordType.CustomBucketsFloatHistogramSamples: {
        const h = dec.histograms(rec, []);
        stats.histograms += h.length;
        handler.histograms?.(h);
        break;
      }
      default:
        stats.unknownRecords++;
    }
  };

  const cp = lastCheckpoint(walDir);
  let startFrom = 0;
  if (cp) {
    stats.checkpoint = cp.index;
    startFrom = cp.index + 1;
    const r = new WalReader(listSegments(cp.dir), cp.dir);
    try {
      yield* replayRecords(r, () => {});
    } finally {
      r.close();
    }
    if (r.err) throw new Error(`WAL replay: checkpoint ${cp.dir} is damaged: ${r.err.message}`);
    log(`WAL replay: loaded checkpoint ${segmentName(cp.index)} (${stats.series} series, ${stats.samples} samples)`);
  }

  const segs = listSegments(walDir).filter((s) => s.index >= startFrom);
  stats.segments = segs.length;
  const lastIndex = segs.at(-1)?.index ?? -1;
  const r = new WalReader(segs, walDir);
  try {
    yield* replayRecords(r, (index) => {
      log(`WAL replay: segment ${index} of ${lastIndex}`);
      opts.onSegment?.(index);
    });
  } finally {
    r.close();
  }
  if (r.err) {
    if (!(r.err instanceof WalCorruptionError) || opts.repair === false) throw r.err;
    stats.repaired = repairWal(walDir, r.err, log);
  }
  stats.durationMs = performance.now() - started;
  log(
    `WAL replay done in ${stats.durationMs.toFixed(0)} ms: ${stats.segments} segment(s), ${stats.series} series, ` +
      `${stats.samples} samples${stats.repaired ? ' (tail repaired)' : ''}`,
  );
  return stats;
}
