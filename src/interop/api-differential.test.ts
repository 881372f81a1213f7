/**
 * HTTP API differential test against the real Prometheus 2.42.
 *
 * Both servers load the same historical block (made by the real promtool) and scrape the same
 * in-process exporter (fixed values, HELP/TYPE/UNIT), then every request of the corpus
 * (api-differential/corpus.ts) goes to both and the replies must agree (api-differential/compare.ts)
 * except for the cases listed in api-differential/known-differences.ts. See docs/api-compat.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort, requirePeer, startProcess, tempDir, waitForHttp, type PeerProcess } from '../testing/peers.js';
import { startCli } from '../testing/cli.js';
import { historyOpenMetrics } from './api-differential/history.js';
import { startExporter, type Exporter } from './api-differential/exporter.js';
import { buildCorpus, type ApiCase } from './api-differential/corpus.js';
import { diffReplies, type Reply } from './api-differential/compare.js';
import { IGNORED_FIELDS, KNOWN_DIFFERENCES, knownFor } from './api-differential/known-differences.js';

const CONCURRENCY = 4;

async function send(base: string, c: ApiCase): Promise<Reply> {
  const qs = new URLSearchParams(c.params).toString();
  const form = c.method === 'POST';
  try {
    const res = await fetch(`${base}${c.path}${!form && qs ? `?${qs}` : ''}`, {
      method: c.method,
      headers: form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {},
      body: form ? qs : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  } catch (e) {
    return { status: 0, contentType: '', text: `request failed: ${(e as Error).message}` };
  }
}

async function upCount(base: string): Promise<number> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent('count(up == 1 and on(job, instance) scrape_series_added == 0)')}`, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
  return Number(body.data.result[0]?.value[1] ?? 0);
}

function config(ports: number[]): string {
  const [a, b] = ports.map((p) => `127.0.0.1:${p}`);
  return [
    'global:',
    '  scrape_interval: 1s',
    '  external_labels:',
    '    site: lab',
    'scrape_configs:',
    '  - job_name: app',
    '    static_configs:',
    `      - targets: ['${a}', '${b}']`,
    '        labels:',
    '          env: test',
    '  - job_name: filtered',
    '    scrape_interval: 2s',
    '    scrape_timeout: 1500ms',
    '    static_configs:',
    `      - targets: ['${a}', '127.0.0.1:1']`,
    '    relabel_configs:',
    '      - source_labels: [__address__]',
    "        regex: '127\\.0\\.0\\.1:1'",
    '        action: drop',
    '',
  ].join('\n');
}

interface Outcome {
  c: ApiCase;
  diff?: string;
  /** Pyrometer's HTTP status (the same as Prometheus's when they agree). */
  status: number;
  replies: { pyrometer: Reply; prometheus: Reply };
}

