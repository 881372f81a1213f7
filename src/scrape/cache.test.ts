import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import { ScrapeCache, hashBytes } from './cache.js';

const enc = (s: string) => Buffer.from(s, 'utf8');

function lookup(c: ScrapeCache, key: string): number {
  const b = enc(`xx${key}yy`);
  return c.find(b, 2, b.length - 2, hashBytes(b, 2, b.length - 2));
}

test('hashBytes depends on every byte and the span, not on the bytes around it', () => {
  const a = enc('metric{a="1"}');
  assert.equal(hashBytes(a, 0, a.length), hashBytes(enc(`__${'metric{a="1"}'}__`), 2, a.length + 2));
  const seen = new Set<number>();
  for (let len = 0; len <= 9; len++) seen.add(hashBytes(enc('abcdefghi'), 0, len));
  assert.equal(seen.size, 10, 'each prefix length hashes differently');
  assert.notEqual(hashBytes(enc('metric{a="1"}'), 0, 13), hashBytes(enc('metric{a="2"}'), 0, 13));
});

test('entries are found by exact bytes, survive growth, and removal keeps the rest reachable', () => {
  const c = new ScrapeCache();
  const n = 5000;
  for (let i = 0; i < n; i++) {
    const b = enc(`m{i="${i}"}`);
    const id = c.add(b, 0, b.length, hashBytes(b, 0, b.length), i % 7 === 0 ? null : Labels.fromStrings('i', String(i)));
    c.ref[id] = i + 1;
  }
  assert.equal(c.count, n);
  for (let i = 0; i < n; i++) {
    const id = lookup(c, `m{i="${i}"}`);
    assert.ok(id >= 0, `entry ${i}`);
    assert.equal(c.ref[id], i + 1);
    assert.equal(c.labels[id] === null, i % 7 === 0);
  }
  assert.equal(lookup(c, 'm{i="5000"}'), -1);
  assert.equal(lookup(c, 'm{i="1"} '), -1, 'a longer key with the same prefix is another entry');
  for (let i = 0; i < n; i += 2) c.remove(lookup(c, `m{i="${i}"}`));
  assert.equal(c.count, n / 2);
  for (let i = 0; i < n; i++) assert.equal(lookup(c, `m{i="${i}"}`) >= 0, i % 2 === 1, `entry ${i} after removals`);
  // Reused ids and a compacted key pool still give the right entries.
  for (let i = n; i < 2 * n; i++) {
    const b = enc(`other_metric_with_a_longer_name{i="${i}"}`);
    c.ref[c.add(b, 0, b.length, hashBytes(b, 0, b.length), null)] = i + 1;
  }
  for (let i = n; i < 2 * n; i++) assert.equal(c.ref[lookup(c, `other_metric_with_a_longer_name{i="${i}"}`)], i + 1);
  for (let i = 1; i < n; i += 2) assert.equal(c.ref[lookup(c, `m{i="${i}"}`)], i + 1);
});
