import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { loadConfigFile } from '../../config/config.js';
import { expandGlob } from '../../config/glob.js';

/** `pyrometer tool check config FILE...`, like `promtool check config`: exit 1 when any file is invalid. */
export const checkConfigCommand: Command = {
  path: ['tool', 'check', 'config'],
  summary: 'Check that Prometheus configuration files are valid',
  usage: `usage: pyrometer tool check config [--agent] CONFIG_FILE...

Checks each prometheus.yml: syntax, every field and its value, and that the rule files
it references exist. Exit code 1 when any file fails.

  --agent   check the file as an agent-mode config (no alerting, rules or remote read)`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, options: { agent: { type: 'boolean' } }, allowPositionals: true });
    if (positionals.length === 0) {
      process.stderr.write('pyrometer tool check config: at least one config file is required\n');
      return 2;
    }
    let failed = false;
    for (const file of positionals) {
      process.stdout.write(`Checking ${file}\n`);
      try {
        const cfg = loadConfigFile(file, { agentMode: values.agent === true });
        const ruleFiles = cfg.rule_files.flatMap((p) => expandGlob(p, '.'));
        const missing = ruleFiles.filter((f) => !existsSync(f));
        if (missing.length > 0) throw new Error(`rule files not found: ${missing.join(', ')}`);
        process.stdout.write(` SUCCESS: ${file} is valid prometheus config file syntax\n`);
        if (ruleFiles.length > 0) process.stdout.write(` SUCCESS: ${ruleFiles.length} rule files found\n`);
      } catch (e) {
        failed = true;
        process.stderr.write(`  FAILED: ${(e as Error).message}\n`);
      }
      process.stdout.write('\n');
    }
    return failed ? 1 : 0;
  },
};
