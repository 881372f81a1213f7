import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../testing/paths.js';
import { aggregatedStatus, sanitizeLabelName, serviceGroup, type ServiceEntry } from './labels.js';

const testdata = join(repoRoot, 'src', 'discovery', 'consul', 'testdata');
const fixture = (name: string) => JSON.parse(readFileSync(join(testdata, name), 'utf8')) as ServiceEntry[];

test('labels of an instance without service address use the node address', () => {
  const group = serviceGroup('web', 'dc1', fixture('health-service-web.json'), ',');
  assert.equal(group.source, 'web');
  assert.deepEqual(group.labels, { __meta_consul_service: 'web', __meta_consul_dc: 'dc1' });
  assert.deepEqual(group.targets[0], {
    __address__: '10.1.10.12:8080',
    __meta_consul_address: '10.1.10.12',
    __meta_consul_node: 'node-1',
    __meta_consul_namespace: '',
    __meta_consul_partition: '',
    __meta_consul_tags: ',prod,v1,',
    __meta_consul_service_address: '',
    __meta_consul_service_port: '8080',
    __meta_consul_service_id: 'web-1',
    __meta_consul_health: 'passing',
    __meta_consul_metadata_consul_network_segment: '',
    __meta_consul_metadata_consul_version: '1.17.1',
    __meta_consul_metadata_rack_name: '2304',
    __meta_consul_service_metadata_version: '1.2.3',
    __meta_consul_service_metadata_metrics_path: '/metrics',
    __meta_consul_tagged_address_lan: '10.1.10.12',
    __meta_consul_tagged_address_lan_ipv4: '10.1.10.12',
    __meta_consul_tagged_address_wan: '198.18.0.12',
    __meta_consul_tagged_address_wan_ipv4: '198.18.0.12',
  });
});

test('labels of an instance with a service address use it for __address__', () => {
  const [, second] = serviceGroup('web', 'dc1', fixture('health-service-web.json'), ';').targets;
  assert.equal(second.__address__, '172.17.0.5:8081');
  assert.equal(second.__meta_consul_address, '10.1.10.13');
  assert.equal(second.__meta_consul_service_address, '172.17.0.5');
  assert.equal(second.__meta_consul_tags, ';canary;v2;');
  assert.equal(second.__meta_consul_health, 'warning');
  // Service tagged addresses are objects and are not labels; the node's are.
  assert.equal(second.__meta_consul_tagged_address_wan, '198.18.0.13');
});

test('no tags still give the two separators; IPv6 addresses get brackets', () => {
  const [entry] = fixture('health-service-consul.json');
  assert.equal(serviceGroup('consul', 'dc1', [entry], ',').targets[0].__meta_consul_tags, ',,');
  const v6: ServiceEntry = { ...entry, Service: { ...entry.Service, Address: '2001:db8::7', Port: 9100, Namespace: 'team-a', Partition: 'part-1' } };
  const t = serviceGroup('consul', 'dc1', [v6], ',').targets[0];
  assert.equal(t.__address__, '[2001:db8::7]:9100');
  assert.equal(t.__meta_consul_namespace, 'team-a');
  assert.equal(t.__meta_consul_partition, 'part-1');
});

test('health aggregates maintenance > critical > warning > passing', () => {
  const [primary, replica] = fixture('health-service-db.json');
  assert.equal(aggregatedStatus(primary.Checks), 'critical');
  assert.equal(aggregatedStatus(replica.Checks), 'maintenance');
  assert.equal(aggregatedStatus([{ CheckID: '_node_maintenance', Status: 'critical' }, { CheckID: 'serfHealth', Status: 'passing' }]), 'maintenance');
  assert.equal(aggregatedStatus([{ CheckID: 'a', Status: 'warning' }, { CheckID: 'b', Status: 'critical' }]), 'critical');
  assert.equal(aggregatedStatus([{ CheckID: 'a', Status: 'passing' }, { CheckID: 'b', Status: 'warning' }]), 'warning');
  assert.equal(aggregatedStatus([]), 'passing');
  assert.equal(aggregatedStatus(null), 'passing');
  assert.equal(aggregatedStatus([{ CheckID: 'a', Status: 'critical' }, { CheckID: 'b', Status: 'unknown' }]), '');
});

test('label names are sanitized like upstream', () => {
  assert.equal(sanitizeLabelName('metrics.path'), 'metrics_path');
  assert.equal(sanitizeLabelName('consul-network-segment'), 'consul_network_segment');
  assert.equal(sanitizeLabelName('ok_Name9'), 'ok_Name9');
  assert.equal(sanitizeLabelName('é/x'), '__x');
});
