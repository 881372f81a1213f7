import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from './registry.js';
import { Gauge } from './gauge.js';

test('gauge set/inc/dec, labelled and not', async () => {
  const r = new Registry();
  const g = new Gauge({ name: 'g', help: 'G.', registers: [r] });
  g.set(10);
  g.inc();
  g.dec(4);
  g.inc(0.5);
  const l = new Gauge({ name: 'l', help: 'L.', labelNames: ['q'], registers: [r] });
  l.set({ q: 'a' }, -1);
  l.inc({ q: 'a' }, 3);
  l.dec({ q: 'b' });
  l.labels('c').set(Infinity);
  assert.throws(() => g.set('1' as never), /must be a number/);
  assert.equal(await r.metrics(), '# HELP g G.\n# TYPE g gauge\ng 7.5\n# HELP l L.\n# TYPE l gauge\nl{q="a"} 2\nl{q="b"} -1\nl{q="c"} +Inf\n');
});

test('setToCurrentTime and startTimer', async () => {
  const g = new Gauge({ name: 't', help: 'T.', labelNames: ['step'], registers: [] });
  const before = Date.now() / 1000;
  g.setToCurrentTime({ step: 'now' });
  const end = g.startTimer({ step: 'timed' });
  await new Promise((res) => setTimeout(res, 20));
  const secs = end();
  assert.ok(secs >= 0.015 && secs < 5, String(secs));
  const v = (await g.get()).values;
  assert.ok(v[0].value >= before && v[0].value <= Date.now() / 1000);
  assert.equal(v[1].value, secs);
  // Labels may be completed when the timer ends.
  const g2 = new Gauge({ name: 't2', help: 'T.', labelNames: ['a', 'b'], registers: [] });
  g2.startTimer({ a: '1' })({ b: '2' });
  assert.deepEqual((await g2.get()).values[0].labels, { a: '1', b: '2' });
});
