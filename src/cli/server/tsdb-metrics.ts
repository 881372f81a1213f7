/**
 * `prometheus_tsdb_*`: what the DB can honestly report from the fields it keeps today (head
 * counters, exemplar storage, blocks, retention settings). docs/self-metrics.md lists the families left out.
 */
import { Buffer } from 'node:buffer';
import type { MetricFamily } from '@pyrometer/client';
import type { Block } from '../../tsdb/block/block.js';
import type { BlockMeta } from '../../tsdb/block/meta.js';
import type { IndexReader } from '../../tsdb/index/reader.js';
import type { DB } from '../../tsdb/db.js';
import { counter, gauge } from './family-metrics.js';

export interface RetentionLimits {
  /** 0: no time retention. */
  retentionMs: number;
  /** 0: no size retention. */
  retentionBytes: number;
}

/** Go's int64 bounds as float64: what Prometheus reports for an empty head's time range. */
const MAX_INT64 = 9223372036854775807;
const MIN_INT64 = -9223372036854775808;
const FLOAT = Object.freeze({ type: 'float' });

/** Blocks are immutable except for tombstones, which replace their meta: size is cached per meta. */
const blockBytes = new WeakMap<BlockMeta, number>();
const symbolBytes = new WeakMap<IndexReader, number>();

function sizeOf(b: Block): number {
  let n = blockBytes.get(b.meta);
  if (n === undefined) blockBytes.set(b.meta, (n = b.size()));
  return n;
}

function symbolTableBytes(index: IndexReader): number {
  let n = symbolBytes.get(index);
  if (n === undefined) {
    n = 0;
    for (const s of index.symbols) n += Buffer.byteLength(s);
    symbolBytes.set(index, n);
  }
  return n;
}

