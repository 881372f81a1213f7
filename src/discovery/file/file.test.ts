import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../testing/peers.js';
import { FileDiscoverer, parseTargetGroupFile } from './file.js';
import type { TargetGroup } from '../targetgroup.js';

test('parses JSON and YAML target group files with __meta_filepath', () => {
  const json = parseTargetGroupFile('/x/t.json', '[{"targets":["a:1","b:2"],"labels":{"env":"prod"}}]');
  assert.deepEqual(json, [{ source: '/x/t.json:0', labels: { __meta_filepath: '/x/t.json', env: 'prod' }, targets: [{ __address__: 'a:1' }, { __address__: 'b:2' }] }]);
  const yml = parseTargetGroupFile('/x/t.yml', '- targets: ["c:3"]\n');
  assert.equal(yml[0].targets[0].__address__, 'c:3');
  assert.throws(() => parseTargetGroupFile('/x/t.json', '{"targets":["a"]}'), /list of target groups/);
  assert.throws(() => parseTargetGroupFile('/x/t.json', '[{"targets":["http://a/b"]}]'), /not a valid hostname/);
});

test('file discovery follows changes, keeps the last good read and empties removed files', async () => {
  const dir = tempDir();
  const controller = new AbortController();
  let done: Promise<void> | undefined;
  try {
    const path = join(dir.path, 'targets.json');
    writeFileSync(path, '[{"targets":["a:1"]}]');
    const d = new FileDiscoverer({ files: [join(dir.path, '*.json')], refresh_interval: 60_000 });
    const updates: TargetGroup[][] = [];
    let notify: () => void = () => {};
    const next = () => new Promise<void>((r) => (notify = r));
    let waiting = next();
    done = d.run(controller.signal, (g) => {
      updates.push(g);
      notify();
    });
    await waiting;
    assert.deepEqual(updates[0].map((g) => g.targets.map((t) => t.__address__)), [['a:1']]);

    waiting = next();
    writeFileSync(path, '[{"targets":["a:1","b:2"]}]');
    await Promise.race([waiting, new Promise((_, rej) => setTimeout(() => rej(new Error('no update after change')), 5000))]);
    assert.deepEqual(updates.at(-1)!.map((g) => g.targets.length), [2]);

    // A broken file keeps the previous groups.
    assert.equal(d.readErrors, 0);
    writeFileSync(path, '[{"targets": oops');
    const afterBad = d.refresh();
    assert.equal(d.readErrors, 1);
    assert.deepEqual(afterBad.map((g) => g.targets.length), [2]);

    rmSync(path);
    const afterRemove = d.refresh();
    assert.deepEqual(afterRemove, [{ source: `${path}:0`, targets: [], labels: {} }]);
  } finally {
    controller.abort();
    await done;
    dir.remove();
  }
});
