import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

/** The repository root (the folder holding the `pyrometer` package.json), from src/ or dist/. */
export const repoRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'packages', 'client'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('repository root not found');
})();

/** `../shared` beside the project: conformance data and the benchmark harness. */
export const sharedDir: string = join(repoRoot, '..', 'shared');
export const conformanceDir: string = join(sharedDir, 'conformance');
