// The Explain tab: the expression's syntax tree from /api/v1/parse_query, one row per node
// with its PromQL; selecting a node evaluates that subexpression alone and shows its result.
import { useEffect, useState } from 'preact/hooks';
import { apiGet, formatSeries, type QueryData } from '../../api';
import { PromQLCode } from '../../components/PromQLCode';
import { children, kindOf, toPromQL, type AstNode } from './ast';

// The explain view is for reading: a sample of a node's series is enough.
const SERIES_SHOWN = 10;

interface Props {
  expr: string;
  /** Evaluation time of the subexpressions, ms; null: when the view opened. */
  endMs: number | null;
  onError: (message: string) => void;
}

export function ExplainView({ expr, endMs, onError }: Props) {
  const [openedMs] = useState(Date.now);
  const timeMs = endMs ?? openedMs;
  const [tree, setTree] = useState<AstNode | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setTree(null);
    setSelected(null);
    apiGet<AstNode>('parse_query', { query: expr }, ctl.signal)
      .then(setTree)
      .catch((e: Error) => e.name !== 'AbortError' && onError(e.message));
    return () => ctl.abort();
  }, [expr]);

  if (!tree) return null;
  return (
    <div class="explain" data-testid="explain">
      <ul class="explain-tree" role="tree">
        <TreeNode node={tree} path="0" selected={selected} onSelect={setSelected} timeMs={timeMs} />
      </ul>
    </div>
  );
}

interface TreeNodeProps {
  node: AstNode;
  /** The node's position in the tree (`0.1.0`), which tells apart equal subexpressions. */
  path: string;
  selected: string | null;
  onSelect: (path: string | null) => void;
  timeMs: number;
}

function TreeNode({ node, path, selected, onSelect, timeMs }: TreeNodeProps) {
  const promql = toPromQL(node);
  const kids = children(node);
  const isSelected = selected === path;
  return (
    <li role="treeitem" aria-expanded={kids.length ? true : undefined} aria-selected={isSelected}>
      <button class={isSelected ? 'explain-node selected' : 'explain-node'} data-testid="explain-node" onClick={() => onSelect(isSelected ? null : path)}>
        <PromQLCode expr={promql} />
        <span class="explain-kind">{kindOf(node)}</span>
      </button>
      {isSelected && <NodeResult promql={promql} timeMs={timeMs} />}
      {kids.length > 0 && (
        <ul role="group">
          {kids.map((k, i) => (
            <TreeNode key={i} node={k} path={`${path}.${i}`} selected={selected} onSelect={onSelect} timeMs={timeMs} />
          ))}
        </ul>
      )}
    </li>
  );
}

function NodeResult({ promql, timeMs }: { promql: string; timeMs: number }) {
  const [data, setData] = useState<QueryData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    apiGet<QueryData>('query', { query: promql, time: String(timeMs / 1000) }, ctl.signal)
      .then(setData)
      .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    return () => ctl.abort();
  }, [promql, timeMs]);

  if (error) return <div class="error explain-result">{error}</div>;
  if (!data) return <div class="info explain-result">Evaluating…</div>;
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    return (
      <div class="explain-result" data-testid="explain-result">
        {data.resultType}: <code>{data.result[1]}</code>
      </div>
    );
  }
  const n = data.result.length;
  return (
    <div class="explain-result" data-testid="explain-result">
      <div data-testid="explain-count">
        {n} series ({data.resultType === 'matrix' ? 'range vector' : 'instant vector'})
      </div>
      <ul class="explain-series">
        {data.result.slice(0, SERIES_SHOWN).map((s, i) => (
          <li key={i}>{formatSeries(s.metric)}</li>
        ))}
      </ul>
      {n > SERIES_SHOWN && <div class="muted">and {n - SERIES_SHOWN} more</div>}
    </div>
  );
}
