// The metrics explorer: a searchable list of every metric name the server knows, with its
// type and help from /api/v1/metadata; picking one inserts it into the editor.
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiGet } from '../api';

interface MetadataEntry {
  type: string;
  help: string;
  unit: string;
}

// Long lists render slowly and nobody scrolls through thousands: search narrows them down.
const MAX_SHOWN = 500;

/**
 * Metadata is per family: a target scraped as OpenMetrics names the family `x` for the samples
 * `x_total`, and histograms and summaries name it without `_bucket`, `_sum` or `_count`.
 */
function metadataOf(metadata: Record<string, MetadataEntry[]>, name: string): MetadataEntry | undefined {
  const direct = metadata[name]?.[0];
  if (direct) return direct;
  const family = /^(.+)_(total|bucket|sum|count|created)$/.exec(name)?.[1];
  return family ? metadata[family]?.[0] : undefined;
}

export function MetricsExplorer({ onPick, onClose }: { onPick: (name: string) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [names, setNames] = useState<string[] | null>(null);
  const [metadata, setMetadata] = useState<Record<string, MetadataEntry[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');

  useEffect(() => {
    dialog.current!.showModal();
    const ctl = new AbortController();
    apiGet<string[]>('label/__name__/values', {}, ctl.signal)
      .then(setNames)
      .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    // Metadata only adds detail; the list is usable without it.
    apiGet<Record<string, MetadataEntry[]>>('metadata', {}, ctl.signal).then(setMetadata, () => undefined);
    return () => ctl.abort();
  }, []);

  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const matching = (names ?? []).filter((n) => {
    const hay = `${n} ${metadataOf(metadata, n)?.help ?? ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });

  return (
    <dialog ref={dialog} class="metrics-explorer" onClose={onClose} aria-label="Metrics explorer" data-testid="metrics-explorer">
      <div class="dialog-head">
        <h2>Metrics explorer</h2>
        <button onClick={() => dialog.current!.close()} aria-label="Close">
          ✕
        </button>
      </div>
      <input placeholder="Search metric names and help" value={search} onInput={(e) => setSearch(e.currentTarget.value)} aria-label="Search metrics" autofocus />
      {error && <div class="error">Error fetching metric names: {error}</div>}
      {!names && !error && <div class="info">Loading…</div>}
      {names && (
        <div class="info">
          {matching.length} of {names.length} metrics{matching.length > MAX_SHOWN ? `, showing the first ${MAX_SHOWN}` : ''}
        </div>
      )}
      <ul class="metric-list">
        {matching.slice(0, MAX_SHOWN).map((n) => {
          const md = metadataOf(metadata, n);
          return (
            <li key={n}>
              <button
                class="metric-item"
                data-testid="metric-item"
                onClick={() => {
                  onPick(n);
                  dialog.current!.close();
                }}
              >
                <span class="metric-name">{n}</span>
                {md && <span class="metric-type">{md.type}</span>}
                {md?.help && <span class="metric-help">{md.help}</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </dialog>
  );
}
