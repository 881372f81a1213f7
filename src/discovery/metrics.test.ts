import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DnsSdConfig } from '../config/sd.js';
import { TestDnsServer } from '../testing/dns-server.js';
import { tempDir } from '../testing/peers.js';
import type { Discoverer } from './discoverer.js';
import { DnsDiscoverer } from './dns/dns.js';
import { FileDiscoverer } from './file/file.js';
import { DiscoveryManager } from './manager.js';
import { StaticDiscoverer } from './static/static.js';

const settle = () => new Promise((r) => setTimeout(r, 30));

test('discovery counts updates, discovered targets and failed discoverers; file read errors survive reloads', async () => {
  const dir = tempDir();
  const broken = join(dir.path, 'broken.json');
  writeFileSync(broken, '[{"targets": ');
  const failing: Discoverer = { run: async () => Promise.reject(new Error('cannot start')) };
  let sent = 0;
  const m = new DiscoveryManager(() => sent++, undefined, 10, 'scrape');
  try {
    const fileSd = () => new FileDiscoverer({ files: [broken], refresh_interval: 60_000 });
    const stat = () => new StaticDiscoverer([{ targets: ['a:1', 'b:2'], labels: {} }, { targets: ['c:3'], labels: {} }]);
    m.apply(new Map<string, Discoverer[]>([['job', [stat(), fileSd(), failing]], ['other', [new StaticDiscoverer([{ targets: ['d:4'], labels: {} }])]]]));
    await settle();
    assert.deepEqual([...m.discoveredTargets()], [['job', 3], ['other', 1]]);
    assert.equal(m.failedConfigs(), 1);
    assert.equal(m.mechanismCounts().fileReadErrors, 1);
    assert.ok(m.stats.receivedUpdates >= 3, `received ${m.stats.receivedUpdates}`);
    assert.equal(m.stats.updates, sent);
    assert.ok(sent >= 1);

    // A reload replaces the discoverers: the counter keeps the old ones' errors; the gauge resets.
    m.apply(new Map<string, Discoverer[]>([['job', [fileSd()]]]));
    await settle();
    assert.equal(m.mechanismCounts().fileReadErrors, 2);
    assert.equal(m.failedConfigs(), 0);
    assert.deepEqual([...m.discoveredTargets()], [['job', 0]]);
    m.stop();
    assert.equal(m.mechanismCounts().fileReadErrors, 2, 'stopping does not count twice');
  } finally {
    m.stop();
    dir.remove();
  }
});

test('DNS lookups and their failures are counted', async () => {
  const dns = await TestDnsServer.start({ 'web.example.test': [{ type: 'A', ip: '10.0.0.7' }] });
  const m = new DiscoveryManager(() => {}, undefined, 10);
  try {
    const d = new DnsDiscoverer({ names: ['web.example.test', 'missing.example.test'], type: 'A', port: 80, refresh_interval: 60_000 } as DnsSdConfig, undefined, [dns.address]);
    m.apply(new Map<string, Discoverer[]>([['job', [d]]]));
    // Counted as a lookup starts; its failure once it has come back.
    for (let i = 0; i < 100 && m.mechanismCounts().dnsLookupFailures < 1; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual([m.mechanismCounts().dnsLookups, m.mechanismCounts().dnsLookupFailures], [2, 1]);
  } finally {
    m.stop();
    dns.close();
  }
});
