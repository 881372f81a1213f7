// The query page: several panels, kept in the URL (Prometheus's g0.expr=... parameters).
import { useEffect, useState } from 'preact/hooks';
import { Panel } from './Panel';
import { newPanel, panelsToSearch, parsePanels, type PanelState } from './url-state';

export function QueryPage({ theme }: { theme: string }) {
  const [panels, setPanels] = useState<PanelState[]>(() => {
    const fromUrl = parsePanels(location.search);
    return fromUrl.length ? fromUrl : [newPanel()];
  });

  // Replace, not push: every keystroke-level change would otherwise flood the history.
  useEffect(() => {
    const url = `query?${panelsToSearch(panels)}`;
    history.replaceState(null, '', url);
  }, [panels]);

  const update = (i: number, p: PanelState) => setPanels(panels.map((q, j) => (j === i ? p : q)));

  return (
    <div class="query-page">
      {panels.map((p, i) => (
        <Panel
          key={p.id}
          panel={p}
          theme={theme}
          onChange={(next) => update(i, next)}
          onRemove={panels.length > 1 ? () => setPanels(panels.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      <button onClick={() => setPanels([...panels, newPanel()])} data-testid="add-panel">
        Add panel
      </button>
    </div>
  );
}
