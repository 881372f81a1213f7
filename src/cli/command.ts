/** A CLI subcommand; `path` is its words after `pyrometer`, e.g. ['tool', 'check', 'metrics']. */
export interface Command {
  path: readonly string[];
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}
