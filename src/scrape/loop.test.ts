import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import { isStaleNaN, type Exemplar } from '../model/value.js';
import { parseConfig } from '../config/config.js';
import type { Appendable, Appender } from '../storage/interface.js';
import { StorageError, errOutOfOrderSample } from '../storage/interface.js';
import { targetsFromGroups } from './target.js';
import { ScrapeLoop, type Fetcher } from './loop.js';

interface Rec {
  labels: string;
  t: number;
  v: number;
}

/** Records committed samples; refs are stable per label set, as a real storage's are. */
class RecordingStorage implements Appendable {
  committed: Rec[] = [];
  refs = new Map<string, number>();
  byRef = new Map<number, string>();
  lastT = new Map<number, number>();
  appendsWithRef = 0;
  exemplars: { ref: number; labels: string; e: Exemplar }[] = [];
  appender(): Appender {
    const pending: Rec[] = [];
    return {
      append: (ref, labels, t, v) => {
        let key = ref ? this.byRef.get(ref)! : labels.toString();
        if (ref) this.appendsWithRef++;
        if (!ref) {
          ref = this.refs.get(key) ?? this.refs.size + 1;
          this.refs.set(key, ref);
          this.byRef.set(ref, key);
        }
        key = this.byRef.get(ref)!;
        if ((this.lastT.get(ref) ?? -Infinity) > t) throw errOutOfOrderSample();
        this.lastT.set(ref, t);
        pending.push({ labels: key, t, v });
        return ref;
      },
      appendExemplar: (ref, labels, e) => {
        this.exemplars.push({ ref, labels: labels.toString(), e });
        return ref;
      },
      updateMetadata: (ref) => ref,
      commit: async () => {
        this.committed.push(...pending);
      },
      rollback: async () => {
        pending.length = 0;
      },
    };
  }
  at(t: number): Map<string, number> {
    return new Map(this.committed.filter((r) => r.t === t).map((r) => [r.labels, r.v]));
  }
}

function loopFor(yaml: string, bodies: (string | Error)[], contentType = 'text/plain; version=0.0.4') {
  const cfg = parseConfig(`scrape_configs:\n${yaml}`, 'p.yml').scrape_configs[0];
  const target = targetsFromGroups([{ source: '0', labels: {}, targets: [{ __address__: 'app:8080' }] }], cfg).active[0];
  const storage = new RecordingStorage();
  let i = 0;
  const fetcher: Fetcher = async () => {
    const b = bodies[Math.min(i++, bodies.length - 1)];
    if (b instanceof Error) throw b;
    return { contentType, body: Buffer.from(b) };
  };
  return { loop: new ScrapeLoop(target, cfg, storage, undefined, fetcher), storage };
}

test('target labels, exported_ conflicts, report series and cache reuse', async () => {
  const body = '# TYPE http_requests_total counter\nhttp_requests_total{job="exposed",code="200"} 5\nmem 10\n';
  const { loop, storage } = loopFor('  - job_name: app\n', [body, body]);
  await loop.scrapeOnce(1000);
  const s = storage.at(1000);
  assert.equal(s.get('{__name__="http_requests_total", code="200", exported_job="exposed", instance="app:8080", job="app"}'), 5);
  assert.equal(s.get('{__name__="mem", instance="app:8080", job="app"}'), 10);
  assert.equal(s.get('{__name__="up", instance="app:8080", job="app"}'), 1);
  assert.equal(s.get('{__name__="scrape_samples_scraped", instance="app:8080", job="app"}'), 2);
  assert.equal(s.get('{__name__="scrape_series_added", instance="app:8080", job="app"}'), 2);
  assert.equal(loop.health, 'up');
  assert.equal(loop.metadata.get('http_requests_total')?.type, 'counter');
  await loop.scrapeOnce(2000);
  assert.equal(storage.at(2000).get('{__name__="scrape_series_added", instance="app:8080", job="app"}'), 0);
  assert.ok(storage.appendsWithRef >= 7, 'second scrape appends by cached ref');
});

