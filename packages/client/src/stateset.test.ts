import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from './registry.js';
import { StateSet, Enum } from './stateset.js';

test('state set in both formats', async () => {
  const r = new Registry();
  const s = new StateSet({ name: 'feature', help: 'Features.', labelNames: ['svc'], states: ['a', 'b'], registers: [r] });
  s.set({ svc: 'x' }, { a: true });
  s.labels('y').setState('b', true);
  assert.equal(
    await r.metrics(),
    `# HELP feature Features.
# TYPE feature gauge
feature{svc="x",feature="a"} 1
feature{svc="x",feature="b"} 0
feature{svc="y",feature="a"} 0
feature{svc="y",feature="b"} 1
`,
  );
  assert.match(await r.metrics(Registry.OPENMETRICS_CONTENT_TYPE), /^# TYPE feature stateset\n# HELP feature Features\.\nfeature\{svc="x",feature="a"\} 1\n/);
  assert.throws(() => s.setState('c', true, { svc: 'x' }), /unknown state "c"/);
  assert.throws(() => new StateSet({ name: 'f', help: 'x', labelNames: ['f'], states: ['a'], registers: [] }), /reserved/);
  assert.throws(() => new StateSet({ name: 'f', help: 'x', states: [], registers: [] }), /non-empty/);
  assert.throws(() => new StateSet({ name: 'f', help: 'x', states: ['a', 'a'], registers: [] }), /duplicate state/);
});

test('enum has exactly one current state, starting with the first', async () => {
  const r = new Registry();
  const e = new Enum({ name: 'phase', help: 'Phase.', states: ['starting', 'running', 'stopped'], registers: [r] });
  assert.match(await r.metrics(), /phase\{phase="starting"\} 1\nphase\{phase="running"\} 0\n/);
  e.state('running');
  assert.equal(
    await r.metrics(),
    '# HELP phase Phase.\n# TYPE phase gauge\nphase{phase="starting"} 0\nphase{phase="running"} 1\nphase{phase="stopped"} 0\n',
  );
});
