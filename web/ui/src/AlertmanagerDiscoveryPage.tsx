// Status → Alertmanager discovery: the Alertmanagers the server sends alerts to and those its
// alerting relabeling dropped, from /api/v1/alertmanagers, as in Prometheus 3.
import { useApi } from './StatusPages';

interface Alertmanagers {
  activeAlertmanagers: { url: string }[];
  droppedAlertmanagers: { url: string }[];
}

function AlertmanagerList({ title, list, kind }: { title: string; list: { url: string }[]; kind: string }) {
  return (
    <section class="pool" data-testid={`alertmanagers-${kind}`}>
      <h2>
        {title} <span class="muted">({list.length})</span>
      </h2>
      {list.length === 0 ? (
        <div class="info">No {kind} Alertmanagers.</div>
      ) : (
        <table class="data-table">
          <thead>
            <tr>
              <th>Endpoint</th>
            </tr>
          </thead>
          <tbody>
            {list.map((am) => (
              <tr key={am.url}>
                <td>
                  {/* An Alertmanager's UI is at its host, not at its alerts API. */}
                  <a href={am.url.replace(/\/api\/v\d+\/alerts$/, '/')} target="_blank" rel="noreferrer">
                    {am.url}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function AlertmanagerDiscoveryPage() {
  const { data, view } = useApi<Alertmanagers>('alertmanagers');
  return (
    <div class="status-page">
      <h1>Alertmanager discovery</h1>
      {view ?? (
        <>
          <AlertmanagerList title="Active Alertmanagers" list={data!.activeAlertmanagers} kind="active" />
          <AlertmanagerList title="Dropped Alertmanagers" list={data!.droppedAlertmanagers} kind="dropped" />
        </>
      )}
    </div>
  );
}
