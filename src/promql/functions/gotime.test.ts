import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daysInMonth, goCalendar } from './gotime.js';

// [input, year, month, day_of_month, day_of_year, day_of_week, hour, minute, days_in_month],
// each row answered by Prometheus 2.42 (amd64) for `f(vector(input))`.
const PROMETHEUS_2_42: [number, ...number[]][] = [
  [NaN, 292277026596, 12, 4, 339, 0, 15, 30, 31],
  [Infinity, 292277026596, 12, 4, 339, 0, 15, 30, 31],
  [-Infinity, 292277026596, 12, 4, 339, 0, 15, 30, 31],
  [1e19, 292277026596, 12, 4, 339, 0, 15, 30, 31],
  [-1e13, -314918, 8, 13, 225, 0, 6, 13, 31],
  [951782400, 2000, 2, 29, 60, 2, 0, 0, 29],
  [-62135596800, 1, 1, 1, 1, 1, 0, 0, 31],
  [-1e17, -3168871881, 4, 27, 117, 4, 14, 13, 30],
  [9e15, 285200616, 7, 24, 206, 3, 16, 0, 31],
];

test('calendar fields match Prometheus, including Go int64 conversion of NaN/Inf and times beyond a JS Date', () => {
  for (const [v, ...want] of PROMETHEUS_2_42) {
    const c = goCalendar(v);
    assert.deepEqual([c.year, c.month, c.day, c.yearDay, c.weekday, c.hour, c.minute, daysInMonth(c)], want, `input ${v}`);
  }
});

test('ordinary times agree with the UTC calendar, leap days included', () => {
  for (let t = -2208988800; t < 4102444800; t += 86400 * 37 + 3671) {
    // Fractions truncate toward zero, as Go's int64() does.
    const c = goCalendar(t + 0.9);
    const d = new Date(Math.trunc(t + 0.9) * 1000);
    assert.deepEqual([c.year, c.month, c.day, c.weekday, c.hour, c.minute], [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay(), d.getUTCHours(), d.getUTCMinutes()]);
    assert.equal(c.yearDay, Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1);
  }
});
