import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_FEATURES, parseExpr } from './parser.js';
import { exprToString } from './printer.js';
import { conformanceExpressions, stripped } from './testutil.js';

test('every eval expression of the conformance scripts parses and its printed form re-parses to the same tree', () => {
  const cases = conformanceExpressions();
  // The scripts hold 1880 eval statements; a much smaller count means the extraction broke.
  assert.ok(cases.length >= 1800, `only ${cases.length} eval statements found`);
  const failures: string[] = [];
  let parsed = 0;
  for (const c of cases) {
    const where = `${c.file}:${c.line}: ${c.expr}`;
    try {
      const tree = parseExpr(c.expr, ALL_FEATURES);
      parsed++;
      const printed = exprToString(tree);
      let again;
      try {
        again = parseExpr(printed, ALL_FEATURES);
      } catch (e) {
        failures.push(`${where}\n    printed ${printed}\n    does not re-parse: ${(e as Error).message}`);
        continue;
      }
      try {
        assert.deepStrictEqual(stripped(again), stripped(tree));
      } catch {
        failures.push(`${where}\n    printed ${printed}\n    re-parses to a different tree`);
      }
    } catch (e) {
      failures.push(`${where}\n    ${(e as Error).message}`);
    }
  }
  console.log(`promql parser: ${parsed}/${cases.length} conformance expressions parse`);
  for (const f of failures) console.log('  FAIL ' + f);
  assert.deepEqual(failures, []);
});
