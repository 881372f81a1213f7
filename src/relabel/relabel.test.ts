import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import { compileRelabelRule, type RelabelConfigInput } from './config.js';
import { relabel } from './relabel.js';

const L = (o: Record<string, string>) => Labels.fromRecord(o);

interface Case {
  name: string;
  input: Record<string, string>;
  rules: RelabelConfigInput[];
  /** null: dropped. */
  want: Record<string, string> | null;
}

const cases: Case[] = [
  {
    name: 'replace with capture group',
    input: { a: 'foo', b: 'bar' },
    rules: [{ source_labels: ['a'], regex: 'f(.*)', target_label: 'd', replacement: 'ch${1}-ch${1}' }],
    want: { a: 'foo', b: 'bar', d: 'choo-choo' },
  },
  {
    name: 'replace joins sources with the separator',
    input: { a: 'foo', b: 'bar', c: 'baz' },
    rules: [{ source_labels: ['a', 'b'], regex: 'f(.*);(.*)r', target_label: 'a', replacement: 'b${1}${2}m' }],
    want: { a: 'boobam', b: 'bar', c: 'baz' },
  },
  {
    name: 'regex is anchored: no match, no change',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'o', target_label: 'b', replacement: 'x' }],
    want: { a: 'foo' },
  },
  {
    name: 'empty replacement deletes the target',
    input: { a: 'foo', b: 'bar' },
    rules: [{ source_labels: ['a'], regex: '.*', target_label: 'b', replacement: '' }],
    want: { a: 'foo' },
  },
  {
    name: '$1x names group "1x", which is empty',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: '(f)oo', target_label: 'b', replacement: '$1x-$$-${1}x' }],
    want: { a: 'foo', b: '-$-fx' },
  },
  {
    name: 'templated target label',
    input: { a: 'some-name-value' },
    rules: [{ source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', target_label: '${1}', replacement: '${2}' }],
    want: { a: 'some-name-value', name: 'value' },
  },
  {
    name: 'named groups',
    input: { a: 'foo-bar' },
    rules: [{ source_labels: ['a'], regex: '(?P<x>\\w+)-(?P<y>\\w+)', target_label: 'b', replacement: '$y.$x' }],
    want: { a: 'foo-bar', b: 'bar.foo' },
  },
  {
    name: 'keep drops non-matching',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'bar', action: 'keep' }],
    want: null,
  },
  {
    name: 'keep of a missing label matches the empty string',
    input: { a: 'foo' },
    rules: [{ source_labels: ['z'], regex: '', action: 'keep' }],
    want: { a: 'foo' },
  },
  {
    name: 'drop drops matching',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'f.*', action: 'drop' }],
    want: null,
  },
  {
    name: 'keepequal / dropequal',
    input: { a: 'x', b: 'x' },
    rules: [{ source_labels: ['a'], target_label: 'b', action: 'keepequal' }, { source_labels: ['a'], target_label: 'c', action: 'dropequal' }],
    want: { a: 'x', b: 'x' },
  },
  {
    name: 'dropequal drops equal',
    input: { a: 'x', b: 'x' },
    rules: [{ source_labels: ['a'], target_label: 'b', action: 'dropequal' }],
    want: null,
  },
  {
    name: 'hashmod matches Prometheus (md5, low 8 bytes)',
    input: { a: 'foo', b: 'bar', c: 'baz' },
    rules: [{ source_labels: ['c'], target_label: 'd', action: 'hashmod', modulus: 1000 }],
    want: { a: 'foo', b: 'bar', c: 'baz', d: '976' },
  },
  {
    name: 'labelmap copies matching names',
    input: { __meta_my_bar: 'aaa', __meta_my_baz: 'bbb', __meta_other: 'ccc' },
    rules: [{ action: 'labelmap', regex: '__meta_my_(.+)', replacement: '${1}' }],
    want: { __meta_my_bar: 'aaa', __meta_my_baz: 'bbb', __meta_other: 'ccc', bar: 'aaa', baz: 'bbb' },
  },
  {
    name: 'labeldrop and labelkeep',
    input: { a: '1', b: '2', c: '3' },
    rules: [{ action: 'labeldrop', regex: 'a' }, { action: 'labelkeep', regex: 'b|z' }],
    want: { b: '2' },
  },
  {
    name: 'lowercase and uppercase',
    input: { a: 'AbC' },
    rules: [{ source_labels: ['a'], action: 'lowercase', target_label: 'l' }, { source_labels: ['a'], action: 'uppercase', target_label: 'u' }],
    want: { a: 'AbC', l: 'abc', u: 'ABC' },
  },
  {
    name: 'default rule copies nothing without source labels (empty value deletes target)',
    input: { a: 'foo' },
    rules: [{ target_label: 'a' }],
    want: {},
  },
];

for (const c of cases) {
  test(`relabel: ${c.name}`, () => {
    const rules = c.rules.map((r) => compileRelabelRule(r));
    const got = relabel(L(c.input), rules);
    if (c.want === null) assert.equal(got, null);
    else {
      assert.ok(got);
      assert.deepEqual(got.toRecord(), c.want);
    }
  });
}

test('relabel config validation uses upstream wording', () => {
  const bad: [RelabelConfigInput, string][] = [
    [{ action: 'hashmod', target_label: 'x' }, 'relabel configuration for hashmod requires non-zero modulus'],
    [{ action: 'replace' }, "relabel configuration for replace action requires 'target_label' value"],
    [{ action: 'keepequal', source_labels: ['a'] }, "relabel configuration for keepequal action requires 'target_label' value"],
    [{ action: 'dropequal', source_labels: ['a'], target_label: 'b', regex: 'x' }, "dropequal action requires only 'source_labels' and `target_label`, and no other fields"],
    [{ action: 'labeldrop', regex: 'a', source_labels: ['b'] }, "labeldrop action requires only 'regex', and no other fields"],
    [{ action: 'labelkeep', regex: 'a', separator: ',' }, "labelkeep action requires only 'regex', and no other fields"],
    [{ action: 'lowercase', source_labels: ['a'], target_label: 'b', replacement: 'x' }, "'replacement' can not be set for lowercase action"],
    [{ action: 'nope' }, 'unknown relabel action "nope"'],
    [{ action: 'keep', regex: '(?=a)' }, 'error parsing regexp'],
    [{ action: 'replace', target_label: '1bad' }, `"1bad" is invalid 'target_label' for replace action`],
  ];
  for (const [input, msg] of bad) {
    assert.throws(() => compileRelabelRule(input, 'legacy'), (e: Error) => e.message.includes(msg), JSON.stringify(input));
  }
  assert.doesNotThrow(() => compileRelabelRule({ action: 'replace', target_label: 'a.b' }, 'utf8'));
});
