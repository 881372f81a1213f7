import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffAnswers, labelKey, valuesAgree, type ApiAnswer } from './compare.js';

const vec = (...s: Array<[Record<string, string>, string]>): ApiAnswer => ({
  status: 'success',
  data: { resultType: 'vector', result: s.map(([metric, v]) => ({ metric, value: [10.5, v] })) },
});

test('values: 1e-9 relative, NaN equals NaN, infinities exactly', () => {
  assert.ok(valuesAgree(1, 1 + 1e-10));
  assert.ok(!valuesAgree(1, 1 + 1e-8));
  assert.ok(valuesAgree(NaN, NaN));
  assert.ok(!valuesAgree(NaN, 0));
  assert.ok(valuesAgree(Infinity, Infinity));
  assert.ok(!valuesAgree(Infinity, -Infinity));
  assert.ok(!valuesAgree(Infinity, 1e308));
  assert.ok(valuesAgree(0, 1e-13));
});

test('label sets exactly, order-insensitive unless ordered', () => {
  assert.equal(labelKey({ b: '2', a: '1' }), '{a="1", b="2"}');
  const a = vec([{ x: '1' }, '1'], [{ x: '2' }, '2']);
  const b = vec([{ x: '2' }, '2'], [{ x: '1' }, '1']);
  assert.equal(diffAnswers(a, b), undefined);
  assert.match(diffAnswers(a, b, { ordered: true }) ?? '', /order differs/);
  assert.match(diffAnswers(a, vec([{ x: '1', __name__: 'm' }, '1'], [{ x: '2' }, '2'])) ?? '', /only in Prometheus/);
  assert.match(diffAnswers(vec([{ x: '1' }, '1'], [{ x: '1' }, '2']), a) ?? '', /twice/);
  assert.match(diffAnswers(a, vec([{ x: '1' }, '1'], [{ x: '2' }, 'NaN'])) ?? '', /Pyrometer 2, Prometheus NaN/);
});

test('errors, result types, scalars and range points', () => {
  const err: ApiAnswer = { status: 'error', error: 'boom' };
  assert.equal(diffAnswers(err, { status: 'error', error: 'other' }), undefined);
  assert.match(diffAnswers(err, vec()) ?? '', /only Pyrometer failed/);
  const scalar = (v: string): ApiAnswer => ({ status: 'success', data: { resultType: 'scalar', result: [1, v] } });
  assert.equal(diffAnswers(scalar('+Inf'), scalar('+Inf')), undefined);
  assert.match(diffAnswers(scalar('1'), vec()) ?? '', /result type/);
  const mat = (pts: Array<[number, string]>): ApiAnswer => ({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: pts }] } });
  assert.equal(diffAnswers(mat([[1, '1'], [2, '2']]), mat([[1, '1'], [2, '2']])), undefined);
  assert.match(diffAnswers(mat([[1, '1']]), mat([[1, '1'], [2, '2']])) ?? '', /only in Prometheus/);
  assert.match(diffAnswers(mat([[1, '1'], [2, '3']]), mat([[1, '1'], [2, '2']])) ?? '', /at 2: Pyrometer 3, Prometheus 2/);
});
