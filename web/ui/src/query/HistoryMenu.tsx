// The query history menu beside the editor: the last executed queries, newest first.
import { useEffect, useRef, useState } from 'preact/hooks';
import { PromQLCode } from '../components/PromQLCode';
import { clearHistory, loadHistory } from './history';

export function HistoryMenu({ onPick }: { onPick: (expr: string) => void }) {
  const [items, setItems] = useState<string[] | null>(null);
  const root = useRef<HTMLDivElement>(null);

  // Closes on a click elsewhere, as a menu does.
  useEffect(() => {
    if (!items) return;
    const onDown = (e: MouseEvent) => !root.current?.contains(e.target as Node) && setItems(null);
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [items]);

  return (
    <div class="history-menu" ref={root} onKeyDown={(e) => e.key === 'Escape' && setItems(null)}>
      <button onClick={() => setItems(items ? null : loadHistory())} aria-expanded={items !== null} aria-label="Query history" title="Query history">
        ⟲
      </button>
      {items && (
        <div class="history-popup" data-testid="history-popup">
          {items.length === 0 && <div class="info">No queries executed yet.</div>}
          <ul>
            {items.map((q) => (
              <li key={q}>
                <button
                  class="history-item"
                  data-testid="history-item"
                  onClick={() => {
                    setItems(null);
                    onPick(q);
                  }}
                >
                  <PromQLCode expr={q} />
                </button>
              </li>
            ))}
          </ul>
          {items.length > 0 && (
            <button
              class="link-button"
              onClick={() => {
                clearHistory();
                setItems([]);
              }}
            >
              Clear history
            </button>
          )}
        </div>
      )}
    </div>
  );
}
