import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSteps, runStepsAsync, TimeSlice, type Steps } from './steps.js';

function* counting(n: number, log: string[]): Steps<number> {
  try {
    for (let i = 0; i < n; i++) {
      log.push(`step ${i}`);
      yield;
    }
    return n;
  } catch (e) {
    log.push(`caught ${(e as Error).message}`);
    throw e;
  } finally {
    log.push('cleanup');
  }
}

test('runSteps runs a generator to its result at once', () => {
  const log: string[] = [];
  assert.equal(runSteps(counting(3, log)), 3);
  assert.deepEqual(log, ['step 0', 'step 1', 'step 2', 'cleanup']);
});

test('runStepsAsync lets other callbacks run between steps', async () => {
  const log: string[] = [];
  const done = runStepsAsync(counting(3, log));
  setImmediate(() => log.push('other'));
  assert.equal(await done, 3);
  assert.ok(log.indexOf('other') > 0 && log.indexOf('other') < log.indexOf('step 2'), log.join(', '));
});

test('an abort between steps is thrown into the generator, which cleans up', async () => {
  const log: string[] = [];
  const ac = new AbortController();
  const done = runStepsAsync(counting(1000, log), ac.signal);
  setImmediate(() => ac.abort(new Error('stop')));
  await assert.rejects(done, /stop/);
  assert.deepEqual(log.slice(-2), ['caught stop', 'cleanup']);
  assert.ok(log.length < 1000);
});

test('TimeSlice expires after its budget and restarts', async () => {
  const slice = new TimeSlice(20);
  assert.equal(slice.expired(), false);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(slice.expired(), true);
  slice.restart();
  assert.equal(slice.expired(), false);
});