export function tsdbFamilies(db: DB, limits: RetentionLimits): MetricFamily[] {
  const h = db.head;
  const c = h.counters;
  const empty = !Number.isFinite(h.minTime());
  const minTime = empty ? MAX_INT64 : h.minTime();
  const maxTime = empty ? MIN_INT64 : h.maxTime();
  const blocks = db.listBlocks();
  let blocksBytes = 0;
  let symbols = 0;
  let lowest = minTime;
  for (const b of blocks) {
    blocksBytes += sizeOf(b);
    symbols += symbolTableBytes(b.index);
    if (b.meta.minTime < lowest) lowest = b.meta.minTime;
  }
  // Without --enable-feature=exemplar-storage nothing is stored: zeros, as Prometheus reports then.
  const ex = h.exemplars;
  const oldestExemplar = ex?.oldestTimestamp() ?? NaN;
  const out = [
    gauge('prometheus_tsdb_blocks_loaded', 'Number of currently loaded data blocks', blocks.length),
    gauge('prometheus_tsdb_data_replay_duration_seconds', 'Time taken to replay the data on disk.', db.replaySeconds),
    counter('prometheus_tsdb_exemplar_exemplars_appended_total', 'Total number of appended exemplars.', ex?.exemplarsAppended ?? 0),
    gauge('prometheus_tsdb_exemplar_exemplars_in_storage', 'Number of exemplars currently in circular storage.', ex?.exemplarsInStorage ?? 0),
    gauge(
      'prometheus_tsdb_exemplar_last_exemplars_timestamp_seconds',
      'The timestamp of the oldest exemplar stored in circular storage. Useful to check for what timerange the current exemplar buffer limit allows. This usually means the last timestampfor all exemplars for a typical setup. This is not true though if one of the series timestamp is in future compared to rest series.',
      Number.isNaN(oldestExemplar) ? 0 : oldestExemplar / 1000,
    ),
    gauge('prometheus_tsdb_exemplar_max_exemplars', 'Total number of exemplars the exemplar storage can store, resizeable.', ex?.maxExemplars ?? 0),
    counter('prometheus_tsdb_exemplar_out_of_order_exemplars_total', 'Total number of out of order exemplar ingestion failed attempts.', ex?.outOfOrderExemplars ?? 0),
    gauge('prometheus_tsdb_exemplar_series_with_exemplars_in_storage', 'Number of series with exemplars currently in circular storage.', ex?.seriesWithExemplars ?? 0),
    gauge('prometheus_tsdb_head_chunks', 'Total number of chunks in the head block.', c.chunksCreated - c.chunksRemoved),
    counter('prometheus_tsdb_head_chunks_created_total', 'Total number of chunks created in the head', c.chunksCreated),
    counter('prometheus_tsdb_head_chunks_removed_total', 'Total number of chunks removed in the head', c.chunksRemoved),
    gauge('prometheus_tsdb_head_max_time', 'Maximum timestamp of the head block. The unit is decided by the library consumer.', maxTime),
    gauge('prometheus_tsdb_head_max_time_seconds', 'Maximum timestamp of the head block.', maxTime / 1000),
    gauge('prometheus_tsdb_head_min_time', 'Minimum time bound of the head block. The unit is decided by the library consumer.', minTime),
    gauge('prometheus_tsdb_head_min_time_seconds', 'Minimum time bound of the head block.', minTime / 1000),
    counter('prometheus_tsdb_head_out_of_order_samples_appended_total', 'Total number of appended out of order samples.', c.outOfOrderSamplesAppended),
    counter('prometheus_tsdb_head_samples_appended_total', 'Total number of appended samples.', c.samplesAppended, FLOAT),
    gauge('prometheus_tsdb_head_series', 'Total number of series in the head block.', h.numSeries()),
    counter('prometheus_tsdb_head_series_created_total', 'Total number of series created in the head', c.seriesCreated),
    counter('prometheus_tsdb_head_series_removed_total', 'Total number of series removed in the head', c.seriesRemoved),
    gauge('prometheus_tsdb_lowest_timestamp', 'Lowest timestamp value stored in the database. The unit is decided by the library consumer.', lowest),
    gauge('prometheus_tsdb_lowest_timestamp_seconds', 'Lowest timestamp value stored in the database.', lowest / 1000),
    counter('prometheus_tsdb_out_of_bound_samples_total', 'Total number of out of bound samples ingestion failed attempts with out of order support disabled.', c.outOfBounds, FLOAT),
    counter('prometheus_tsdb_out_of_order_samples_total', 'Total number of out of order samples ingestion failed attempts due to out of order being disabled.', c.outOfOrder, FLOAT),
    gauge('prometheus_tsdb_retention_limit_bytes', 'Max number of bytes to be retained in the tsdb blocks, configured 0 means disabled', limits.retentionBytes),
    gauge('prometheus_tsdb_retention_limit_seconds', 'How long to retain samples in storage.', limits.retentionMs / 1000),
    gauge('prometheus_tsdb_storage_blocks_bytes', 'The number of bytes that are currently used for local storage by all blocks.', blocksBytes),
    gauge('prometheus_tsdb_symbol_table_size_bytes', 'Size of symbol table in memory for loaded blocks', symbols),
    counter('prometheus_tsdb_too_old_samples_total', 'Total number of out of order samples ingestion failed attempts with out of support enabled, but sample outside of time window.', c.tooOld, FLOAT),
  ];
  const wal = db.walStats();
  if (wal) {
    const w = wal.metrics;
    out.push(
      counter('prometheus_tsdb_wal_completed_pages_total', 'Total number of completed pages.', w.completedPages),
      // The writer keeps a count and a sum, not the observations: no quantiles.
      { name: 'prometheus_tsdb_wal_fsync_duration_seconds', help: 'Duration of write log fsync.', type: 'summary', metrics: [{ labels: {}, quantiles: [], quantileValues: [], sum: w.fsyncSeconds, count: w.fsyncs }] },
      counter('prometheus_tsdb_wal_page_flushes_total', 'Total number of page flushes.', w.pageFlushes),
      gauge('prometheus_tsdb_wal_segment_current', 'Write log segment index that TSDB is currently writing to.', wal.currentSegment),
      counter('prometheus_tsdb_wal_truncations_total', 'Total number of write log truncations attempted.', w.truncations),
      counter('prometheus_tsdb_wal_writes_failed_total', 'Total number of write log writes that failed.', w.writesFailed),
    );
  }
  return out;
}
