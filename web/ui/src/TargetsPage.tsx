// The targets page: active targets from /api/v1/targets grouped by scrape pool, with filters.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { apiGet } from './api';
import { LabelBadges } from './components/LabelBadges';
import { RelabelSteps } from './components/RelabelSteps';
import { useTimeFormat } from './settings';
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
  const [relabelingShown, setRelabelingShown] = useState<Set<string>>(new Set());
  const [now, setNow] = useState(Date.now());
  const fmt = useTimeFormat();

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
        <button onClick={() => setCollapsed(collapsed.size === pools.size ? new Set() : new Set(pools.keys()))}>
          {collapsed.size === pools.size ? 'Expand all' : 'Collapse all'}
        </button>
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
            <h2>
              <button class="pool-toggle" aria-expanded={open} onClick={toggle}>
                <span aria-hidden="true">{open ? '▾' : '▸'}</span> {pool}
              </button>
              <span class={up === ts.length ? 'badge up' : 'badge down'}>
                {up} / {ts.length} up
              </span>
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
                  {shown.map((t) => {
                    // One endpoint can be a target of several pools.
                    const id = `${pool}\u0000${t.scrapeUrl}`;
                    const relabeling = relabelingShown.has(id);
                    const toggleRelabeling = () => {
                      const next = new Set(relabelingShown);
                      if (relabeling) next.delete(id);
                      else next.add(id);
                      setRelabelingShown(next);
                    };
                    return (
                      <Fragment key={t.scrapeUrl}>
                        <tr data-testid="target-row">
                          <td>
                            <a href={t.globalUrl}>{t.scrapeUrl}</a>
                          </td>
                          <td>
                            <span class={`badge ${t.health}`} data-testid="target-health">
                              {t.health.toUpperCase()}
                            </span>
                          </td>
                          <td>
                            <LabelBadges labels={t.labels} />
                            <button class="link-button" aria-expanded={relabeling} onClick={toggleRelabeling}>
                              {relabeling ? 'Hide relabeling' : 'Show relabeling'}
                            </button>
                          </td>
                          <td data-testid="target-scrape">
                            <span title={neverScraped(t.lastScrape) ? '' : fmt(Date.parse(t.lastScrape))}>{formatAgo(t.lastScrape, now)}</span>
                            <div class="muted small">
                              Interval: {t.scrapeInterval} · Timeout: {t.scrapeTimeout}
                            </div>
                          </td>
                          <td>{(t.lastScrapeDuration * 1000).toFixed(1)}ms</td>
                          <td class="target-error">{t.lastError}</td>
                        </tr>
                        {relabeling && (
                          <tr class="relabeling" data-testid="target-relabeling">
                            <td colSpan={6}>
                              <RelabelingView discovered={t.discoveredLabels} final={t.labels} />
                              <RelabelSteps scrapePool={pool} discovered={t.discoveredLabels} />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </div>
  );
}

function neverScraped(iso: string): boolean {
  return iso.startsWith('0001-01-01');
}

/**
 * The target's labels before relabeling (as service discovery found them) and after; labels
 * that relabeling added or changed are marked.
 */
function RelabelingView({ discovered, final }: { discovered: Record<string, string>; final: Record<string, string> }) {
  return (
    <div class="relabeling-view">
      <div>
        <h3>Discovered labels</h3>
        <LabelBadges labels={discovered} />
      </div>
      <div class="arrow" aria-hidden="true">
        →
      </div>
      <div>
        <h3>Target labels</h3>
        {Object.entries(final).map(([k, v]) => (
          <span key={k} class={discovered[k] === v ? 'label-badge' : 'label-badge changed'} title={discovered[k] === v ? '' : 'set by relabeling'}>
            {k}="{v}"
          </span>
        ))}
      </div>
    </div>
  );
}
