// A rule as it reads in a rule file (YAML-like), with the expression pretty-printed by the
// server's /api/v1/format_query and highlighted.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { apiGet } from '../api';
import { PromQLCode } from '../components/PromQLCode';
import { formatDuration } from '../time';
import type { Rule } from './api';

function useFormattedQuery(query: string, format: boolean): string {
  const [formatted, setFormatted] = useState(query);
  useEffect(() => {
    if (!format) return;
    const ctl = new AbortController();
    // The rule text as the API gave it stays when the server cannot format it.
    apiGet<string>('format_query', { query }, ctl.signal).then(setFormatted, () => undefined);
    return () => ctl.abort();
  }, [query, format]);
  return formatted;
}

/** YAML's plain scalars cannot hold everything; quote the rest as JSON strings (valid YAML). */
function yamlScalar(v: string): string {
  return /^[\w./-][\w ./:-]*$/.test(v) && !/[: ]$/.test(v) ? v : JSON.stringify(v);
}

function YamlMap({ name, map }: { name: string; map: Record<string, string> | undefined }) {
  const entries = Object.entries(map ?? {});
  if (!entries.length) return null;
  return (
    <>
      <span class="yaml-key">{name}:</span>
      {'\n'}
      {entries.map(([k, v]) => (
        <Fragment key={k}>
          {'  '}
          <span class="yaml-key">{k}:</span> {yamlScalar(v)}
          {'\n'}
        </Fragment>
      ))}
    </>
  );
}

/**
 * `format` pretty-prints the expression through the server (one request per rule: for a rule
 * the user opened, not for every rule on a page).
 */
export function RuleDefinition({ rule, format }: { rule: Rule; format: boolean }) {
  const expr = useFormattedQuery(rule.query, format);
  const multiline = expr.includes('\n');
  return (
    <pre class="rule-definition" data-testid="rule-definition">
      <span class="yaml-key">{rule.type === 'alerting' ? 'alert' : 'record'}:</span> {rule.name}
      {'\n'}
      <span class="yaml-key">expr:</span>
      {multiline ? ' |\n' : ' '}
      <PromQLCode expr={multiline ? expr.replace(/^/gm, '  ') : expr} />
      {'\n'}
      {rule.type === 'alerting' && rule.duration > 0 && (
        <>
          <span class="yaml-key">for:</span> {formatDuration(rule.duration * 1000)}
          {'\n'}
        </>
      )}
      {rule.type === 'alerting' && (rule.keepFiringFor ?? 0) > 0 && (
        <>
          <span class="yaml-key">keep_firing_for:</span> {formatDuration(rule.keepFiringFor! * 1000)}
          {'\n'}
        </>
      )}
      <YamlMap name="labels" map={rule.labels} />
      {rule.type === 'alerting' && <YamlMap name="annotations" map={rule.annotations} />}
    </pre>
  );
}
