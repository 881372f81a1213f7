import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenMetricsParser } from './openmetricsparse.js';
import { PromParser } from './promparse.js';
import { Entry, ParseError, type Parser } from './types.js';

const SEEDS = [
  '# HELP a_total Help \\\\ x\\n.\n# TYPE a_total counter\na_total{x="1",y="z\\"q"} 1 1700000000000\n\n# c\n{"q.r","s t"="u"} -Inf\nb NaN\n',
  '# TYPE h histogram\n# HELP h x\nh_bucket{le="1"} 1 # {t="a"} 0.5 1.5\nh_bucket{le="+Inf"} 2\nh_count 2\nh_sum 1\nh_created 1.5\n# TYPE s stateset\ns{s="a"} 1\n# UNIT x_b b\n# EOF\n',
];
const ALPHABET = ['{', '}', '"', '\\', ',', '=', ' ', '\t', '\n', '#', 'a', '_', '1', '.', 'e', '-', '+', 'é', '\u0000'];

/** Deterministic mutations of valid payloads: every failure must be a ParseError, never a crash. */
test('mutated inputs fail only with line:column ParseErrors', () => {
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const drain = (p: Parser): void => {
    for (let e = p.next(), i = 0; e !== Entry.EOF; e = p.next(), i++) {
      assert.ok(i < 10_000, 'parser does not advance');
      if (e === Entry.Series) {
        p.series();
        p.labels();
        p.exemplar();
        p.createdTimestamp();
      }
    }
  };
  for (let iter = 0; iter < 1000; iter++) {
    let s = SEEDS[iter % SEEDS.length];
    for (let k = 1 + rnd(3); k > 0; k--) {
      const at = rnd(s.length + 1);
      const op = rnd(3);
      const ch = ALPHABET[rnd(ALPHABET.length)];
      s = op === 0 ? s.slice(0, at) + s.slice(at + 1) : op === 1 ? s.slice(0, at) + ch + s.slice(at) : s.slice(0, at) + ch + s.slice(at + 1);
    }
    const lines = s.split('\n').length;
    for (const make of [() => new PromParser(s), () => new OpenMetricsParser(s), () => new OpenMetricsParser(s, { strict: true, skipCreatedSeries: true })]) {
      try {
        drain(make());
      } catch (e) {
        assert.ok(e instanceof ParseError, `${String(e)} for ${JSON.stringify(s)}`);
        assert.match(e.message, /^\d+:\d+: \S/);
        assert.ok(e.line >= 1 && e.line <= lines, `line ${e.line} outside 1..${lines} for ${JSON.stringify(s)}`);
      }
    }
  }
});
