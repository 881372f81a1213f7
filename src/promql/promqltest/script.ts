/**
 * Parser for the PromQL test-script language (`load`, `clear`, `eval instant|range`,
 * `eval_fail`, `expect ...` lines and expected series).
 */
import type { Labels } from '../../model/labels.js';
import { parseNumber, parseSeriesDesc, parseTestDuration, readQuoted, type SeqItem, type SeriesDesc } from './series_desc.js';

export interface LoadCmd {
  kind: 'load';
  line: number;
  interval: number;
  withNhcb: boolean;
  series: SeriesDesc[];
}

export interface ClearCmd {
  kind: 'clear';
  line: number;
}

export type MatchKind = 'msg' | 'regex' | null;

export interface Expectation {
  type: 'fail' | 'warn' | 'info' | 'no_warn' | 'no_info' | 'ordered';
  match: MatchKind;
  text: string;
}

export interface ExpectedSeries {
  labels: Labels;
  items: SeqItem[];
}

export interface EvalCmd {
  kind: 'eval';
  line: number;
  expr: string;
  range: boolean;
  /** Instant time, or range start (ms). */
  start: number;
  end: number;
  step: number;
  expectations: Expectation[];
  /** Expected scalar result, if the result line was a bare number. */
  scalar: number | undefined;
  /** Expected string result (`expect string`). */
  string: string | undefined;
  /** `expect range vector from .. to .. step ..` for instant queries returning a matrix. */
  rangeVector: { start: number; end: number; step: number } | undefined;
  series: ExpectedSeries[];
  /** The expected output holds native histogram samples. */
  histogramOutput: boolean;
}

export type Command = LoadCmd | ClearCmd | EvalCmd;

export class ScriptError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const INSTANT_RE = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const RANGE_RE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const EXPECT_RE = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.*))?$/;
const RANGE_VECTOR_RE = /^expect\s+range\s+vector\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$/;

/** Parses a whole script. Comment lines count as blank lines, which end a command. */
export function parseScript(text: string): Command[] {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const cmds: Command[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    if (l === '') {
      i++;
      continue;
    }
    const body: { text: string; line: number }[] = [];
    let j = i + 1;
    // `clear` has no body: a command may follow on the next line.
    while (j < lines.length && lines[j] !== '' && l !== 'clear') {
      body.push({ text: lines[j], line: j + 1 });
      j++;
    }
    cmds.push(parseCommand(l, i + 1, body));
    i = j;
  }
  return cmds;
}

function parseCommand(head: string, line: number, body: { text: string; line: number }[]): Command {
  const word = head.split(/\s+/)[0];
  if (word === 'clear') return { kind: 'clear', line };
  if (word === 'load' || word === 'load_with_nhcb') {
    const parts = head.split(/\s+/);
    if (parts.length !== 2) throw new ScriptError(line, `invalid load command ${JSON.stringify(head)}`);
    const interval = dur(parts[1], line);
    const series = body.map((b) => {
      try {
        return parseSeriesDesc(b.text);
      } catch (e) {
        throw new ScriptError(b.line, (e as Error).message);
      }
    });
    return { kind: 'load', line, interval, withNhcb: word === 'load_with_nhcb', series };
  }
  if (word.startsWith('eval')) return parseEval(head, line, body);
  throw new ScriptError(line, `unknown command ${JSON.stringify(word)}`);
}

function dur(s: string, line: number): number {
  try {
    return parseTestDuration(s.trim());
  } catch (e) {
    throw new ScriptError(line, (e as Error).message);
  }
}

function parseEval(head: string, line: number, body: { text: string; line: number }[]): EvalCmd {
  const cmd: EvalCmd = {
    kind: 'eval',
    line,
    expr: '',
    range: false,
    start: 0,
    end: 0,
    step: 0,
    expectations: [],
    scalar: undefined,
    string: undefined,
    rangeVector: undefined,
    series: [],
    histogramOutput: false,
  };
  let legacy: string | undefined;
  const r = RANGE_RE.exec(head);
  if (r) {
    legacy = r[1];
    cmd.range = true;
    cmd.start = dur(r[2], line);
    cmd.end = dur(r[3], line);
    cmd.step = dur(r[4], line);
    cmd.expr = r[5];
    if (cmd.end < cmd.start) throw new ScriptError(line, 'invalid range: end before start');
  } else {
    const m = INSTANT_RE.exec(head);
    if (!m) throw new ScriptError(line, `invalid eval command ${JSON.stringify(head)}`);
    legacy = m[1];
    cmd.start = cmd.end = m[2] === undefined ? 0 : dur(m[2], line);
    cmd.expr = m[3];
  }
  if (legacy === 'fail') cmd.expectations.push({ type: 'fail', match: null, text: '' });
  else if (legacy === 'ordered') cmd.expectations.push({ type: 'ordered', match: null, text: '' });
  else if (legacy === 'warn' || legacy === 'info') cmd.expectations.push({ type: legacy, match: null, text: '' });

  for (const b of body) {
    const t = b.text;
    if (t.startsWith('expect ')) {
      const rv = RANGE_VECTOR_RE.exec(t);
      if (rv) {
        cmd.rangeVector = { start: dur(rv[1], b.line), end: dur(rv[2], b.line), step: dur(rv[3], b.line) };
        continue;
      }
      if (t.startsWith('expect string ')) {
        const s = t.slice('expect string '.length).trim();
        try {
          cmd.string = readQuoted(s, 0).value;
        } catch (e) {
          throw new ScriptError(b.line, (e as Error).message);
        }
        continue;
      }
      const e = EXPECT_RE.exec(t);
      if (!e) throw new ScriptError(b.line, `invalid expect line ${JSON.stringify(t)}`);
      cmd.expectations.push({
        type: e[1] as Expectation['type'],
        match: (e[2] as MatchKind) ?? null,
        text: (e[3] ?? '').trim(),
      });
      continue;
    }
    if (t.startsWith('expected_fail_message ')) {
      cmd.expectations.push({ type: 'fail', match: 'msg', text: t.slice(22).trim() });
      continue;
    }
    if (t.startsWith('expected_fail_regexp ')) {
      cmd.expectations.push({ type: 'fail', match: 'regex', text: t.slice(21).trim() });
      continue;
    }
    const num = parseNumber(t);
    if (num !== undefined) {
      cmd.scalar = num;
      continue;
    }
    try {
      const d = parseSeriesDesc(t);
      if (d.histogram) cmd.histogramOutput = true;
      cmd.series.push({ labels: d.labels, items: d.items });
    } catch (err) {
      throw new ScriptError(b.line, (err as Error).message);
    }
  }
  return cmd;
}
