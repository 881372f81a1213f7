import { readFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { runScript } from '../../promql/promqltest/runner.js';
import { ScriptError } from '../../promql/promqltest/script.js';
import { Head } from '../../tsdb/head/head.js';

/**
 * `pyrometer tool test promql FILE...`: runs PromQL test scripts (the upstream `.test` language)
 * against the engine over an in-memory head. Statements needing native histograms are reported
 * and counted as failed, since they cannot be checked.
 */
export const testPromqlCommand: Command = {
  path: ['tool', 'test', 'promql'],
  summary: 'Run PromQL test scripts (load/eval .test files)',
  usage: `usage: pyrometer tool test promql FILE...

Runs each PromQL test script (the load / clear / eval language of Prometheus's
promql/promqltest) and reports every eval statement that fails. The last line is
"N passed, M failed", counting eval statements. Exit code 1 when any failed.`,
  async run(args) {
    if (args.length === 0) {
      process.stderr.write('pyrometer tool test promql: at least one test file is required\n');
      return 2;
    }
    let passed = 0;
    let failed = 0;
    for (const file of args) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        process.stderr.write(`${file}: ${(e as Error).message}\n`);
        failed++;
        continue;
      }
      try {
        // Scripts may load samples out of order across `load` commands.
        const results = await runScript(text, { newStorage: () => new Head({ outOfOrderTimeWindow: Number.MAX_SAFE_INTEGER }) });
        for (const r of results) {
          if (r.status === 'passed') {
            passed++;
            continue;
          }
          failed++;
          const why = r.status === 'failed' ? r.message : 'needs native histograms, which are not supported';
          process.stdout.write(`${file}:${r.line}: ${r.expr}\n  ${why}\n`);
        }
      } catch (e) {
        failed++;
        const where = e instanceof ScriptError ? `${file}:${e.line}` : file;
        process.stdout.write(`${where}: ${(e as Error).message}\n`);
      }
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  },
};
