// The rules page: every rule group from /api/v1/rules with its evaluation figures, and each
// recording or alerting rule with its health, last error and last evaluation. The filters live in
// the URL (`?health=err&search=...`).
import { formatAgo, formatDuration } from '../time';
import { useTimeFormat } from '../settings';
import { useUrlSet, useUrlString } from '../url-params';
import { neverEvaluated, type Rule, type RuleHealth } from './api';
import { useRuleGroups } from './useRuleGroups';
import { RuleDefinition } from './RuleDefinition';

const HEALTHS: RuleHealth[] = ['ok', 'err', 'unknown'];

function formatSeconds(s: number): string {
  return s >= 1 ? `${s.toFixed(3)}s` : `${(s * 1000).toFixed(3)}ms`;
}

function LastEvaluation({ iso }: { iso: string }) {
  const fmt = useTimeFormat();
  if (neverEvaluated(iso)) return <span class="muted">never</span>;
  return <span title={fmt(Date.parse(iso))}>{formatAgo(iso)}</span>;
}

function ruleMatches(r: Rule, text: string): boolean {
  return !text || r.name.toLowerCase().includes(text) || r.query.toLowerCase().includes(text) || Object.entries(r.labels ?? {}).some(([k, v]) => `${k}="${v}"`.toLowerCase().includes(text));
}

export function RulesPage() {
  const { groups, error } = useRuleGroups(undefined);
  const [search, setSearch] = useUrlString('search');
  const [healths, setHealths] = useUrlSet('health', HEALTHS);

  if (error) return <div class="error" role="alert">Error fetching rules: {error}</div>;
  if (!groups) return <div class="info">Loading…</div>;
  const text = search.trim().toLowerCase();

  return (
    <div class="rules-page">
      <h1>Rules</h1>
      {groups.length === 0 ? (
        <div class="empty-state" data-testid="empty-state">
          <strong>No rule groups configured</strong>
          <p>Recording and alerting rules from the files listed under <code>rule_files</code> in the configuration show here with their health and evaluation times.</p>
        </div>
      ) : (
        <div class="controls">
          {HEALTHS.map((h) => (
            <label key={h}>
              <input
                type="checkbox"
                checked={healths.has(h)}
                data-testid={`health-${h}`}
                onChange={() => {
                  const next = new Set(healths);
                  if (next.has(h)) next.delete(h);
                  else next.add(h);
                  setHealths(next);
                }}
              />{' '}
              <span class={`badge ${h}`}>{h}</span>
            </label>
          ))}
          <input placeholder="Filter by rule name, expression or labels" value={search} onInput={(e) => setSearch(e.currentTarget.value)} aria-label="Filter rules" size={40} />
        </div>
      )}
      {groups.map((g) => {
        const rules = g.rules.filter((r) => healths.has(r.health) && ruleMatches(r, text));
        if (!rules.length && (text || healths.size < HEALTHS.length)) return null;
        return (
          <section class="pool" key={`${g.file}/${g.name}`} data-testid="rule-group">
            <h2>
              <span class="muted">{g.file} &gt;</span> {g.name}
            </h2>
            <div class="group-stats" data-testid="group-stats">
              <span>Interval: {formatDuration(g.interval * 1000)}</span>
              <span>
                Last evaluation: <LastEvaluation iso={g.lastEvaluation} />
              </span>
              <span>Evaluation time: {neverEvaluated(g.lastEvaluation) ? '-' : formatSeconds(g.evaluationTime)}</span>
              {(g.limit ?? 0) > 0 && <span>Limit: {g.limit}</span>}
            </div>
            <table class="data-table rules">
              <thead>
                <tr>
                  <th>Rule</th>
                  <th>Health</th>
                  <th>Last evaluation</th>
                  <th>Evaluation time</th>
                </tr>
              </thead>
              <tbody>
                {rules.map((r, i) => (
                  <tr key={i} data-testid="rule-row" data-rule-type={r.type}>
                    <td>
                      <span class={`badge kind ${r.type}`}>{r.type}</span>
                      <RuleDefinition rule={r} format={false} />
                      {r.lastError && (
                        <div class="error" data-testid="rule-error">
                          {r.lastError}
                        </div>
                      )}
                    </td>
                    <td>
                      <span class={`badge ${r.health}`} data-testid="rule-health">
                        {r.health}
                      </span>
                    </td>
                    <td>
                      <LastEvaluation iso={r.lastEvaluation} />
                    </td>
                    <td>{neverEvaluated(r.lastEvaluation) ? '-' : formatSeconds(r.evaluationTime)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
