import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, formatDuration, isDuration, DurationError } from './duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('parseDuration accepts every unit and combinations in order', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['0s', 0],
    ['5m', 5 * M],
    ['1h30m', H + 30 * M],
    ['10s53ms', 10 * S + 53],
    ['9m10s', 9 * M + 10 * S],
    ['1y', 365 * D],
    ['1w', 7 * D],
    ['1d', D],
    ['123ms', 123],
    ['1y2w3d4h5m6s7ms', 365 * D + 14 * D + 3 * D + 4 * H + 5 * M + 6 * S + 7],
    ['015m', 15 * M],
  ];
  for (const [s, want] of cases) assert.equal(parseDuration(s), want, s);
});

test('parseDuration rejects malformed durations', () => {
  for (const s of ['', '5', '1.5h', '-5m', '5m1h', '1h1h', 'm', '5x', '5 m', '1ms1s', ' 5m', '5mm']) {
    assert.throws(() => parseDuration(s), DurationError, JSON.stringify(s));
    assert.equal(isDuration(s), false);
  }
  assert.throws(() => parseDuration('1h2x'), { message: 'unknown unit "x" in duration "1h2x"' });
  assert.throws(() => parseDuration('5y1hs'), { message: 'unknown unit "hs" in duration "5y1hs"' });
  assert.throws(() => parseDuration('5m1h'), { message: 'not a valid duration string: "5m1h"' });
  assert.throws(() => parseDuration(''), { message: 'empty duration string' });
  assert.throws(() => parseDuration('99999999999999y'), { message: 'duration out of range' });
  assert.equal(parseDuration('106751d'), 106751 * D);
  assert.throws(() => parseDuration('106752d'), { message: 'duration out of range' });
});

test('formatDuration prints like Prometheus', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [5 * M, '5m'],
    [H + 30 * M, '1h30m'],
    [10 * S + 53, '10s53ms'],
    [90 * D, '90d'],
    [14 * D, '2w'],
    [15 * D, '15d'],
    [365 * D, '1y'],
    [366 * D, '366d'],
    [730 * D, '2y'],
    [1, '1ms'],
    [D + 1, '1d1ms'],
    [-5 * M, '-5m'],
  ];
  for (const [ms, want] of cases) assert.equal(formatDuration(ms), want, String(ms));
});

test('formatDuration output parses back to the same value', () => {
  for (const ms of [0, 1, 999, 1000, 61_000, 3_600_000, 86_400_001, 604_800_000, 31_536_000_000, 123_456_789]) {
    assert.equal(parseDuration(formatDuration(ms)), ms);
  }
});
