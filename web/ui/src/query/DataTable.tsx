// The table view of an instant query: one row per series (or the scalar/string result).
import { formatSeries, type QueryData } from '../api';
import { useLocalTime } from '../settings';
import { formatTime } from '../time';

// Rendering more rows than this makes the page sluggish; Prometheus 3 cuts off similarly.
const MAX_ROWS = 10_000;

export function DataTable({ data }: { data: QueryData }) {
  const local = useLocalTime();
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    return (
      <table class="data-table" data-testid="data-table">
        <tbody>
          <tr>
            <td class="series-name">{data.resultType}</td>
            <td class="value">{data.result[1]}</td>
          </tr>
        </tbody>
      </table>
    );
  }
  if (data.result.length === 0) return <div class="info">Empty query result</div>;
  const rows = data.result.slice(0, MAX_ROWS);
  return (
    <>
      {data.result.length > MAX_ROWS && <div class="warning">Showing the first {MAX_ROWS} of {data.result.length} series.</div>}
      <table class="data-table" data-testid="data-table">
        <tbody>
          {data.resultType === 'vector'
            ? (rows as { metric: Record<string, string>; value?: [number, string]; histogram?: unknown }[]).map((s, i) => (
                <tr key={i}>
                  <td class="series-name">{formatSeries(s.metric)}</td>
                  <td class="value">{s.value ? s.value[1] : JSON.stringify(s.histogram)}</td>
                </tr>
              ))
            : rows.map((s, i) => {
                const r = s as { metric: Record<string, string>; values?: [number, string][] };
                return (
                  <tr key={i}>
                    <td class="series-name">{formatSeries(r.metric)}</td>
                    <td class="value">
                      {(r.values ?? []).map(([t, v]) => (
                        <div key={t} title={`Unix time ${t}`}>
                          {v} @ {formatTime(t * 1000, local)}
                          {t % 1 ? `.${String(Math.round((t % 1) * 1000)).padStart(3, '0')}` : ''}
                        </div>
                      ))}
                    </td>
                  </tr>
                );
              })}
        </tbody>
      </table>
    </>
  );
}
