import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScript, ScriptError } from './script.js';

const SCRIPT = `# comment
load 5m
  a{x="1"} 1 2 3

clear
eval instant at 10m sum(a)
  expect warn msg: PromQL warning: something (1:1)
  expect no_info
  {} 6

eval range from 0 to 10m step 5m a
  a{x="1"} 1 2 3

eval_fail instant at 0 -{x="1"}

eval instant at 1m a[1m]
  expect range vector from 0 to 1m step 1m
  expect ordered
  a{x="1"} 1 2
`;

test('scripts parse into commands with expectations', () => {
  const cmds = parseScript(SCRIPT);
  assert.deepEqual(cmds.map((c) => c.kind), ['load', 'clear', 'eval', 'eval', 'eval', 'eval']);
  const [load, , inst, range, fail, rv] = cmds;
  assert.ok(load.kind === 'load' && load.interval === 300000 && load.series.length === 1);
  assert.ok(inst.kind === 'eval' && !inst.range && inst.start === 600000 && inst.expr === 'sum(a)');
  assert.deepEqual(inst.expectations, [
    { type: 'warn', match: 'msg', text: 'PromQL warning: something (1:1)' },
    { type: 'no_info', match: null, text: '' },
  ]);
  assert.ok(range.kind === 'eval' && range.range && range.end === 600000 && range.step === 300000);
  assert.ok(fail.kind === 'eval' && fail.expectations[0].type === 'fail');
  assert.ok(rv.kind === 'eval');
  assert.deepEqual(rv.rangeVector, { start: 0, end: 60000, step: 60000 });
  assert.equal(rv.expectations[0].type, 'ordered');
});

test('a scalar result line and errors with line numbers', () => {
  const [e] = parseScript('eval instant at 0 1 + 1\n  2\n');
  assert.ok(e.kind === 'eval' && e.scalar === 2);
  assert.throws(() => parseScript('load 5m\n  m{a=} 1\n'), (err: unknown) => err instanceof ScriptError && err.line === 2);
  assert.throws(() => parseScript('frobnicate\n'), ScriptError);
});
