// One query panel: the editor, Execute, and the Table or Graph view of the result.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EditorView } from '@codemirror/view';
import { ApiError, apiGet, type ExemplarSeries, type QueryData, type RangeSeries } from '../api';
import { useLocalTime } from '../settings';
import { defaultStepSeconds, formatDuration, formatTime, parseDuration, parseTime, zoneLabel } from '../time';
import { DataTable } from './DataTable';
import { Editor } from './Editor';
import { Graph } from './Graph';
import { ExplainView } from './explain/ExplainView';
import { addToHistory } from './history';
import { HistoryMenu } from './HistoryMenu';
import { MetricsExplorer } from './MetricsExplorer';
import type { PanelState } from './url-state';

type Result =
  | { kind: 'table'; data: QueryData; ms: number }
  | { kind: 'graph'; series: RangeSeries[]; exemplars: ExemplarSeries[] | null; startS: number; endS: number; stepS: number; ms: number };

interface Props {
  panel: PanelState;
  theme: string;
  onChange: (p: PanelState) => void;
  onRemove: (() => void) | undefined;
}

export function Panel({ panel, theme, onChange, onRemove }: Props) {
  const [draft, setDraft] = useState(panel.expr);
  // Bumped by Execute, so running the same expression again re-queries.
  const [runs, setRuns] = useState(panel.expr ? 1 : 0);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<{ message: string; expr: string } | null>(null);
  const [loading, setLoading] = useState(false);
  const [explorerOpen, setExplorerOpen] = useState(false);
  const editor = useRef<EditorView | null>(null);

  const execute = () => {
    addToHistory(draft);
    onChange({ ...panel, expr: draft });
    setRuns((r) => r + 1);
  };
  /** Replaces the selection (or inserts at the cursor); `whole` replaces the whole expression. */
  const insert = (text: string, whole: boolean) => {
    const v = editor.current;
    if (!v) return;
    v.dispatch(whole ? { changes: { from: 0, to: v.state.doc.length, insert: text }, selection: { anchor: text.length } } : v.state.replaceSelection(text));
    v.focus();
  };

  useEffect(() => {
    if (panel.tab === 'explain') setError(null);
    if (runs === 0 || !panel.expr.trim() || panel.tab === 'explain') return;
    const ctl = new AbortController();
    const started = performance.now();
    const endMs = panel.endMs ?? Date.now();
    setLoading(true);
    const run = async () => {
      try {
        if (panel.tab === 'table') {
          const data = await apiGet<QueryData>('query', { query: panel.expr, time: String(endMs / 1000) }, ctl.signal);
          setResult({ kind: 'table', data, ms: performance.now() - started });
        } else {
          const stepS = panel.stepS ?? defaultStepSeconds(panel.rangeMs);
          // Align the range to the step, as Prometheus's UI does, so refreshes reuse the same points.
          const endS = Math.floor(endMs / 1000 / stepS) * stepS;
          const startS = endS - Math.floor(panel.rangeMs / 1000 / stepS) * stepS;
          const range = { query: panel.expr, start: String(startS), end: String(endS) };
          // Both requests at once; 204 (no selectors in the query) means no exemplars.
          const [data, exemplars] = await Promise.all([
            apiGet<QueryData>('query_range', { ...range, step: String(stepS) }, ctl.signal),
            panel.showExemplars ? apiGet<ExemplarSeries[] | null>('query_exemplars', range, ctl.signal).then((e) => e ?? []) : null,
          ]);
          if (data.resultType !== 'matrix') throw new ApiError(`expected a range vector result, got ${data.resultType}`, 'bad_data', 200);
          setResult({ kind: 'graph', series: data.result, exemplars, startS, endS, stepS, ms: performance.now() - started });
        }
        setError(null);
      } catch (e) {
        if ((e as Error).name === 'AbortError') return;
        setResult(null);
        setError({ message: (e as Error).message, expr: panel.expr });
      } finally {
        if (!ctl.signal.aborted) setLoading(false);
      }
    };
    void run();
    return () => ctl.abort();
  }, [runs, panel.expr, panel.tab, panel.rangeMs, panel.endMs, panel.stepS, panel.showExemplars]);

  const seriesCount = !result
    ? 0
    : result.kind === 'graph'
      ? result.series.length
      : result.data.resultType === 'vector' || result.data.resultType === 'matrix'
        ? result.data.result.length
        : 1;

  return (
    <section class="panel" data-testid="panel">
      <div class="expr-row">
        <Editor value={draft} onChange={setDraft} onExecute={execute} view={editor} />
        <HistoryMenu onPick={(q) => insert(q, true)} />
        <button onClick={() => setExplorerOpen(true)} aria-label="Open metrics explorer" title="Open metrics explorer">
          ☰
        </button>
        <button class="primary" onClick={execute} disabled={loading} data-testid="execute">
          {loading ? 'Loading…' : 'Execute'}
        </button>
        {onRemove && (
          <button onClick={onRemove} title="Remove panel" aria-label="Remove panel">
            ✕
          </button>
        )}
      </div>
      {explorerOpen && <MetricsExplorer onPick={(name) => insert(name, false)} onClose={() => setExplorerOpen(false)} />}
      {error && <QueryErrorView message={error.message} expr={error.expr} />}
      <div class="tabs">
        <button class={panel.tab === 'table' ? 'tab active' : 'tab'} onClick={() => onChange({ ...panel, tab: 'table' })}>
          Table
        </button>
        <button class={panel.tab === 'graph' ? 'tab active' : 'tab'} onClick={() => onChange({ ...panel, tab: 'graph' })}>
          Graph
        </button>
        <button class={panel.tab === 'explain' ? 'tab active' : 'tab'} onClick={() => onChange({ ...panel, tab: 'explain' })}>
          Explain
        </button>
        {result && panel.tab !== 'explain' && (
          <span class="stats" data-testid="stats">
            Load time: {Math.round(result.ms)}ms · Result series: {seriesCount}
          </span>
        )}
      </div>
      <div class="controls">
        {panel.tab === 'graph' && <RangeInput rangeMs={panel.rangeMs} onChange={(rangeMs) => onChange({ ...panel, rangeMs })} />}
        <EndTimeInput endMs={panel.endMs} onChange={(endMs) => onChange({ ...panel, endMs })} />
        {panel.tab === 'graph' && (
          <>
            <StepInput stepS={panel.stepS} placeholderS={defaultStepSeconds(panel.rangeMs)} onChange={(stepS) => onChange({ ...panel, stepS })} />
            <div class="segmented">
              <button class={panel.stacked ? '' : 'active'} onClick={() => onChange({ ...panel, stacked: false })}>
                Lines
              </button>
              <button class={panel.stacked ? 'active' : ''} onClick={() => onChange({ ...panel, stacked: true })}>
                Stacked
              </button>
            </div>
            <label class="check">
              <input type="checkbox" checked={panel.showExemplars} onChange={(e) => onChange({ ...panel, showExemplars: e.currentTarget.checked })} data-testid="show-exemplars" /> Show
              exemplars
            </label>
          </>
        )}
      </div>
      {result?.kind === 'table' && panel.tab === 'table' && <DataTable data={result.data} />}
      {result?.kind === 'graph' && panel.tab === 'graph' && (
        <Graph
          series={result.series}
          startS={result.startS}
          endS={result.endS}
          stepS={result.stepS}
          stacked={panel.stacked}
          theme={theme}
          exemplars={result.exemplars}
          onZoom={(fromS, toS) => onChange({ ...panel, rangeMs: Math.max(Math.round(toS - fromS), 1) * 1000, endMs: Math.round(toS) * 1000 })}
        />
      )}
      {panel.tab === 'explain' && runs > 0 && panel.expr.trim() && (
        <ExplainView key={runs} expr={panel.expr} endMs={panel.endMs} onError={(message) => setError({ message, expr: panel.expr })} />
      )}
      {!result && !error && runs === 0 && <div class="info">No data queried yet</div>}
    </section>
  );
}

