import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from './registry.js';
import { Info } from './info.js';

test('info metric in both formats', async () => {
  const r = new Registry();
  const i = new Info({ name: 'build_info', help: 'Build.', registers: [r] });
  i.set({ version: '1.2.3', revision: 'abc' });
  assert.equal(i.name, 'build');
  assert.equal(await r.metrics(), '# HELP build_info Build.\n# TYPE build_info gauge\nbuild_info{version="1.2.3",revision="abc"} 1\n');
  assert.equal(
    await r.metrics(Registry.OPENMETRICS_CONTENT_TYPE),
    '# TYPE build info\n# HELP build Build.\nbuild_info{version="1.2.3",revision="abc"} 1\n# EOF\n',
  );
});

test('labelled info; info labels may not shadow metric labels', async () => {
  const i = new Info({ name: 'target', help: 'T.', labelNames: ['instance'], registers: [] });
  i.set({ instance: 'a' }, { env: 'prod' });
  i.labels('b').set({ env: 'dev' });
  assert.deepEqual(
    (await i.get()).values.map((v) => v.labels),
    [
      { instance: 'a', env: 'prod' },
      { instance: 'b', env: 'dev' },
    ],
  );
  assert.throws(() => i.labels('a').set({ instance: 'x' }), /clashes/);
  assert.throws(() => i.labels('a').set({ __x: 'x' }), /reserved/);
});
