// The alerts page: alerting rules from /api/v1/rules?type=alert by group, each expandable to its
// definition and active alerts, filtered by state and text. The filters and "Show annotations"
// live in the URL (`?state=firing&search=...&showAnnotations=1`).
import { useState } from 'preact/hooks';
import { LabelBadges } from '../components/LabelBadges';
import { formatValue } from '../query/Graph';
import { formatAgo } from '../time';
import { useUrlFlag, useUrlSet, useUrlString } from '../url-params';
import { useTimeFormat } from '../settings';
import type { AlertState, AlertingRule } from './api';
import { RuleDefinition } from './RuleDefinition';
import { useRuleGroups } from './useRuleGroups';

const STATES: AlertState[] = ['firing', 'pending', 'inactive'];

function ruleMatches(rule: AlertingRule, text: string): boolean {
  if (!text) return true;
  const hay = (labels: Record<string, string> | undefined) => Object.entries(labels ?? {}).some(([k, v]) => `${k}="${v}"`.toLowerCase().includes(text));
  return rule.name.toLowerCase().includes(text) || hay(rule.labels) || rule.alerts.some((a) => hay(a.labels));
}

export function AlertsPage() {
  const { groups, error } = useRuleGroups('alert');
  const [shown, setShown] = useUrlSet('state', STATES);
  const [search, setSearch] = useUrlString('search');
  const [showAnnotations, setShowAnnotations] = useUrlFlag('showAnnotations');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());

  if (error) return <div class="error" role="alert">Error fetching alerting rules: {error}</div>;
  if (!groups) return <div class="info">Loading…</div>;

  const alertingGroups = groups.map((g) => ({ ...g, rules: g.rules.filter((r): r is AlertingRule => r.type === 'alerting') })).filter((g) => g.rules.length);
  const counts: Record<AlertState, number> = { firing: 0, pending: 0, inactive: 0 };
  for (const g of alertingGroups) for (const r of g.rules) counts[r.state]++;
  const text = search.trim().toLowerCase();

  const toggleState = (s: AlertState) => {
    const next = new Set(shown);
    if (next.has(s)) next.delete(s);
    else next.add(s);
    setShown(next);
  };

  return (
    <div class="rules-page">
      <h1>Alerts</h1>
      {alertingGroups.length === 0 ? (
        <div class="empty-state" data-testid="empty-state">
          <strong>No alerting rules configured</strong>
          <p>Alerting rules from the files listed under <code>rule_files</code> in the configuration show here with their state and active alerts.</p>
        </div>
      ) : (
        <>
          <div class="controls">
            {STATES.map((s) => (
              <label key={s}>
                <input type="checkbox" checked={shown.has(s)} onChange={() => toggleState(s)} data-testid={`state-${s}`} /> <span class={`badge ${s}`}>{s}</span> ({counts[s]})
              </label>
            ))}
            <input placeholder="Filter by rule name or labels" value={search} onInput={(e) => setSearch(e.currentTarget.value)} aria-label="Filter alerts" size={36} />
            <label>
              <input type="checkbox" checked={showAnnotations} onChange={(e) => setShowAnnotations(e.currentTarget.checked)} data-testid="show-annotations" /> Show annotations
            </label>
          </div>
          {alertingGroups.map((g) => {
            const rules = g.rules.filter((r) => shown.has(r.state) && ruleMatches(r, text));
            if (!rules.length) return null;
            const groupCounts = STATES.map((s) => [s, g.rules.filter((r) => r.state === s).length] as const).filter(([, n]) => n > 0);
            return (
              <section class="pool" key={`${g.file}/${g.name}`} data-testid="rule-group">
                <h2>
                  <span class="muted">{g.file} &gt;</span> {g.name}{' '}
                  {groupCounts.map(([s, n]) => (
                    <span key={s} class={`badge ${s}`}>
                      {s} ({n})
                    </span>
                  ))}
                </h2>
                {rules.map((r) => {
                  const key = `${g.file}/${g.name}/${r.name}/${r.query}`;
                  const open = expanded.has(key);
                  return (
                    <div class={`rule ${r.state}`} key={key} data-testid="alert-rule">
                      <button
                        class="rule-toggle"
                        aria-expanded={open}
                        onClick={() => {
                          const next = new Set(expanded);
                          if (open) next.delete(key);
                          else next.add(key);
                          setExpanded(next);
                        }}
                      >
                        <span aria-hidden="true">{open ? '▾' : '▸'}</span> <span class="rule-name">{r.name}</span>
                        <span class={`badge ${r.state}`}>{r.state}</span>
                        {r.alerts.length > 0 && <span class="muted">{r.alerts.length} active</span>}
                        {r.health === 'err' && <span class="badge err">error</span>}
                      </button>
                      {open && <AlertRuleDetails rule={r} showAnnotations={showAnnotations} />}
                    </div>
                  );
                })}
              </section>
            );
          })}
        </>
      )}
    </div>
  );
}

function AlertRuleDetails({ rule, showAnnotations }: { rule: AlertingRule; showAnnotations: boolean }) {
  const fmt = useTimeFormat();
  return (
    <div class="rule-details">
      <RuleDefinition rule={rule} format />
      {rule.lastError && <div class="error">{rule.lastError}</div>}
      {rule.alerts.length > 0 && (
        <table class="data-table" data-testid="active-alerts">
          <thead>
            <tr>
              <th>Labels</th>
              <th>State</th>
              <th>Active since</th>
              <th>Value</th>
            </tr>
          </thead>
          <tbody>
            {rule.alerts.map((a, i) => (
              <tr key={i} data-testid="active-alert">
                <td>
                  <LabelBadges labels={a.labels} />
                  {showAnnotations && (
                    <dl class="annotations" data-testid="alert-annotations">
                      {Object.entries(a.annotations).map(([k, v]) => (
                        <div key={k}>
                          <dt>{k}</dt>
                          <dd>{v}</dd>
                        </div>
                      ))}
                    </dl>
                  )}
                </td>
                <td>
                  <span class={`badge ${a.state}`}>{a.state}</span>
                </td>
                <td title={a.activeAt ? fmt(Date.parse(a.activeAt)) : ''}>{a.activeAt ? formatAgo(a.activeAt) : ''}</td>
                <td class="value">{formatValue(Number(a.value))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