/**
 * The API's error text, and when it starts with the PromQL position (`line:col:`), the
 * expression with that position marked.
 */
export function QueryErrorView({ message, expr }: { message: string; expr: string }) {
  // The API prefixes the position (`invalid parameter "query": 1:5: parse error: ...`).
  const m = /(?:^|: )(\d+):(\d+): /.exec(message);
  let marked = null;
  if (m) {
    const lines = expr.split('\n');
    const lineNo = Number(m[1]);
    const line = lines[lineNo - 1];
    if (line !== undefined) {
      // Prometheus counts columns in UTF-8 bytes; convert to a character offset.
      const bytes = new TextEncoder().encode(line);
      const col = new TextDecoder().decode(bytes.slice(0, Math.max(Number(m[2]) - 1, 0))).length;
      marked = (
        <pre class="error-expr" data-testid="error-position">
          {line.slice(0, col)}
          <mark>{line.slice(col, col + 1) || ' '}</mark>
          {line.slice(col + 1)}
        </pre>
      );
    }
  }
  return (
    <div class="error" role="alert" data-testid="query-error">
      <strong>Error executing query:</strong> {message}
      {marked}
    </div>
  );
}

function RangeInput({ rangeMs, onChange }: { rangeMs: number; onChange: (ms: number) => void }) {
  const [text, setText] = useState(formatDuration(rangeMs));
  useEffect(() => setText(formatDuration(rangeMs)), [rangeMs]);
  const steps = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 3600_000, 3 * 3600_000, 6 * 3600_000, 12 * 3600_000, 86400_000, 7 * 86400_000, 14 * 86400_000];
  const shift = (dir: 1 | -1) => {
    const next = dir > 0 ? steps.find((s) => s > rangeMs) : [...steps].reverse().find((s) => s < rangeMs);
    if (next) onChange(next);
  };
  return (
    <div class="input-group" title="Range">
      <button onClick={() => shift(-1)} aria-label="Shrink range">
        −
      </button>
      <input
        class={parseDuration(text) === null ? 'invalid' : ''}
        size={6}
        value={text}
        aria-label="Range"
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={() => {
          const ms = parseDuration(text);
          if (ms !== null) onChange(ms);
        }}
      />
      <button onClick={() => shift(1)} aria-label="Grow range">
        +
      </button>
    </div>
  );
}