test('honor_labels keeps exposed values; metric relabeling drops series', async () => {
  const { loop, storage } = loopFor(
    '  - job_name: app\n    honor_labels: true\n    metric_relabel_configs:\n      - source_labels: [__name__]\n        regex: go_.*\n        action: drop\n',
    ['a{job="mine"} 1\ngo_goroutines 7\n'],
  );
  await loop.scrapeOnce(1000);
  const s = storage.at(1000);
  assert.equal(s.get('{__name__="a", instance="app:8080", job="mine"}'), 1);
  assert.ok(![...s.keys()].some((k) => k.includes('go_goroutines')));
  assert.equal(s.get('{__name__="scrape_samples_post_metric_relabeling", instance="app:8080", job="app"}'), 1);
  assert.equal(s.get('{__name__="scrape_samples_scraped", instance="app:8080", job="app"}'), 2);
});

test('vanished series and failed scrapes get staleness markers', async () => {
  const { loop, storage } = loopFor('  - job_name: app\n', ['a 1\nb 2\n', 'a 1\n', new Error('connection refused')]);
  await loop.scrapeOnce(1000);
  await loop.scrapeOnce(2000);
  const second = storage.at(2000);
  assert.ok(isStaleNaN(second.get('{__name__="b", instance="app:8080", job="app"}')!));
  await loop.scrapeOnce(3000);
  const third = storage.at(3000);
  assert.ok(isStaleNaN(third.get('{__name__="a", instance="app:8080", job="app"}')!));
  assert.equal(third.get('{__name__="up", instance="app:8080", job="app"}'), 0);
  assert.equal(loop.health, 'down');
  assert.match(loop.lastError, /connection refused/);
});

test('sample_limit and parse errors fail the whole scrape', async () => {
  const limited = loopFor('  - job_name: app\n    sample_limit: 1\n', ['a 1\nb 2\n']);
  await limited.loop.scrapeOnce(1000);
  assert.equal(limited.loop.lastError, 'sample limit exceeded (limit: 1)');
  assert.deepEqual([...limited.storage.at(1000).keys()].filter((k) => !k.includes('scrape_') && !k.includes('"up"')), []);
  const broken = loopFor('  - job_name: app\n', ['a 1\nb{ 2\n']);
  await broken.loop.scrapeOnce(1000);
  assert.match(broken.loop.lastError, /^2:\d+: /);
  assert.equal(broken.storage.at(1000).get('{__name__="up", instance="app:8080", job="app"}'), 0);
});

test('honor_timestamps uses exposed timestamps; out-of-order samples are counted, not fatal', async () => {
  const { loop, storage } = loopFor('  - job_name: app\n', ['a 1 500\n', 'a 2 400\n']);
  await loop.scrapeOnce(1000);
  assert.equal(storage.at(500).get('{__name__="a", instance="app:8080", job="app"}'), 1);
  await loop.scrapeOnce(2000);
  assert.equal(loop.lastStats.outOfOrder, 1);
  assert.equal(loop.health, 'up');
});

test('blank Content-Type needs fallback_scrape_protocol', async () => {
  const plain = loopFor('  - job_name: app\n', ['a 1\n'], '');
  await plain.loop.scrapeOnce(1000);
  assert.match(plain.loop.lastError, /blank Content-Type/);
  const fb = loopFor('  - job_name: app\n    fallback_scrape_protocol: PrometheusText0.0.4\n', ['a 1\n'], '');
  await fb.loop.scrapeOnce(1000);
  assert.equal(fb.loop.health, 'up');
  void Labels;
});

test('OpenMetrics exemplars reach appendExemplar with the series ref, labels, value and timestamp', async () => {
  const body = [
    '# TYPE rpc_duration_seconds histogram',
    'rpc_duration_seconds_bucket{le="0.1"} 3 # {trace_id="abc"} 0.05 1520879607.789',
    'rpc_duration_seconds_bucket{le="+Inf"} 5 # {trace_id="def",span_id="1"} 0.7',
    'rpc_duration_seconds_count 5',
    'rpc_duration_seconds_sum 1.2',
    '# EOF',
    '',
  ].join('\n');
  const { loop, storage } = loopFor('  - job_name: app\n', [body], 'application/openmetrics-text; version=1.0.0');
  await loop.scrapeOnce(1000);
  assert.equal(loop.health, 'up', loop.lastError);
  const bucket = '{__name__="rpc_duration_seconds_bucket", instance="app:8080", job="app", le="0.1"}';
  const inf = '{__name__="rpc_duration_seconds_bucket", instance="app:8080", job="app", le="+Inf"}';
  assert.deepEqual(
    storage.exemplars.map((x) => ({ ...x, e: { ...x.e } })),
    [
      { ref: storage.refs.get(bucket), labels: bucket, e: { labels: ['trace_id', 'abc'], value: 0.05, timestamp: 1520879607789 } },
      // Without its own timestamp an exemplar takes its sample's.
      { ref: storage.refs.get(inf), labels: inf, e: { labels: ['span_id', '1', 'trace_id', 'def'], value: 0.7, timestamp: 1000 } },
    ],
  );
  assert.ok(storage.exemplars.every((x) => x.ref > 0));
});

