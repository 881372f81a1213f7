import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startProcess, type PeerProcess } from './peers.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

// The CLI entry beside this tree: src/cli/entry.ts under tsx, dist/cli/entry.js when compiled.
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const entry = fileURLToPath(new URL(`../cli/entry${ext}`, import.meta.url));

/** Runs `pyrometer ARGS` in a child process, optionally feeding stdin; times out after `timeoutMs`. */
export function runCli(args: string[], opts: { input?: string | Buffer; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, entry, ...args], { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pyrometer ${args.join(' ')} timed out`));
    }, opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Starts `pyrometer ARGS` as a long-running process (e.g. the server); stop it with `stop()`. */
export function startCli(args: string[]): PeerProcess {
  return startProcess(process.execPath, [...process.execArgv, entry, ...args]);
}
