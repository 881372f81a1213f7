// The service-discovery page: per scrape pool, every discovered target's labels before
// relabeling next to its target labels after, or "dropped", from /api/v1/targets; each target
// can show its relabeling rule by rule.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { apiGet } from './api';
import { LabelBadges } from './components/LabelBadges';
import { RelabelSteps } from './components/RelabelSteps';

interface ActiveTarget {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapePool: string;
}

interface DroppedTarget {
  discoveredLabels: Record<string, string>;
  scrapePool?: string;
}

interface TargetsData {
  activeTargets: ActiveTarget[];
  droppedTargets: DroppedTarget[];
  droppedTargetCounts?: Record<string, number> | null;
}

interface PoolView {
  active: ActiveTarget[];
  dropped: DroppedTarget[];
  droppedTotal: number;
}

/** Dropped targets carry their pool since Prometheus 2.53; older servers only have the job label. */
function poolOf(t: DroppedTarget): string {
  return t.scrapePool ?? t.discoveredLabels.job ?? '';
}

function byPool(d: TargetsData): Map<string, PoolView> {
  const pools = new Map<string, PoolView>();
  const get = (name: string) => {
    let p = pools.get(name);
    if (!p) pools.set(name, (p = { active: [], dropped: [], droppedTotal: d.droppedTargetCounts?.[name] ?? 0 }));
    return p;
  };
  for (const name of Object.keys(d.droppedTargetCounts ?? {})) get(name);
  for (const t of d.activeTargets) get(t.scrapePool).active.push(t);
  for (const t of d.droppedTargets) get(poolOf(t)).dropped.push(t);
  for (const p of pools.values()) p.droppedTotal = Math.max(p.droppedTotal, p.dropped.length);
  return new Map([...pools].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')
    .toLowerCase();

export function ServiceDiscoveryPage() {
  const [data, setData] = useState<TargetsData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pool, setPool] = useState('');
  const [filter, setFilter] = useState('');
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  // Targets whose relabeling steps are open, by pool and discovered labels.
  const [stepsShown, setStepsShown] = useState<Set<string>>(new Set());

  useEffect(() => {
    const ctl = new AbortController();
    apiGet<TargetsData>('targets', {}, ctl.signal)
      .then(setData)
      .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    return () => ctl.abort();
  }, []);

  if (error) return <div class="error" role="alert">Error fetching targets: {error}</div>;
  if (!data) return <div class="info">Loading…</div>;

  const pools = byPool(data);
  const text = filter.trim().toLowerCase();
  const matches = (t: { discoveredLabels: Record<string, string>; labels?: Record<string, string> }) =>
    !text || labelText(t.discoveredLabels).includes(text) || (t.labels !== undefined && labelText(t.labels).includes(text));

  return (
    <div class="sd-page">
      <h1>Service discovery</h1>
      <div class="controls">
        <select value={pool} onChange={(e) => setPool(e.currentTarget.value)} aria-label="Scrape pool">
          <option value="">All scrape pools</option>
          {[...pools.keys()].map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <input placeholder='Filter by labels, e.g. job="node"' value={filter} onInput={(e) => setFilter(e.currentTarget.value)} aria-label="Filter by labels" size={40} />
      </div>
      {pools.size === 0 && <div class="info">No scrape pools configured.</div>}
      {[...pools].map(([name, p]) => {
        if (pool && name !== pool) return null;
        const active = p.active.filter(matches);
        const dropped = p.dropped.filter(matches);
        if (text && !active.length && !dropped.length) return null;
        const open = !collapsed.has(name);
        const toggle = () => {
          const next = new Set(collapsed);
          if (open) next.add(name);
          else next.delete(name);
          setCollapsed(next);
        };
        return (
          <section class="pool" key={name} data-testid="sd-pool">
            <h2>
              <button class="pool-toggle" aria-expanded={open} onClick={toggle}>
                <span aria-hidden="true">{open ? '▾' : '▸'}</span> {name}
              </button>
              <span class="muted" data-testid="sd-counts">
                {p.active.length} active / {p.droppedTotal} dropped
              </span>
            </h2>
            {open && (
              <table class="data-table sd">
                <thead>
                  <tr>
                    <th>Discovered labels</th>
                    <th>Target labels</th>
                    <th>Relabeling</th>
                  </tr>
                </thead>
                <tbody>
                  {[...active.map((t) => ({ t, labels: t.labels as Record<string, string> | undefined })), ...dropped.map((t) => ({ t, labels: undefined }))].map(({ t, labels }) => {
                    const id = `${name}\u0000${JSON.stringify(t.discoveredLabels)}`;
                    const shown = stepsShown.has(id);
                    const toggleSteps = () => {
                      const next = new Set(stepsShown);
                      if (shown) next.delete(id);
                      else next.add(id);
                      setStepsShown(next);
                    };
                    return (
                      <Fragment key={id}>
                        <tr data-testid="sd-target" class={labels ? '' : 'dropped'}>
                          <td>
                            <LabelBadges labels={t.discoveredLabels} />
                          </td>
                          <td>{labels ? <LabelBadges labels={labels} /> : <span class="badge dropped">Dropped</span>}</td>
                          <td>
                            <button class="link-button" aria-expanded={shown} onClick={toggleSteps}>
                              {shown ? 'Hide relabeling' : 'Show relabeling'}
                            </button>
                          </td>
                        </tr>
                        {shown && (
                          <tr class="relabeling">
                            <td colSpan={3}>
                              <RelabelSteps scrapePool={name} discovered={t.discoveredLabels} />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            )}
            {open && p.droppedTotal > p.dropped.length && (
              <div class="info">
                {p.droppedTotal - p.dropped.length} more dropped targets are not listed (the server keeps only the first <code>keep_dropped_targets</code>).
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
