import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { Matcher, MatchType } from '../../model/matcher.js';
import { tempDir } from '../../testing/peers.js';
import { Head } from '../head/head.js';
import { Block } from './block.js';
import { persistBlock } from './persist.js';
import { collect } from './testutil.js';

const H = 3600_000;

test('a head range persists as a block holding exactly its samples', async () => {
  const tmp = tempDir();
  try {
    const head = new Head({ chunkRange: 2 * H });
    const app = head.appender();
    const a = Labels.fromStrings('__name__', 'up', 'job', 'a');
    const b = Labels.fromStrings('__name__', 'up', 'job', 'b');
    for (let t = H; t < 5 * H; t += 15_000) {
      app.append(0, a, t, t / 1000);
      if (t < 2 * H) app.append(0, b, t, 1);
    }
    await app.commit();
    const meta = persistBlock(tmp.path, head, 2 * H, 4 * H)!;
    assert.equal(meta.minTime, 2 * H);
    assert.equal(meta.maxTime, 4 * H);
    assert.equal(meta.stats.numSeries, 1);
    assert.equal(meta.stats.numSamples, (2 * H) / 15_000);
    const block = Block.open(join(tmp.path, meta.ulid));
    const got = collect(block.querier(-Infinity, Infinity), [Matcher.create(MatchType.Regexp, 'job', '.+')]);
    assert.equal(got.length, 1);
    assert.equal(got[0].labels, a.toString());
    assert.deepEqual(got[0].samples[0], [2 * H, (2 * H) / 1000]);
    assert.deepEqual(got[0].samples.at(-1), [4 * H - 15_000, (4 * H - 15_000) / 1000]);
    assert.equal(persistBlock(tmp.path, head, 10 * H, 12 * H), undefined);
  } finally {
    tmp.remove();
  }
});
