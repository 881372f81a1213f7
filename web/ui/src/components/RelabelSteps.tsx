// A target's relabeling rule by rule, from /api/v1/targets/relabel_steps (Prometheus 3): each
// rule as in the config, the labels after it with what it set marked, and the rule that dropped
// the target.
import { useEffect, useState } from 'preact/hooks';
import { apiGet } from '../api';
import { LabelBadges } from './LabelBadges';

interface RelabelRule {
  sourceLabels?: string[];
  separator?: string;
  regex?: string;
  modulus?: number;
  targetLabel?: string;
  replacement?: string;
  action?: string;
}

interface RelabelStep {
  rule: RelabelRule;
  output: Record<string, string>;
  keep: boolean;
}

/** A YAML single-quoted string: backslashes stay as written in a config file. */
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The rule as a `relabel_configs` entry reads, leaving out fields at their defaults. */
function ruleYaml(r: RelabelRule): string {
  const lines: string[] = [];
  if (r.sourceLabels?.length) lines.push(`source_labels: [${r.sourceLabels.join(', ')}]`);
  if (r.separator !== undefined && r.separator !== ';') lines.push(`separator: ${quote(r.separator)}`);
  if (r.regex !== undefined && r.regex !== '(.*)') lines.push(`regex: ${quote(r.regex)}`);
  if (r.modulus) lines.push(`modulus: ${r.modulus}`);
  if (r.targetLabel) lines.push(`target_label: ${r.targetLabel}`);
  if (r.replacement !== undefined && r.replacement !== '$1') lines.push(`replacement: ${quote(r.replacement)}`);
  lines.push(`action: ${r.action ?? 'replace'}`);
  return lines.join('\n');
}

export function RelabelSteps({ scrapePool, discovered }: { scrapePool: string; discovered: Record<string, string> }) {
  const [steps, setSteps] = useState<RelabelStep[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const labelsJson = JSON.stringify(discovered);

  useEffect(() => {
    const ctl = new AbortController();
    apiGet<{ steps: RelabelStep[] }>('targets/relabel_steps', { scrapePool, labels: labelsJson }, ctl.signal)
      .then((d) => setSteps(d.steps))
      .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    return () => ctl.abort();
  }, [scrapePool, labelsJson]);

  if (error) return <div class="error" role="alert">Error fetching relabeling steps: {error}</div>;
  if (!steps) return <div class="info">Loading…</div>;
  if (steps.length === 0) return <div class="info" data-testid="relabel-steps">No relabeling rules in scrape pool {scrapePool}.</div>;

  const droppedAt = steps.findIndex((s) => !s.keep);
  return (
    <ol class="relabel-steps" data-testid="relabel-steps">
      <li class="relabel-step">
        <div class="rule muted">Discovered labels</div>
        <div>
          <LabelBadges labels={discovered} />
        </div>
      </li>
      {steps.map((s, i) => {
        if (droppedAt >= 0 && i > droppedAt) return null;
        const before = i === 0 ? discovered : steps[i - 1]!.output;
        const removed = Object.keys(before).filter((k) => !(k in s.output));
        return (
          <li key={i} class="relabel-step" data-testid="relabel-step">
            <pre class="rule">{ruleYaml(s.rule)}</pre>
            <div>
              {!s.keep ? (
                <span class="badge dropped" data-testid="relabel-dropped">
                  Target dropped by this rule
                </span>
              ) : (
                <>
                  {Object.entries(s.output).map(([k, v]) => (
                    <span key={k} class={before[k] === v ? 'label-badge' : 'label-badge set-here'} title={before[k] === v ? '' : 'set by this rule'}>
                      {k}="{v}"
                    </span>
                  ))}
                  {removed.map((k) => (
                    <span key={k} class="label-badge removed" title="removed by this rule">
                      {k}="{before[k]}"
                    </span>
                  ))}
                </>
              )}
            </div>
          </li>
        );
      })}
      {droppedAt >= 0 && droppedAt < steps.length - 1 && (
        <li class="relabel-step muted" data-testid="relabel-not-applied">
          {steps.length - droppedAt - 1} later rule{steps.length - droppedAt - 1 === 1 ? '' : 's'} not applied.
        </li>
      )}
    </ol>
  );
}
