/**
 * Checkpoints and WAL truncation, as Prometheus lays them out.
 *
 * A checkpoint `wal/checkpoint.NNNNNNNN` is itself a small WAL (segment files inside) holding
 * what is still needed from the previous checkpoint plus segments [from, NNNNNNNN]: series the
 * head still has (`keep(ref)`), samples, exemplars, histograms and tombstones at or after
 * `mint`, and the latest metadata of kept series. Once it is in place the segments it covers
 * and older checkpoints are deleted.
 *
 *   checkpoint(walDir, from, to, keep, mint, opts) -> { dir, stats }
 *   truncateWal(wal, keep, mint, logger)             Prometheus's policy: checkpoint the lower two
 *                                                   thirds of the segments, then delete them
 *   lastCheckpoint(walDir) -> { dir, index } | undefined
 *   deleteCheckpoints(walDir, below)                removes checkpoints with index < below
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EncBuf } from '../encoding/encbuf.js';
import { RecordDecoder } from '../record/decode.js';
import {
  encodeExemplars,
  encodeHistogramSamples,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
} from '../record/encode.js';
import type { RefHistogramSample } from '../record/histogram.js';
import { RecordType, type RefExemplar, type RefMetadata, type RefSeries, type RefTombstone, SampleBatch } from '../record/types.js';
import { WalReader } from './reader.js';
import { listSegments, segmentName, segmentRange, type SegmentRef } from './segment.js';
import { fsyncDir, WAL } from './writer.js';

const CHECKPOINT_RE = /^checkpoint\.(\d+)$/;

export function checkpointDirName(index: number): string {
  return `checkpoint.${segmentName(index)}`;
}

/** All checkpoints in `walDir`, oldest first. */
export function listCheckpoints(walDir: string): { dir: string; index: number }[] {
  const out: { dir: string; index: number }[] = [];
  for (const name of readdirSync(walDir)) {
    const m = CHECKPOINT_RE.exec(name);
    if (m) out.push({ dir: join(walDir, name), index: Number(m[1]) });
  }
  return out.sort((a, b) => a.index - b.index);
}

export function lastCheckpoint(walDir: string): { dir: string; index: number } | undefined {
  return listCheckpoints(walDir).at(-1);
}

/** Deletes checkpoints with index < `below`, and leftover temporary checkpoint directories. */
export function deleteCheckpoints(walDir: string, below: number): number {
  let n = 0;
  for (const c of listCheckpoints(walDir)) {
    if (c.index >= below) break;
    rmSync(c.dir, { recursive: true, force: true });
    n++;
  }
  for (const name of readdirSync(walDir)) {
    if (name.startsWith('checkpoint.') && name.endsWith('.tmp')) rmSync(join(walDir, name), { recursive: true, force: true });
  }
  return n;
}

export interface CheckpointStats {
  series: number;
  droppedSeries: number;
  samples: number;
  droppedSamples: number;
  tombstones: number;
  droppedTombstones: number;
  exemplars: number;
  droppedExemplars: number;
  histograms: number;
  droppedHistograms: number;
  metadata: number;
  droppedMetadata: number;
}

export interface CheckpointOptions {
  compress?: boolean;
  logger?: (msg: string) => void;
}

/** Flush the checkpoint writer's batch at about this size. */
const BATCH_BYTES = 1 << 20;

/**
 * Writes checkpoint.`to` from the last checkpoint (if any) and segments [from, to].
 * `from` may not skip segments after the last checkpoint.
 */
