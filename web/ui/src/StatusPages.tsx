// The status pages: runtime and build information, TSDB status, command-line flags, config.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { apiGet } from './api';

/** Fetches `api/v1/<path>` once; renders the error or a loading line until it arrives. */
export function useApi<T>(path: string): { data: T | null; view: ComponentChildren } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    apiGet<T>(path, {}, ctl.signal)
      .then(setData)
      .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    return () => ctl.abort();
  }, [path]);
  const view = error ? (
    <div class="error" role="alert">
      Error fetching {path}: {error}
    </div>
  ) : data === null ? (
    <div class="info">Loading…</div>
  ) : null;
  return { data, view };
}

function KeyValueTable({ rows }: { rows: [string, string][] }) {
  return (
    <table class="data-table kv">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// The API keeps Prometheus's Go runtime fields for compatibility; on Node they carry no meaning.
const GO_ONLY = new Set(['goroutineCount', 'GOMAXPROCS', 'GOMEMLIMIT', 'GOGC', 'GODEBUG']);

export function RuntimeStatusPage() {
  const runtime = useApi<Record<string, unknown>>('status/runtimeinfo');
  const build = useApi<Record<string, string>>('status/buildinfo');
  return (
    <div class="status-page">
      <h1>Runtime information</h1>
      {runtime.view ?? <KeyValueTable rows={Object.entries(runtime.data!).filter(([k]) => !GO_ONLY.has(k)).map(([k, v]) => [k, String(v)])} />}
      <h1>Build information</h1>
      {build.view ?? <KeyValueTable rows={Object.entries(build.data!).filter(([, v]) => v !== '')} />}
    </div>
  );
}

interface TsdbStatus {
  headStats: { numSeries: number; numLabelPairs: number; chunkCount: number; minTime: number; maxTime: number };
  seriesCountByMetricName: { name: string; value: number }[];
  labelValueCountByLabelName: { name: string; value: number }[];
  memoryInBytesByLabelName: { name: string; value: number }[];
  seriesCountByLabelValuePair: { name: string; value: number }[];
}

export function TsdbStatusPage() {
  const { data, view } = useApi<TsdbStatus>('status/tsdb');
  if (view) return <div class="status-page">{view}</div>;
  const d = data!;
  const time = (ms: number) => (Number.isFinite(ms) && ms > 0 && ms < 8.64e15 ? new Date(ms).toISOString() : 'no data');
  const top = (title: string, rows: { name: string; value: number }[], what: string) => (
    <>
      <h2>{title}</h2>
      <table class="data-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>{what}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <td>{r.name}</td>
              <td>{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
  return (
    <div class="status-page">
      <h1>TSDB status</h1>
      <h2>Head block</h2>
      <KeyValueTable
        rows={[
          ['Number of series', String(d.headStats.numSeries)],
          ['Number of chunks', String(d.headStats.chunkCount)],
          ['Number of label pairs', String(d.headStats.numLabelPairs)],
          ['Current min time', time(d.headStats.minTime)],
          ['Current max time', time(d.headStats.maxTime)],
        ]}
      />
      {top('Top 10 series count by metric names', d.seriesCountByMetricName, 'Count')}
      {top('Top 10 label names with value count', d.labelValueCountByLabelName, 'Count')}
      {top('Top 10 label names with high memory usage', d.memoryInBytesByLabelName, 'Bytes')}
      {top('Top 10 series count by label value pairs', d.seriesCountByLabelValuePair, 'Count')}
    </div>
  );
}

export function FlagsPage() {
  const { data, view } = useApi<Record<string, string>>('status/flags');
  const [filter, setFilter] = useState('');
  if (view) return <div class="status-page">{view}</div>;
  const f = filter.toLowerCase();
  const rows = Object.entries(data!)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .filter(([k, v]) => !f || k.toLowerCase().includes(f) || v.toLowerCase().includes(f));
  return (
    <div class="status-page">
      <h1>Command-line flags</h1>
      <input placeholder="Filter by flag name or value" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} aria-label="Filter flags" size={40} />
      <KeyValueTable rows={rows} />
    </div>
  );
}

export function ConfigPage() {
  const { data, view } = useApi<{ yaml: string }>('status/config');
  return (
    <div class="status-page">
      <h1>Configuration</h1>
      {view ?? (
        <>
          <button onClick={() => void navigator.clipboard.writeText(data!.yaml)}>Copy to clipboard</button>
          <pre class="config">{data!.yaml}</pre>
        </>
      )}
    </div>
  );
}
