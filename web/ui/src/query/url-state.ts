// The query page's panels in the URL, with Prometheus's parameter names, so a link reproduces
// the page and links made by Prometheus 2 (`/graph?g0.expr=...&g0.tab=0`) or 3 open here.
import { formatDuration, formatTime, parseDuration, parseTime } from '../time';

export type Tab = 'table' | 'graph' | 'explain';

export interface PanelState {
  id: number;
  expr: string;
  tab: Tab;
  rangeMs: number;
  /** Evaluation time of the table and end of the graph; null means now. */
  endMs: number | null;
  /** Graph resolution in seconds; null means the default for the range. */
  stepS: number | null;
  stacked: boolean;
  /** Graph: draw the exemplars of the query's series (Prometheus 3's "Show exemplars"). */
  showExemplars: boolean;
}

let nextId = 0;

export function newPanel(expr = ''): PanelState {
  return { id: nextId++, expr, tab: 'table', rangeMs: 3600_000, endMs: null, stepS: null, stacked: false, showExemplars: false };
}

export function parsePanels(search: string): PanelState[] {
  const q = new URLSearchParams(search);
  const panels: PanelState[] = [];
  for (let i = 0; q.has(`g${i}.expr`) || q.has(`g${i}.tab`); i++) {
    const get = (k: string) => q.get(`g${i}.${k}`);
    const p = newPanel(get('expr') ?? '');
    // Prometheus 2 numbers the tabs (0 graph, 1 table); Prometheus 3 names them.
    const tab = get('tab');
    p.tab = tab === '0' || tab === 'graph' ? 'graph' : tab === 'explain' ? 'explain' : 'table';
    p.rangeMs = parseDuration(get('range_input') ?? '') ?? p.rangeMs;
    const end = get('end_input') ?? get('moment_input');
    p.endMs = end ? parseTime(end) : null;
    const step = Number(get('step_input'));
    p.stepS = step > 0 ? step : null;
    p.stacked = get('display_mode') === 'stacked' || get('stacked') === '1';
    p.showExemplars = get('show_exemplars') === '1';
    panels.push(p);
  }
  return panels;
}

export function panelsToSearch(panels: PanelState[]): string {
  const q = new URLSearchParams();
  panels.forEach((p, i) => {
    q.set(`g${i}.expr`, p.expr);
    q.set(`g${i}.tab`, p.tab);
    q.set(`g${i}.display_mode`, p.stacked ? 'stacked' : 'lines');
    q.set(`g${i}.show_exemplars`, p.showExemplars ? '1' : '0');
    q.set(`g${i}.range_input`, formatDuration(p.rangeMs));
    if (p.endMs !== null) {
      q.set(`g${i}.end_input`, formatTime(p.endMs));
      q.set(`g${i}.moment_input`, formatTime(p.endMs));
    }
    if (p.stepS !== null) q.set(`g${i}.step_input`, String(p.stepS));
  });
  return q.toString();
}
