import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeToken, Lexer, type Token } from './lexer.js';

function lex(q: string): Token[] {
  const l = new Lexer(q);
  const out: Token[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = l.next();
    out.push(t);
    if (t.type === 'EOF' || t.type === 'ERROR') break;
  }
  return out;
}

test('token types, values and positions', () => {
  const q = 'SUM by (a) (x{b=~"c", offset!="d"}[5m:1m] offset -1h @ start()) >/ 2 </ 3 # note';
  assert.deepEqual(
    lex(q).map((t) => `${t.type}:${t.val}`),
    [
      'AGGREGATOR:SUM', 'BY:by', 'LEFT_PAREN:(', 'IDENTIFIER:a', 'RIGHT_PAREN:)', 'LEFT_PAREN:(',
      'IDENTIFIER:x', 'LEFT_BRACE:{', 'IDENTIFIER:b', 'EQL_REGEX:=~', 'STRING:"c"', 'COMMA:,',
      'IDENTIFIER:offset', 'NEQ:!=', 'STRING:"d"', 'RIGHT_BRACE:}', 'LEFT_BRACKET:[', 'DURATION:5m',
      'COLON::', 'DURATION:1m', 'RIGHT_BRACKET:]', 'OFFSET:offset', 'SUB:-', 'DURATION:1h', 'AT:@',
      'START:start', 'LEFT_PAREN:(', 'RIGHT_PAREN:)', 'RIGHT_PAREN:)', 'TRIM_LOWER:>/', 'NUMBER:2',
      'TRIM_UPPER:</', 'NUMBER:3', 'COMMENT:# note', 'EOF:',
    ],
  );
  const toks = lex(q);
  for (const t of toks.slice(0, -1)) assert.equal(q.slice(t.pos, t.end), t.val);
});

test('numbers, durations and the words that are numbers', () => {
  const kinds = (q: string): string => lex(q).slice(0, -1).map((t) => `${t.type}:${t.val}`).join(' ');
  assert.equal(kinds('1 .5 5. 1e3 0x1F 1_000 inf NaN 1h30m 10s53ms'), 'NUMBER:1 NUMBER:.5 NUMBER:5. NUMBER:1e3 NUMBER:0x1F NUMBER:1_000 NUMBER:inf NUMBER:NaN DURATION:1h30m DURATION:10s53ms');
  assert.equal(kinds('fill + fill(1) fill_left (2)'), 'IDENTIFIER:fill ADD:+ FILL:fill LEFT_PAREN:( NUMBER:1 RIGHT_PAREN:) FILL_LEFT:fill_left LEFT_PAREN:( NUMBER:2 RIGHT_PAREN:)');
  assert.equal(kinds('[step()+min_of(1s,RANGE())]'), 'LEFT_BRACKET:[ STEP:step LEFT_PAREN:( RIGHT_PAREN:) ADD:+ IDENTIFIER:min_of LEFT_PAREN:( DURATION:1s COMMA:, RANGE:RANGE LEFT_PAREN:( RIGHT_PAREN:) RIGHT_PAREN:) RIGHT_BRACKET:]');
});

test('how tokens are named in messages', () => {
  const named = (q: string): string => describeToken(lex(q)[0]!);
  assert.equal(named('+'), '<op:+>');
  assert.equal(named('and'), '<op:and>');
  assert.equal(named('sum'), '<aggr:sum>');
  assert.equal(named('BY'), '<BY>');
  assert.equal(named('('), '"("');
  assert.equal(named('foo'), 'identifier "foo"');
  assert.equal(named('a:b'), 'metric identifier "a:b"');
  assert.equal(named('5m'), 'duration "5m"');
  assert.equal(named('"x"'), 'string "\\"x\\""');
  assert.equal(named('"a long string"'), 'string "\\"a long st"...');
  assert.equal(named(''), 'end of input');
});
