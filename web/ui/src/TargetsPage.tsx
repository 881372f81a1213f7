// The targets page: active targets from /api/v1/targets grouped by scrape pool, with filters.
import { useEffect, useState } from 'preact/hooks';
import { apiGet } from './api';
import { formatAgo } from './time';

interface Target {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl: string;
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  health: 'up' | 'down' | 'unknown';
  scrapeInterval: string;
  scrapeTimeout: string;
}

export function TargetsPage() {
  const [targets, setTargets] = useState<Target[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [unhealthyOnly, setUnhealthyOnly] = useState(false);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    let ctl = new AbortController();
    const load = () => {
      ctl.abort();
      ctl = new AbortController();
      apiGet<{ activeTargets: Target[] }>('targets', { state: 'active' }, ctl.signal)
        .then((d) => {
          setTargets(d.activeTargets);
          setNow(Date.now());
          setError(null);
        })
        .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    };
    load();
    // Scrapes keep happening; refresh like Prometheus's page does.
    const timer = setInterval(load, 10_000);
    return () => {
      clearInterval(timer);
      ctl.abort();
    };
  }, []);

  if (error) return <div class="error" role="alert">Error fetching targets: {error}</div>;
  if (!targets) return <div class="info">Loading…</div>;

  const f = filter.toLowerCase();
  const matches = (t: Target) =>
    (!unhealthyOnly || t.health !== 'up') &&
    (!f || t.scrapeUrl.toLowerCase().includes(f) || Object.entries(t.labels).some(([k, v]) => `${k}="${v}"`.toLowerCase().includes(f)));
  const pools = new Map<string, Target[]>();
  for (const t of targets) {
    if (!pools.has(t.scrapePool)) pools.set(t.scrapePool, []);
    pools.get(t.scrapePool)!.push(t);
  }

  return (
    <div class="targets-page">
      <h1>Targets</h1>
      <div class="controls">
        <input placeholder="Filter by endpoint or labels" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} aria-label="Filter targets" size={40} />
        <label>
          <input type="checkbox" checked={unhealthyOnly} onChange={(e) => setUnhealthyOnly(e.currentTarget.checked)} /> Unhealthy only
        </label>
      </div>
      {pools.size === 0 && <div class="info">No targets.</div>}
      {[...pools].map(([pool, ts]) => {
        const shown = ts.filter(matches);
        if (shown.length === 0 && (f || unhealthyOnly)) return null;
        const up = ts.filter((t) => t.health === 'up').length;
        const open = !collapsed.has(pool);
        const toggle = () => {
          const next = new Set(collapsed);
          if (open) next.add(pool);
          else next.delete(pool);
          setCollapsed(next);
        };
        return (
          <section class="pool" key={pool} data-testid="scrape-pool">
            <h2 onClick={toggle} class="pool-title">
              {open ? '▾' : '▸'} {pool} <span class={up === ts.length ? 'badge up' : 'badge down'}>{up} / {ts.length} up</span>
            </h2>
            {open && (
              <table class="data-table targets">
                <thead>
                  <tr>
                    <th>Endpoint</th>
                    <th>State</th>
                    <th>Labels</th>
                    <th>Last scrape</th>
                    <th>Scrape duration</th>
                    <th>Error</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((t) => (
                    <tr key={t.scrapeUrl} data-testid="target-row">
                      <td>
                        <a href={t.globalUrl}>{t.scrapeUrl}</a>
                      </td>
                      <td>
                        <span class={`badge ${t.health}`} data-testid="target-health">
                          {t.health.toUpperCase()}
                        </span>
                      </td>
                      <td>
                        {Object.entries(t.labels).map(([k, v]) => (
                          <span class="label-badge" key={k}>
                            {k}="{v}"
                          </span>
                        ))}
                      </td>
                      <td title={t.lastScrape}>{formatAgo(t.lastScrape, now)}</td>
                      <td>{(t.lastScrapeDuration * 1000).toFixed(1)}ms</td>
                      <td class="target-error">{t.lastError}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </div>
  );
}
