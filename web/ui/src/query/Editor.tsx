// The PromQL editor: CodeMirror 6 with Prometheus's own PromQL language package, which
// highlights, lints, and completes functions, metric names, label names and values from our API.
import { useEffect, useRef } from 'preact/hooks';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, insertNewline } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightSpecialChars, keymap, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { apiBaseUrl } from '../api';
import { historyCompletionSource } from './history';

// Colours come from CSS variables so the editor follows the light/dark theme without rebuilding.
const highlight = HighlightStyle.define([
  { tag: tags.number, color: 'var(--hl-number)' },
  { tag: tags.string, color: 'var(--hl-string)' },
  { tag: tags.keyword, color: 'var(--hl-keyword)', fontWeight: 'bold' },
  { tag: tags.function(tags.variableName), color: 'var(--hl-function)' },
  { tag: tags.labelName, color: 'var(--hl-label)' },
  { tag: tags.operator, color: 'var(--hl-operator)' },
  { tag: tags.modifier, color: 'var(--hl-keyword)', fontWeight: 'bold' },
  { tag: tags.comment, color: 'var(--muted)', fontStyle: 'italic' },
  { tag: tags.invalid, color: 'var(--error)' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '14px', border: '1px solid var(--border)', borderRadius: '4px', background: 'var(--input-bg)', flex: '1' },
  '&.cm-focused': { outline: '2px solid var(--accent)' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--fg)', padding: '6px 0' },
  '.cm-placeholder': { color: 'var(--muted)' },
  '.cm-tooltip': { background: 'var(--panel-bg)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { background: 'var(--accent)', color: '#fff' },
  '.cm-completionDetail': { color: 'var(--muted)', marginLeft: '1em' },
  '.cm-tooltip-autocomplete completion-section': { color: 'var(--muted)', fontSize: '12px', borderBottom: '1px solid var(--border)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--error)' },
});

// One completion client for all panels, so the metric-name cache is shared.
const promql = new PromQLExtension().setComplete({ remote: { url: apiBaseUrl(), cache: { maxAge: 60_000 } } });

/**
 * An uncontrolled editor: `value` is the initial text; edits are reported through `onChange`.
 * `view` receives the CodeMirror view, for callers that insert or replace text.
 */
export function Editor(props: { value: string; onChange: (v: string) => void; onExecute: () => void; view?: { current: EditorView | null } }) {
  const host = useRef<HTMLDivElement>(null);
  // The editor is created once; these refs let its callbacks see the latest props.
  const onChange = useRef(props.onChange);
  const onExecute = useRef(props.onExecute);
  onChange.current = props.onChange;
  onExecute.current = props.onExecute;

  useEffect(() => {
    const execute = () => {
      onExecute.current();
      return true;
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          highlightSpecialChars(),
          history(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          autocompletion(),
          syntaxHighlighting(highlight),
          placeholder('Enter expression (press Ctrl/Cmd+Enter or Enter to execute)'),
          EditorView.lineWrapping,
          theme,
          promql.asExtension(),
          // Past queries complete too, after the PromQL completions (Prometheus 3 does the same).
          EditorState.languageData.of(() => [{ autocomplete: historyCompletionSource }]),
          // Below the completion keymap, so Enter picks a completion while the list is open.
          keymap.of([
            { key: 'Mod-Enter', run: execute },
            { key: 'Enter', run: execute },
            { key: 'Shift-Enter', run: insertNewline },
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...historyKeymap,
            ...completionKeymap,
            ...lintKeymap,
          ]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChange.current(u.state.doc.toString());
          }),
          EditorView.contentAttributes.of({ 'aria-label': 'PromQL expression', 'data-testid': 'promql-editor' }),
        ],
      }),
    });
    if (props.view) props.view.current = v;
    return () => {
      if (props.view) props.view.current = null;
      v.destroy();
    };
  }, []);

  return <div class="editor" ref={host} />;
}
