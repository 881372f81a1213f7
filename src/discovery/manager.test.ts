import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscoveryManager, type TargetSets } from './manager.js';
import { StaticDiscoverer } from './static/static.js';
import type { Discoverer } from './discoverer.js';
import type { TargetGroup } from './targetgroup.js';

test('manager merges providers per set and coalesces updates', async () => {
  const updates: TargetSets[] = [];
  let push: (g: TargetGroup[]) => void = () => {};
  const manual: Discoverer = {
    run: async (_signal, send) => {
      push = send;
    },
  };
  const m = new DiscoveryManager((s) => updates.push(s), undefined, 100);
  try {
    m.apply(new Map([['job', [new StaticDiscoverer([{ targets: ['a:1'], labels: { l: 'v' } }]), manual]]]));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(updates.length, 1);
    assert.deepEqual(updates[0].get('job')!.map((g) => g.targets[0].__address__), ['a:1']);
    push([{ source: 's', targets: [{ __address__: 'b:2' }], labels: {} }]);
    push([{ source: 's', targets: [{ __address__: 'c:3' }], labels: {} }]);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(updates.length, 2, 'two pushes within the interval are one update');
    assert.deepEqual(updates[1].get('job')!.map((g) => g.targets[0].__address__).sort(), ['a:1', 'c:3']);
  } finally {
    m.stop();
  }
});
