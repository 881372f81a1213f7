/** Target endpoints: targets, scrape_pools, metadata, targets/metadata. */
import { formatDuration } from '../../model/duration.js';
import type { Matcher } from '../../model/matcher.js';
import { parseMetricSelector } from '../../promql/parser/parser.js';
import type { ApiDeps } from './deps.js';
import { ApiError, Params, atoi } from './params.js';

export function targets(d: ApiDeps, p: Params): unknown {
  // As Prometheus: the state is case-insensitive and an unknown one shows no targets at all.
  const state = (p.get('state') ?? '').toLowerCase();
  const showActive = state === '' || state === 'any' || state === 'active';
  const showDropped = state === '' || state === 'any' || state === 'dropped';
  const poolFilter = p.get('scrapePool');
  const active: unknown[] = [];
  const dropped: unknown[] = [];
  const all = [...d.scrape.pools].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [name, pool] of all) {
    if (poolFilter && name !== poolFilter) continue;
    if (showActive) {
      for (const loop of pool.loops.values()) {
        const t = loop.target;
        active.push({
          discoveredLabels: t.discoveredLabels.toRecord(),
          labels: t.seriesLabels().toRecord(),
          scrapePool: name,
          scrapeUrl: t.url(),
          globalUrl: t.url(),
          lastError: loop.lastError,
          lastScrape: loop.lastScrape ? new Date(loop.lastScrape).toISOString() : '0001-01-01T00:00:00Z',
          lastScrapeDuration: loop.lastDurationMs / 1000,
          health: loop.health,
          scrapeInterval: formatDuration(t.intervalMs()),
          scrapeTimeout: formatDuration(t.timeoutMs()),
        });
      }
    }
    if (showDropped) for (const l of pool.dropped) dropped.push({ discoveredLabels: l.toRecord(), scrapePool: name });
  }
  // The counts cover every pool (the scrapePool filter does not apply) and only come with dropped targets.
  const droppedTargetCounts = showDropped ? Object.fromEntries(all.map(([name, pool]) => [name, pool.droppedTotal])) : null;
  return { activeTargets: active, droppedTargets: dropped, droppedTargetCounts };
}

/** `limit`-style parameter of the metadata endpoints: -1 (none) by default, `<name> must be a number`. */
function metadataLimit(p: Params, name: string): number {
  const v = p.get(name);
  if (v === undefined || v === '') return -1;
  const n = atoi(v);
  if (typeof n === 'string') throw new ApiError('bad_data', `${name} must be a number`);
  return n;
}

export function metadata(d: ApiDeps, p: Params): Record<string, { type: string; help: string; unit: string }[]> {
  const metric = p.get('metric');
  const limit = metadataLimit(p, 'limit');
  const perMetric = metadataLimit(p, 'limit_per_metric');
  const out: Record<string, { type: string; help: string; unit: string }[]> = {};
  let names = 0;
  for (const pool of d.scrape.pools.values()) {
    for (const loop of pool.loops.values()) {
      for (const [name, m] of loop.metadata) {
        if (metric && name !== metric) continue;
        let list = out[name];
        if (!list) {
          // `limit` caps the number of metrics, `limit_per_metric` the entries of each.
          if (limit >= 0 && names >= limit) continue;
          list = out[name] = [];
          names++;
        }
        if (perMetric > 0 && list.length >= perMetric) continue;
        if (!list.some((x) => x.type === m.type && x.help === m.help && x.unit === m.unit)) list.push({ type: m.type, help: m.help, unit: m.unit });
      }
    }
  }
  return out;
}

export function targetMetadata(d: ApiDeps, p: Params): unknown[] {
  const limit = metadataLimit(p, 'limit');
  const matchTarget = p.get('match_target');
  let matchers: Matcher[] | undefined;
  if (matchTarget) {
    try {
      matchers = parseMetricSelector(matchTarget);
    } catch (e) {
      throw new ApiError('bad_data', `invalid parameter "match_target": ${(e as Error).message}`);
    }
  }
  const metric = p.get('metric');
  const out: unknown[] = [];
  for (const pool of d.scrape.pools.values()) {
    for (const loop of pool.loops.values()) {
      // `limit` counts entries, checked once per target as Prometheus does.
      if (limit >= 0 && out.length >= limit) return out;
      const tl = loop.target.seriesLabels();
      if (matchers && !matchers.every((m) => m.matches(tl.get(m.name)))) continue;
      const target = tl.toRecord();
      if (metric) {
        // With a metric given, entries leave out the (known) metric name.
        const m = loop.metadata.get(metric);
        if (m) out.push({ target, type: m.type, help: m.help, unit: m.unit });
        continue;
      }
      for (const [name, m] of loop.metadata) out.push({ target, metric: name, type: m.type, help: m.help, unit: m.unit });
    }
  }
  return out;
}

export function scrapePools(d: ApiDeps): unknown {
  return { scrapePools: [...d.scrape.pools.keys()].sort() };
}
