// A read-only, syntax-highlighted PromQL expression, highlighted with the same grammar the
// editor uses but without an editor instance (rule pages show dozens of them).
import { highlightTree, tagHighlighter, tags } from '@lezer/highlight';
import type { ComponentChildren } from 'preact';
import { LanguageType, promQLLanguage } from '@prometheus-io/codemirror-promql';

const parser = promQLLanguage(LanguageType.PromQL).parser;

// The tags the editor colours (Editor.tsx), as classes styled with the same CSS variables.
const highlighter = tagHighlighter([
  { tag: tags.number, class: 'tok-number' },
  { tag: tags.string, class: 'tok-string' },
  { tag: [tags.keyword, tags.modifier], class: 'tok-keyword' },
  { tag: tags.function(tags.variableName), class: 'tok-function' },
  { tag: tags.labelName, class: 'tok-labelName' },
  { tag: tags.operator, class: 'tok-operator' },
  { tag: tags.invalid, class: 'tok-invalid' },
]);

export function PromQLCode({ expr }: { expr: string }) {
  const parts: ComponentChildren[] = [];
  let pos = 0;
  highlightTree(parser.parse(expr), highlighter, (from, to, cls) => {
    if (from > pos) parts.push(expr.slice(pos, from));
    parts.push(<span class={cls}>{expr.slice(from, to)}</span>);
    pos = to;
  });
  if (pos < expr.length) parts.push(expr.slice(pos));
  return <code class="promql">{parts}</code>;
}
