import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestDnsServer } from '../../testing/dns-server.js';
import { DnsDiscoverer } from './dns.js';
import type { DnsSdConfig } from '../../config/sd.js';

test('DNS discovery resolves SRV, A, AAAA and MX records with upstream meta labels', async () => {
  const dns = await TestDnsServer.start({
    '_metrics._tcp.example.test': [
      { type: 'SRV', priority: 1, weight: 1, port: 9100, target: 'node1.example.test' },
      { type: 'SRV', priority: 1, weight: 1, port: 9101, target: 'node2.example.test' },
    ],
    'web.example.test': [{ type: 'A', ip: '10.0.0.7' }, { type: 'AAAA', ip: 'fd00::7' }],
    'mail.example.test': [{ type: 'MX', preference: 10, exchange: 'mx1.example.test' }],
  });
  try {
    const d = (type: string, port = 0) => new DnsDiscoverer({ names: [], type, port, refresh_interval: 30_000 } as DnsSdConfig, undefined, [dns.address]);
    const srv = await d('SRV').lookup('_metrics._tcp.example.test');
    assert.deepEqual(srv.targets.map((t) => t.__address__).sort(), ['node1.example.test:9100', 'node2.example.test:9101']);
    const t1 = srv.targets.find((t) => t.__address__ === 'node1.example.test:9100')!;
    assert.equal(t1.__meta_dns_name, '_metrics._tcp.example.test');
    assert.equal(t1.__meta_dns_srv_record_target, 'node1.example.test.');
    assert.equal(t1.__meta_dns_srv_record_port, '9100');
    const a = await d('A', 8080).lookup('web.example.test');
    assert.deepEqual(a.targets.map((t) => t.__address__), ['10.0.0.7:8080']);
    const aaaa = await d('AAAA', 8080).lookup('web.example.test');
    assert.deepEqual(aaaa.targets.map((t) => t.__address__), ['[fd00::7]:8080']);
    const mx = await d('MX', 25).lookup('mail.example.test');
    assert.deepEqual(mx.targets.map((t) => [t.__address__, t.__meta_dns_mx_record_target]), [['mx1.example.test:25', 'mx1.example.test.']]);
    await assert.rejects(d('A', 1).lookup('missing.example.test'));
  } finally {
    dns.close();
  }
});
