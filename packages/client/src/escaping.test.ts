import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeName } from './escaping.js';

test('legacy names pass unchanged except under dots escaping', () => {
  for (const s of ['underscores', 'values', 'allow-utf-8'] as const) assert.equal(escapeName('http_requests:rate5m', s, true), 'http_requests:rate5m');
  assert.equal(escapeName('http_requests', 'dots', true), 'http__requests');
});

test('UTF-8 names under each escaping scheme', () => {
  assert.equal(escapeName('my.metric-name', 'underscores', true), 'my_metric_name');
  assert.equal(escapeName('my.metric_name', 'dots', true), 'my_dot_metric__name');
  assert.equal(escapeName('my.metric_name', 'values', true), 'U__my_2e_metric__name');
  assert.equal(escapeName('1st', 'values', true), 'U___31_st');
  assert.equal(escapeName('1st', 'underscores', true), '_st');
  assert.equal(escapeName('ünits', 'values', true), 'U___fc_nits');
  assert.equal(escapeName('a:b', 'underscores', false), 'a_b');
  assert.equal(escapeName('a.b', 'allow-utf-8', false), 'a.b');
});