export function checkpoint(
  walDir: string,
  from: number,
  to: number,
  keep: (ref: number) => boolean,
  mint: number,
  opts: CheckpointOptions = {},
): { dir: string; stats: CheckpointStats } {
  const sources: SegmentRef[][] = [];
  const prev = lastCheckpoint(walDir);
  if (prev) {
    if (from > prev.index + 1) throw new Error(`checkpoint: gap between checkpoint ${prev.index} and requested segment ${from}`);
    from = prev.index + 1;
    sources.push(listSegments(prev.dir));
  }
  sources.push(listSegments(walDir).filter((s) => s.index >= from && s.index <= to));

  const final = join(walDir, checkpointDirName(to));
  const tmp = `${final}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const cp = WAL.open(tmp, { compress: opts.compress ?? true });

  const stats: CheckpointStats = {
    series: 0, droppedSeries: 0, samples: 0, droppedSamples: 0, tombstones: 0, droppedTombstones: 0,
    exemplars: 0, droppedExemplars: 0, histograms: 0, droppedHistograms: 0, metadata: 0, droppedMetadata: 0,
  };
  const dec = new RecordDecoder();
  const enc = new EncBuf(64 * 1024);
  const batch = new SampleBatch();
  const latestMeta = new Map<number, RefMetadata>();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const emit = (rec: Uint8Array): void => {
    // The encoder's buffer is reused for the next record, so keep a copy.
    pending.push(rec.slice());
    pendingBytes += rec.length;
    if (pendingBytes >= BATCH_BYTES) flush();
  };
  const flush = (): void => {
    if (pending.length > 0) cp.log(...pending);
    pending = [];
    pendingBytes = 0;
  };

  try {
    for (const segs of sources) {
      const r = new WalReader(segs);
      while (r.next()) {
        const rec = r.record();
        switch (rec[0]) {
          case RecordType.Series: {
            const all = dec.series(rec, []);
            const kept: RefSeries[] = all.filter((s) => keep(s.ref));
            stats.series += kept.length;
            stats.droppedSeries += all.length - kept.length;
            if (kept.length > 0) emit(encodeSeries(enc, kept));
            break;
          }
          case RecordType.Samples: {
            dec.samples(rec, batch);
            // Filter in place: the batch is ours until the next decode.
            let k = 0;
            for (let i = 0; i < batch.n; i++) {
              if (batch.ts[i]! >= mint) {
                batch.refs[k] = batch.refs[i]!;
                batch.ts[k] = batch.ts[i]!;
                batch.vs[k] = batch.vs[i]!;
                k++;
              }
            }
            stats.samples += k;
            stats.droppedSamples += batch.n - k;
            if (k > 0) emit(encodeSamples(enc, batch.refs, batch.ts, batch.vs, k));
            break;
          }
          case RecordType.Tombstones: {
            const all = dec.tombstones(rec, []);
            const kept: RefTombstone[] = all.filter((s) => s.maxt >= mint);
            stats.tombstones += kept.length;
            stats.droppedTombstones += all.length - kept.length;
            if (kept.length > 0) emit(encodeTombstones(enc, kept));
            break;
          }
          case RecordType.Exemplars: {
            const all = dec.exemplars(rec, []);
            const kept: RefExemplar[] = all.filter((e) => e.t >= mint);
            stats.exemplars += kept.length;
            stats.droppedExemplars += all.length - kept.length;
            if (kept.length > 0) emit(encodeExemplars(enc, kept));
            break;
          }
          case RecordType.Metadata: {
            for (const m of dec.metadata(rec, [])) {
              if (keep(m.ref)) latestMeta.set(m.ref, m);
              else stats.droppedMetadata++;
            }
            break;
          }
          case RecordType.HistogramSamples:
          case RecordType.FloatHistogramSamples:
          case RecordType.CustomBucketsHistogramSamples:
          case RecordType.CustomBucketsFloatHistogramSamples: {
            const all = dec.histograms(rec, []);
            const kept: RefHistogramSample[] = all.filter((h) => h.t >= mint);
            stats.histograms += kept.length;
            stats.droppedHistograms += all.length - kept.length;
            if (kept.length > 0) emit(encodeHistogramSamples(enc, rec[0]!, kept));
            break;
          }
          default:
            // Unknown types (and WBL mmap markers) carry nothing a checkpoint must keep.
            break;
        }
      }
      r.close();
      if (r.err) throw new Error(`checkpoint: reading ${segs[0]?.path ?? walDir}: ${r.err.message}`);
    }
    flush();
    if (latestMeta.size > 0) {
      const md = [...latestMeta.values()];
      stats.metadata = md.length;
      cp.log(encodeMetadata(enc, md).slice());
    }
    cp.close();
  } catch (e) {
    cp.close();
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  fsyncDir(tmp);
  if (existsSync(final)) rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  fsyncDir(walDir);
  opts.logger?.(
    `WAL checkpoint ${checkpointDirName(to)} written from segments ${from}..${to}: ` +
      `kept ${stats.series} series (dropped ${stats.droppedSeries}), ${stats.samples} samples (dropped ${stats.droppedSamples})`,
  );
  return { dir: final, stats };
}

/**
 * Prometheus's truncation policy, run after the head drops old data: start a new segment,
 * checkpoint the lower two thirds of the closed segments, delete them and older checkpoints.
 * Returns the checkpoint index, or undefined when there was too little to do.
 */
export function truncateWal(
  wal: WAL,
  keep: (ref: number) => boolean,
  mint: number,
  logger: (msg: string) => void = () => {},
): number | undefined {
  const range = segmentRange(wal.dir);
  if (!range) return undefined;
  wal.nextSegment();
  const first = range.first;
  // The segment that was being written is never checkpointed: it may still gain samples for live series.
  const closedLast = range.last - 1;
  if (closedLast < first) return undefined;
  const last = first + Math.floor(((closedLast - first) * 2) / 3);
  if (last <= first) return undefined;
  checkpoint(wal.dir, first, last, keep, mint, { compress: wal.compress, logger });
  wal.truncate(last + 1);
  deleteCheckpoints(wal.dir, last);
  return last;
}
