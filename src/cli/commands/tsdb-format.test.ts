import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base2Bytes, goDuration, goTimeUtc, tabulate } from './tsdb-format.js';

test('durations, times and sizes print as promtool prints them', () => {
  assert.equal(goDuration(1), '1ms');
  assert.equal(goDuration(60001), '1m0.001s');
  assert.equal(goDuration(7_200_000), '2h0m0s');
  assert.equal(goDuration(7_199_990), '1h59m59.99s');
  assert.equal(goDuration(1500), '1.5s');
  assert.equal(goDuration(0), '0s');
  assert.equal(goTimeUtc(60001), '1970-01-01 00:01:00 +0000 UTC');
  assert.equal(goTimeUtc(7300001), '1970-01-01 02:01:40 +0000 UTC');
  assert.equal(base2Bytes(861), '861B');
  assert.equal(base2Bytes(1536), '1KiB512B');
  assert.equal(base2Bytes(3 * 1024 * 1024), '3MiB');
});

test('tabulate pads columns like Go tabwriter (minwidth 13, padding 2)', () => {
  // Rows copied from promtool 2.42's `tsdb list` output.
  const out = tabulate([
    ['BLOCK ULID', 'MIN TIME', 'MAX TIME', 'DURATION', 'NUM SAMPLES', 'NUM CHUNKS', 'NUM SERIES', 'SIZE'],
    ['01M82FS2NHBVE4MDVZAQ0D2K89', '0', '60001', '1m0.001s', '4', '3', '3', '861'],
  ]);
  assert.equal(
    out,
    'BLOCK ULID                  MIN TIME     MAX TIME     DURATION     NUM SAMPLES  NUM CHUNKS   NUM SERIES   SIZE\n' +
      '01M82FS2NHBVE4MDVZAQ0D2K89  0            60001        1m0.001s     4            3            3            861\n',
  );
});
