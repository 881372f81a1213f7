// A read-only, syntax-highlighted PromQL expression, highlighted with the same grammar the
// editor uses but without an editor instance (rule pages show dozens of them).
import { classHighlighter, highlightTree } from '@lezer/highlight';
import type { ComponentChildren } from 'preact';
import { LanguageType, promQLLanguage } from '@prometheus-io/codemirror-promql';

const parser = promQLLanguage(LanguageType.PromQL).parser;

export function PromQLCode({ expr }: { expr: string }) {
  const parts: ComponentChildren[] = [];
  let pos = 0;
  highlightTree(parser.parse(expr), classHighlighter, (from, to, cls) => {
    if (from > pos) parts.push(expr.slice(pos, from));
    parts.push(<span class={cls}>{expr.slice(from, to)}</span>);
    pos = to;
  });
  if (pos < expr.length) parts.push(expr.slice(pos));
  return <code class="promql">{parts}</code>;
}