test('HTTP API differential: Pyrometer answers like the real Prometheus 2.42', { timeout: 300_000 }, async (t) => {
  const prometheus = requirePeer('prometheus', t);
  const promtool = requirePeer('promtool', t);
  if (!prometheus || !promtool) return;
  const dir = tempDir('pyrometer-api-diff-');
  const procs: PeerProcess[] = [];
  let exporter: Exporter | undefined;
  try {
    // 1. The same historical block for both, made by the real promtool.
    const om = join(dir.path, 'history.om');
    writeFileSync(om, historyOpenMetrics());
    const blocks = join(dir.path, 'blocks');
    const made = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', om, blocks], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(made.status, 0, `promtool create-blocks-from openmetrics:\n${made.stdout}${made.stderr}`);
    const promData = join(dir.path, 'prom-data');
    const ourData = join(dir.path, 'our-data');
    cpSync(blocks, promData, { recursive: true });
    cpSync(blocks, ourData, { recursive: true });

    // 2. The shared targets and one config for both.
    exporter = await startExporter(2);
    const cfg = join(dir.path, 'config.yml');
    writeFileSync(cfg, config(exporter.ports));
    const promPort = await freePort();
    const prom = startProcess(prometheus, [`--config.file=${cfg}`, `--storage.tsdb.path=${promData}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${promPort}`]);
    procs.push(prom);
    const ourPort = await freePort();
    const ours = startCli(['server', `--config.file=${cfg}`, `--storage.tsdb.path=${ourData}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${ourPort}`]);
    procs.push(ours);
    const promBase = `http://127.0.0.1:${promPort}`;
    const ourBase = `http://127.0.0.1:${ourPort}`;
    await Promise.all([waitForHttp(`${promBase}/-/ready`, 60_000, prom), waitForHttp(`${ourBase}/-/ready`, 60_000, ours)]);
    // Every target scraped at least twice (so scrape_series_added settled at 0) on both.
    await Promise.all(
      [promBase, ourBase].map((base) => eventually(async () => ((await upCount(base)) === 3 ? true : undefined), 30_000, `three healthy targets on ${base}`)),
    );
    const liveTime = (Date.now() / 1000).toFixed(3);

    // 3. The corpus, a few requests in flight at a time.
    const corpus = buildCorpus(liveTime);
    assert.equal(new Set(corpus.map((c) => c.id)).size, corpus.length, 'case ids are unique');
    for (const k of KNOWN_DIFFERENCES) assert.ok(corpus.some((c) => knownFor(c).includes(k)), `known difference matches no case: ${k.reason}`);
    const outcomes: Outcome[] = new Array(corpus.length);
    let next = 0;
    const worker = async () => {
      while (next < corpus.length) {
        const i = next++;
        const c = corpus[i];
        const [a, b] = await Promise.all([send(ourBase, c), send(promBase, c)]);
        const ignored = IGNORED_FIELDS.filter((f) => f.path === c.path).map((f) => f.field);
        outcomes[i] = { c, diff: diffReplies(c.path, c.params, a, b, ignored), status: a.status, replies: { pyrometer: a, prometheus: b } };
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // Every request and both replies, for a closer look: PYROMETER_API_DIFF_DUMP=<file>.
    const dump = process.env.PYROMETER_API_DIFF_DUMP;
    if (dump) writeFileSync(dump, JSON.stringify(outcomes, null, 1));

    // 4. Report per endpoint.
    const lines: string[] = [];
    const perEndpoint = new Map<string, { agree: number; agreeOnError: number; known: number; unexpected: number }>();
    const unexpected: Outcome[] = [];
    for (const o of outcomes) {
      const e = perEndpoint.get(o.c.endpoint) ?? { agree: 0, agreeOnError: 0, known: 0, unexpected: 0 };
      perEndpoint.set(o.c.endpoint, e);
      const known = knownFor(o.c);
      if (!o.diff) {
        e.agree++;
        if (o.status >= 400) e.agreeOnError++;
        if (known.length) lines.push(`  NOW AGREES (narrow known-differences.ts): ${o.c.id}`);
      } else if (known.length) {
        e.known++;
        const what = known.map((k) => `${k.kind === 'version' ? '2.x/3.x difference' : 'BUG'}: ${k.reason}`).join('\n    ');
        lines.push(`  known: ${o.c.id}\n    ${what}\n    ${o.diff}`);
      } else {
        e.unexpected++;
        unexpected.push(o);
        lines.push(`  UNEXPECTED: ${o.c.id}\n    ${o.diff}`);
      }
    }
    const table = [...perEndpoint].map(([ep, e]) => `  ${ep.padEnd(22)} ${e.agree}/${e.agree + e.known + e.unexpected} agree (${e.agreeOnError} of them on the same error), ${e.known} known, ${e.unexpected} unexpected`);
    const agree = outcomes.filter((o) => !o.diff).length;
    process.stdout.write(`\n${lines.join('\n')}\n\napi differential vs Prometheus 2.42 per endpoint:\n${table.join('\n')}\n` + `total: ${agree}/${outcomes.length} requests agree, ${unexpected.length} unexpected\n`);

    // Ours alone where 2.42 has no counterpart: parse_query (3.x).
    const parsed = (await (await fetch(`${ourBase}/api/v1/parse_query?query=${encodeURIComponent('sum(x)')}`)).json()) as { status: string; data: { type: string } };
    assert.equal(parsed.status, 'success');
    assert.equal(parsed.data.type, 'aggregation');

    for (const [name, p] of [['Prometheus', prom], ['Pyrometer', ours]] as const) {
      assert.ok(p.child.exitCode === null && p.child.signalCode === null, `${name} exited during the run:\n${p.output().slice(-4000)}`);
    }
    assert.equal(unexpected.length, 0, `${unexpected.length} requests disagree with Prometheus 2.42 and are not listed as known:\n${unexpected.map((o) => `  ${o.c.id}\n    ${o.diff}`).join('\n')}`);
  } finally {
    for (const p of procs.reverse()) await p.stop();
    await exporter?.close();
    dir.remove();
  }
});
