import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The hot paths of bound children must not allocate (summaries included: their buffer merges
 * reuse scratch arrays once the window's size has settled): millions of updates run in a child
 * process with --trace-gc, and no young-generation collection may happen meanwhile.
 */
test('bound children update without allocating', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pyrometer-alloc-'));
  try {
    const script = join(dir, 'hot.mjs');
    writeFileSync(
      script,
      `import { Counter, Gauge, Histogram, Registry, Summary } from ${JSON.stringify(new URL('./index.js', import.meta.url).href)};
const registers = [new Registry()];
const c = new Counter({ name: 'c_total', help: 'c', labelNames: ['a'], registers }).labels('x');
const g = new Gauge({ name: 'g', help: 'g', labelNames: ['a'], registers }).labels('x');
const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a'], registers }).labels('x');
const u = new Counter({ name: 'u_total', help: 'u', registers });
const s = new Summary({ name: 's', help: 's', labelNames: ['a'], registers }).labels('x');
function run(n) { for (let i = 0; i < n; i++) { c.inc(); c.inc(0.5); g.set(i); g.dec(); h.observe(i * 0.001); u.inc(); s.observe(i % 1000); } }
run(3e5);
globalThis.gc();
process.stdout.write('START\\n');
run(1e6);
process.stdout.write('END\\n');
`,
    );
    // Keep the loader flags (tsx when run from source) so the library resolves either way.
    const r = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', '--trace-gc', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout;
    const start = out.indexOf('START\n');
    const end = out.indexOf('END\n');
    assert.ok(start >= 0 && end > start, out.slice(-500));
    const during = out.slice(start, end);
    assert.equal((during.match(/Scavenge|Mark-Compact/g) ?? []).length, 0, `collections during the hot loop:\n${during.slice(0, 1000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