/**
 * The evaluation/end time: a text box (typed times, Unix timestamps, empty for now) and a
 * calendar button opening the browser's date-time picker, both in UTC or local time per the
 * setting. URLs keep UTC.
 */
function EndTimeInput({ endMs, onChange }: { endMs: number | null; onChange: (ms: number | null) => void }) {
  const local = useLocalTime();
  const shown = endMs === null ? '' : formatTime(endMs, local);
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]);
  const picker = useRef<HTMLInputElement>(null);
  const zone = zoneLabel(local, endMs ?? Date.now());
  return (
    <div class="input-group end-time" title={`Evaluation or end time (${zone})`}>
      <input
        size={19}
        placeholder={`now (${zone})`}
        value={text}
        aria-label="End time"
        class={text && parseTime(text, local) === null ? 'invalid' : ''}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={() => onChange(text.trim() ? parseTime(text, local) : null)}
      />
      <button aria-label="Pick end time" title="Pick end time" onClick={() => picker.current?.showPicker()}>
        {/* An outline calendar; emoji fonts are not everywhere. */}
        <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5" aria-hidden="true">
          <rect x="1.5" y="2.5" width="13" height="12" rx="1.5" />
          <path d="M1.5 6.5h13M5 1v3M11 1v3" />
        </svg>
      </button>
      {/* Only its picker shows; the text box is what one reads and types in. */}
      <input
        ref={picker}
        type="datetime-local"
        step="1"
        class="picker-input"
        tabIndex={-1}
        aria-label="End time picker"
        value={shown.replace(' ', 'T')}
        onChange={(e) => e.currentTarget.value && onChange(parseTime(e.currentTarget.value, local))}
      />
      <span class="zone" data-testid="end-time-zone">
        {zone}
      </span>
      {endMs !== null && <button onClick={() => onChange(null)}>Now</button>}
    </div>
  );
}

function StepInput({ stepS, placeholderS, onChange }: { stepS: number | null; placeholderS: number; onChange: (s: number | null) => void }) {
  return (
    <div class="input-group" title="Resolution in seconds">
      <input
        size={8}
        placeholder={`${placeholderS}s (auto)`}
        value={stepS ?? ''}
        aria-label="Resolution"
        onChange={(e) => {
          const v = Number(e.currentTarget.value);
          onChange(e.currentTarget.value.trim() && v > 0 ? v : null);
        }}
      />
    </div>
  );
}
