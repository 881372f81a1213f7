// The last executed queries, kept in the browser (localStorage) and offered by the editor's
// completion and the history menu, as Prometheus 3 does.
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';

const KEY = 'pyrometer.queryHistory';
export const HISTORY_SIZE = 50;

export function loadHistory(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((q): q is string => typeof q === 'string') : [];
  } catch {
    return [];
  }
}

/** Puts `expr` first (moving it if already there) and keeps the newest HISTORY_SIZE. */
export function addToHistory(expr: string): string[] {
  const q = expr.trim();
  if (!q) return loadHistory();
  const next = [q, ...loadHistory().filter((h) => h !== q)].slice(0, HISTORY_SIZE);
  localStorage.setItem(KEY, JSON.stringify(next));
  return next;
}

export function clearHistory(): void {
  localStorage.removeItem(KEY);
}

/**
 * A completion source proposing past queries that fit what is typed so far; picking one
 * replaces the whole expression.
 */
export function historyCompletionSource(ctx: CompletionContext): CompletionResult | null {
  const typed = ctx.state.sliceDoc(0, ctx.pos);
  if (!typed.trim() && !ctx.explicit) return null;
  const options: Completion[] = loadHistory()
    .filter((q) => q !== typed)
    .map((q) => ({ label: q, type: 'history', section: 'Query history', boost: -50 }));
  if (!options.length) return null;
  return { from: 0, to: ctx.state.doc.length, options };
}