test('the text format appends no exemplars; a rejected exemplar does not fail the scrape', async () => {
  const text = loopFor('  - job_name: app\n', ['a 1\n']);
  await text.loop.scrapeOnce(1000);
  assert.deepEqual(text.storage.exemplars, []);
  const om = loopFor('  - job_name: app\n', ['# TYPE a counter\na_total 1 # {x="y"} 1\n# EOF\n'], 'application/openmetrics-text');
  om.storage.appender = ((orig) => () => {
    const app = orig();
    app.appendExemplar = () => {
      throw new StorageError('out of order exemplar', 'out_of_order');
    };
    return app;
  })(om.storage.appender.bind(om.storage));
  await om.loop.scrapeOnce(1000);
  assert.equal(om.loop.health, 'up');
  assert.equal(om.loop.lastStats.exemplarsOutOfOrder, 1);
  assert.equal(om.storage.at(1000).get('{__name__="a_total", instance="app:8080", job="app"}'), 1);
});

test('metadata follows the latest successful scrape: changed, dropped lines and vanished families', async () => {
  const { loop } = loopFor('  - job_name: app\n', [
    '# HELP a First help.\n# TYPE a counter\na 1\n# HELP b B.\n# TYPE b gauge\nb 1\n',
    '# TYPE a gauge\na 1\n# HELP c C.\nc 1\n',
  ]);
  await loop.scrapeOnce(1000);
  assert.deepEqual({ ...loop.metadata.get('a'), seen: 0, given: 0 }, { type: 'counter', help: 'First help.', unit: '', seen: 0, given: 0 });
  assert.equal(loop.metadata.get('b')?.type, 'gauge');
  await loop.scrapeOnce(2000);
  const a = loop.metadata.get('a')!;
  assert.deepEqual([a.type, a.help], ['gauge', '']);
  assert.equal(loop.metadata.has('b'), false);
  assert.deepEqual([loop.metadata.get('c')?.type, loop.metadata.get('c')?.help], ['unknown', 'C.']);
});

test('series that move, change or repeat between scrapes keep their own labels and refs', async () => {
  const { loop, storage } = loopFor('  - job_name: app\n', [
    'a{x="1"} 1\na{x="2"} 2\nb 3\n',
    'a{x="2"} 20\nb 30\na{x="1"} 10\nc 40\n',
    'a{x="2"} 200\na{x="3"} 300\nb 100\n',
  ]);
  await loop.scrapeOnce(1000);
  await loop.scrapeOnce(2000);
  const l = (s: string) => `{__name__="${s.split('{')[0]}", instance="app:8080", job="app"${s.includes('{') ? `, ${s.slice(s.indexOf('{') + 1)}` : '}'}`;
  const second = storage.at(2000);
  assert.deepEqual([second.get(l('a{x="1"}')), second.get(l('a{x="2"}')), second.get(l('b')), second.get(l('c'))], [10, 20, 30, 40]);
  assert.equal(second.get('{__name__="scrape_series_added", instance="app:8080", job="app"}'), 1);
  await loop.scrapeOnce(3000);
  const third = storage.at(3000);
  assert.deepEqual([third.get(l('a{x="2"}')), third.get(l('a{x="3"}')), third.get(l('b'))], [200, 300, 100]);
  assert.ok(isStaleNaN(third.get(l('a{x="1"}'))!));
  assert.ok(isStaleNaN(third.get(l('c'))!));
});
