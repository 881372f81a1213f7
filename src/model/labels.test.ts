import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels, LabelsBuilder } from './labels.js';

test('labels are sorted, drop empty values and compare by content', () => {
  const a = Labels.fromStrings('job', 'api', '__name__', 'up', 'x', '');
  assert.deepEqual(a.toFlat(), ['__name__', 'up', 'job', 'api']);
  const b = new LabelsBuilder().set('job', 'api').set('__name__', 'up').labels();
  assert.ok(a.equals(b));
  assert.equal(a.hash(), b.hash());
  assert.equal(Labels.compare(a, b), 0);
  assert.equal(a.toString(), '{__name__="up", job="api"}');
});

test('hash separates string boundaries and subsets', () => {
  const a = Labels.fromStrings('a', 'bc');
  const b = Labels.fromStrings('ab', 'c');
  assert.notEqual(a.hash(), b.hash());
  const x = Labels.fromStrings('__name__', 'm', 'a', '1', 'b', '2');
  const y = Labels.fromStrings('__name__', 'n', 'a', '1', 'b', '3');
  assert.equal(x.hashForLabels(['a']), y.hashForLabels(['a']));
  assert.notEqual(x.hashForLabels(['a', 'b']), y.hashForLabels(['a', 'b']));
  assert.equal(x.hashWithoutLabels(['b']), y.hashWithoutLabels(['b']));
});
