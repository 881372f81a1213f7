/** Status endpoints: buildinfo, runtimeinfo, tsdb. */
import type { ApiDeps } from './deps.js';
import { ApiError, MAX_TIME, MIN_TIME, Params, atoi } from './params.js';

export function buildInfo(d: ApiDeps): unknown {
  return { version: d.version, revision: '', branch: '', buildUser: '', buildDate: '', goVersion: `node ${process.version}` };
}

export function runtimeInfo(d: ApiDeps): unknown {
  const reload = d.reload();
  return {
    startTime: d.startTime.toISOString(),
    CWD: process.cwd(),
    hostname: process.env.HOSTNAME ?? '',
    serverTime: new Date().toISOString(),
    reloadConfigSuccess: reload.success,
    lastConfigTime: reload.time.toISOString(),
    corruptionCount: d.db?.corruptedBlocks.length ?? 0,
    goroutineCount: 0,
    GOMAXPROCS: 0,
    GOMEMLIMIT: 0,
    GOGC: '',
    GODEBUG: '',
    storageRetention: d.retention,
  };
}

export function tsdbStatus(d: ApiDeps, p: Params): unknown {
  const raw = p.get('limit');
  const limit = raw ? atoi(raw) : 10;
  if (typeof limit === 'string' || limit < 1) throw new ApiError('bad_data', 'limit must be a positive number');
  const db = d.db;
  if (!db) throw new ApiError('unavailable', 'TSDB not ready');
  const byName = new Map<string, number>();
  const byLabelName = new Map<string, number>();
  const memByLabel = new Map<string, number>();
  const byPair = new Map<string, number>();
  const valuesByName = new Map<string, Set<string>>();
  for (const ls of db.headSeriesLabels()) {
    byName.set(ls.metricName(), (byName.get(ls.metricName()) ?? 0) + 1);
    ls.forEach((n, v) => {
      const pair = `${n}=${v}`;
      byPair.set(pair, (byPair.get(pair) ?? 0) + 1);
      let vs = valuesByName.get(n);
      if (!vs) valuesByName.set(n, (vs = new Set()));
      if (!vs.has(v)) {
        vs.add(v);
        memByLabel.set(n, (memByLabel.get(n) ?? 0) + v.length);
      }
    });
  }
  for (const [n, vs] of valuesByName) byLabelName.set(n, vs.size);
  const top = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit).map(([name, value]) => ({ name, value }));
  const head = db.head;
  return {
    headStats: {
      numSeries: head.numSeries(),
      numLabelPairs: byPair.size,
      chunkCount: head.counters.chunksCreated - head.counters.chunksRemoved,
      minTime: Number.isFinite(head.minTime()) ? head.minTime() : MAX_TIME,
      maxTime: Number.isFinite(head.maxTime()) ? head.maxTime() : MIN_TIME,
    },
    seriesCountByMetricName: top(byName),
    labelValueCountByLabelName: top(byLabelName),
    memoryInBytesByLabelName: top(memByLabel),
    seriesCountByLabelValuePair: top(byPair),
  };
}
