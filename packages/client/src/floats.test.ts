import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goFloat, omFloat, omSeconds } from './floats.js';

test('goFloat matches Go strconv.FormatFloat(v, g, -1, 64)', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [0.1, '0.1'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [100000, '100000'],
    [999999, '999999'],
    [1000000, '1e+06'],
    [1234567, '1.234567e+06'],
    [1e21, '1e+21'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '5e-324'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ];
  for (const [v, s] of cases) assert.equal(goFloat(v), s, `goFloat(${v})`);
});

test('omFloat renders the canonical OpenMetrics numbers', () => {
  // The examples listed by the OpenMetrics specification.
  const cases: [number, string][] = [
    [0, '0.0'], [0.001, '0.001'], [0.002, '0.002'], [0.01, '0.01'], [0.1, '0.1'], [0.9, '0.9'],
    [0.95, '0.95'], [0.99, '0.99'], [0.999, '0.999'], [1, '1.0'], [1.7, '1.7'], [10, '10.0'],
    [1e-10, '1e-10'], [1e-9, '1e-09'], [1e-5, '1e-05'], [0.0001, '0.0001'], [100000, '100000.0'],
    [1e6, '1e+06'], [1e10, '1e+10'], [1e23, '1e+23'], [1.1e23, '1.1e+23'], [Infinity, '+Inf'], [NaN, 'NaN'],
  ];
  for (const [v, s] of cases) assert.equal(omFloat(v), s, `omFloat(${v})`);
});

test('omSeconds renders millisecond timestamps as fixed-point seconds', () => {
  assert.equal(omSeconds(1520879607789), '1520879607.789');
  assert.equal(omSeconds(1520430000000), '1520430000');
  assert.equal(omSeconds(1520430000100), '1520430000.1');
  assert.equal(omSeconds(1.5), '0.0015');
});

test('goFloat agrees with the shortest round-trip digits across the fixed range', () => {
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < 50_000; i++) {
    const d = Math.floor(rnd() * 8);
    const candidates = [Math.round((rnd() - 0.5) * 2e6 * 10 ** d) / 10 ** d, rnd() * 1000, i / 7, i * 0.1, (rnd() - 0.5) * 1e-2];
    for (const v of candidates) {
      const a = Math.abs(v);
      if (a >= 1e-4 && a < 1e6) assert.equal(goFloat(v), String(v), `goFloat(${v})`);
    }
  }
  assert.equal(goFloat(0.1 + 0.2), '0.30000000000000004');
  assert.equal(goFloat(-1999.5), '-1999.5');
  assert.equal(goFloat(0.000105), '0.000105');
});

test('omSeconds covers every millisecond fraction and sub-millisecond times', () => {
  for (let ms = 0; ms < 1000; ms++) assert.equal(Number(omSeconds(1700000000000 + ms)), 1700000000 + ms / 1000);
  assert.equal(omSeconds(1700000000120), '1700000000.12');
  assert.equal(omSeconds(1700000000000.5), '1700000000.0005');
});
