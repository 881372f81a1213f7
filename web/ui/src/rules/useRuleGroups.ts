// The rule groups of /api/v1/rules, fetched once per page; `type` narrows them as the API does.
import { useEffect, useState } from 'preact/hooks';
import { apiGet } from '../api';
import type { RuleGroup } from './api';

export function useRuleGroups(type: 'alert' | 'record' | undefined): { groups: RuleGroup[] | null; error: string | null } {
  const [groups, setGroups] = useState<RuleGroup[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    apiGet<{ groups: RuleGroup[] }>('rules', type ? { type } : {}, ctl.signal)
      .then((d) => setGroups(d.groups))
      .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    return () => ctl.abort();
  }, [type]);
  return { groups, error };
}
