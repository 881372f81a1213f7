/** Target endpoints: targets, scrape_pools, metadata, targets/metadata. */
import { formatDuration } from '../../model/duration.js';
import type { ApiDeps } from './deps.js';
import { Params, limitParam } from './params.js';
import { matcherSets } from './series.js';

export function targets(d: ApiDeps, p: Params): unknown {
  const state = p.get('state') ?? 'any';
  const poolFilter = p.get('scrapePool');
  const active: unknown[] = [];
  const dropped: unknown[] = [];
  const droppedTargetCounts: Record<string, number> = {};
  const pools = [...d.scrape.pools].filter(([name]) => !poolFilter || name === poolFilter).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [name, pool] of pools) {
    droppedTargetCounts[name] = pool.droppedTotal;
    if (state === 'any' || state === 'active') {
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
    if (state === 'any' || state === 'dropped') {
      for (const l of pool.dropped) dropped.push({ discoveredLabels: l.toRecord(), scrapePool: name });
    }
  }
  return { activeTargets: active, droppedTargets: dropped, droppedTargetCounts };
}

export function metadata(d: ApiDeps, p: Params): Record<string, { type: string; help: string; unit: string }[]> {
  const metric = p.get('metric');
  const limit = limitParam(p);
  const out: Record<string, { type: string; help: string; unit: string }[]> = {};
  for (const pool of d.scrape.pools.values()) {
    for (const loop of pool.loops.values()) {
      for (const [name, m] of loop.metadata) {
        if (metric && name !== metric) continue;
        const list = (out[name] ??= []);
        if (!list.some((x) => x.type === m.type && x.help === m.help && x.unit === m.unit)) list.push({ type: m.type, help: m.help, unit: m.unit });
      }
    }
  }
  if (limit > 0) for (const k of Object.keys(out).slice(limit)) delete out[k];
  return out;
}

export function targetMetadata(d: ApiDeps, p: Params): unknown[] {
  const metric = p.get('metric');
  const sets = matcherSets(p, false);
  const out: unknown[] = [];
  for (const pool of d.scrape.pools.values()) {
    for (const loop of pool.loops.values()) {
      const tl = loop.target.seriesLabels();
      if (sets.length && !sets.some((ms) => ms.every((m) => m.matches(tl.get(m.name))))) continue;
      for (const [name, m] of loop.metadata) {
        if (metric && name !== metric) continue;
        out.push({ target: tl.toRecord(), metric: name, type: m.type, help: m.help, unit: m.unit });
      }
    }
  }
  return out;
}


export function scrapePools(d: ApiDeps): unknown {
  return { scrapePools: [...d.scrape.pools.keys()].sort() };
}
