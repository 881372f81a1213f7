/**
 * PromQL differential test against the real Prometheus 2.42 (issue 4).
 *
 * Both servers read the same blocks (made by the real promtool from a deterministic OpenMetrics
 * file), then every query of the corpus runs on both over the HTTP API, as instant queries at a
 * few times and as one range query, and the answers must agree (see promql-differential/compare.ts)
 * except for the queries listed in promql-differential/known-differences.ts. See
 * docs/promql-differential.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, requirePeer, startProcess, tempDir, waitForHttp, type PeerProcess } from '../testing/peers.js';
import { startCli } from '../testing/cli.js';
import { DATA_START_MS, generateOpenMetrics } from './promql-differential/data.js';
import { CORPUS, type CorpusQuery } from './promql-differential/corpus.js';
import { diffAnswers, type ApiAnswer } from './promql-differential/compare.js';
import { KNOWN_ENGINE_BUGS, KNOWN_SEMANTIC_DIFFERENCES } from './promql-differential/known-differences.js';

const sec = (ms: number): string => (ms / 1000).toFixed(3);
const MIN = 60_000;
/**
 * Instant query times: fractions of .300/.700 s (samples sit at 100-260 ms into their second),
 * one just before the 2 h block boundary and one after the last sample (inside the lookback).
 */
const INSTANT_TIMES = [47 * MIN + 13_300, 119 * MIN + 31_700, 161 * MIN + 7_300, 182 * MIN + 30_700].map((o) => DATA_START_MS + o);
/**
 * The range query starts once the longest common range ([1h]) lies inside the data, so that
 * Prometheus 2.42's older extrapolation at a series' start (see known-differences.ts) shows only in
 * the instant queries that look before the data's first sample, not in every range query.
 */
const RANGE = { start: DATA_START_MS + 62 * MIN + 7_300, end: DATA_START_MS + 184 * MIN + 700, stepS: 97 };
const CONCURRENCY = 4;

async function ask(base: string, path: string, params: Record<string, string>): Promise<ApiAnswer> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(30_000),
    });
    text = await res.text();
  } catch (e) {
    return { status: 'error', error: `request failed: ${(e as Error).message}` };
  }
  try {
    return JSON.parse(text) as ApiAnswer;
  } catch {
    return { status: 'error', error: `HTTP ${res.status}: ${text.slice(0, 200)}` };
  }
}

interface Evaluation {
  what: string;
  path: string;
  params: Record<string, string>;
}

function evaluations(c: CorpusQuery): Evaluation[] {
  const list: Evaluation[] = INSTANT_TIMES.map((t) => ({ what: `instant @${sec(t)}`, path: '/api/v1/query', params: { time: sec(t) } }));
  if (!c.instantOnly) {
    list.push({
      what: `range ${sec(RANGE.start)}..${sec(RANGE.end)} step ${RANGE.stepS}s`,
      path: '/api/v1/query_range',
      params: { start: sec(RANGE.start), end: sec(RANGE.end), step: String(RANGE.stepS) },
    });
  }
  return list;
}

interface Outcome {
  query: CorpusQuery;
  /** One line per disagreeing evaluation. */
  diffs: string[];
  /** Evaluations where both sides answered with an error. */
  bothErrors: string[];
}

test('PromQL differential: Pyrometer agrees with the real Prometheus 2.42', { timeout: 600_000 }, async (t) => {
  const prometheus = requirePeer('prometheus', t);
  const promtool = requirePeer('promtool', t);
  if (!prometheus || !promtool) return;
  const dir = tempDir('pyrometer-promql-diff-');
  const procs: PeerProcess[] = [];
  try {
    // 1. The same blocks for both, made by the real promtool.
    const om = join(dir.path, 'data.om');
    writeFileSync(om, generateOpenMetrics());
    const blocks = join(dir.path, 'blocks');
    const made = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', om, blocks], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(made.status, 0, `promtool create-blocks-from openmetrics:\n${made.stdout}${made.stderr}`);
    const promData = join(dir.path, 'prom-data');
    const ourData = join(dir.path, 'our-data');
    cpSync(blocks, promData, { recursive: true });
    cpSync(blocks, ourData, { recursive: true });
    const cfg = join(dir.path, 'config.yml');
    writeFileSync(cfg, 'global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\nscrape_configs: []\n');

    // 2. Both servers, far retention so the past blocks stay.
    const promPort = await freePort();
    const prom = startProcess(prometheus, [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${promData}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--enable-feature=promql-at-modifier,promql-negative-offset',
    ]);
    procs.push(prom);
    const ourPort = await freePort();
    const ours = startCli([
      'server',
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${ourData}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${ourPort}`,
      '--enable-feature=promql-experimental-functions',
    ]);
    procs.push(ours);
    const promBase = `http://127.0.0.1:${promPort}`;
    const ourBase = `http://127.0.0.1:${ourPort}`;
    await Promise.all([waitForHttp(`${promBase}/-/ready`, 60_000, prom), waitForHttp(`${ourBase}/-/ready`, 60_000, ours)]);

    // Sanity: both see the data (otherwise everything would "agree" on empty results).
    const probe = { query: 'count({__name__=~".+"})', time: sec(INSTANT_TIMES[1]) };
    const [pp, op] = await Promise.all([ask(promBase, '/api/v1/query', probe), ask(ourBase, '/api/v1/query', probe)]);
    const count = (a: ApiAnswer) => ((a.data?.result as Array<{ value: [number, string] }> | undefined)?.[0]?.value[1] ?? '0');
    assert.ok(Number(count(pp)) > 100, `Prometheus sees the blocks: ${JSON.stringify(pp)}`);
    assert.equal(count(op), count(pp), 'both servers see the same number of series');

    // 3. The corpus, a few queries in flight at a time.
    const started = Date.now();
    const outcomes: Outcome[] = new Array(CORPUS.length);
    let next = 0;
    const worker = async () => {
      while (next < CORPUS.length) {
        const i = next++;
        const c = CORPUS[i];
        const out: Outcome = { query: c, diffs: [], bothErrors: [] };
        for (const ev of evaluations(c)) {
          const [a, b] = await Promise.all([
            ask(ourBase, ev.path, { ...ev.params, query: c.q }),
            ask(promBase, ev.path, { ...ev.params, query: c.prom ?? c.q }),
          ]);
          const d = diffAnswers(a, b, { ordered: c.ordered && ev.path === '/api/v1/query' });
          if (d) out.diffs.push(`${ev.what}: ${d}`);
          else if (a.status === 'error') out.bothErrors.push(`${ev.what}: Pyrometer "${a.error}", Prometheus "${b.error}"`);
        }
        outcomes[i] = out;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);

    // 4. Report.
    const lines: string[] = [];
    const unexpected: Outcome[] = [];
    let agree = 0;
    let semantic = 0;
    let bugs = 0;
    const nowAgree: string[] = [];
    for (const o of outcomes) {
      const sem = KNOWN_SEMANTIC_DIFFERENCES[o.query.q];
      const bug = KNOWN_ENGINE_BUGS[o.query.q];
      if (o.diffs.length === 0) {
        agree++;
        if (sem !== undefined || bug !== undefined) nowAgree.push(o.query.q);
        continue;
      }
      const detail = o.diffs.map((d) => `      ${d}`).join('\n');
      if (sem !== undefined) {
        semantic++;
        lines.push(`  known 2.x/3.x difference: ${o.query.q}\n    reason: ${sem}\n${detail}`);
      } else if (bug !== undefined) {
        bugs++;
        lines.push(`  KNOWN ENGINE BUG: ${o.query.q}\n    diagnosis: ${bug}\n${detail}`);
      } else {
        unexpected.push(o);
        lines.push(`  UNEXPECTED DISAGREEMENT: ${o.query.q}${o.query.prom ? `  (Prometheus: ${o.query.prom})` : ''}\n${detail}`);
      }
    }
    const bothErr = outcomes.filter((o) => o.bothErrors.length > 0);
    for (const o of bothErr) lines.push(`  both error (agreement): ${o.query.q}: ${o.bothErrors[0]}`);
    for (const q of nowAgree) lines.push(`  NOW AGREES (remove it from known-differences.ts): ${q}`);
    const summary =
      `promql differential vs Prometheus 2.42: ${agree}/${CORPUS.length} queries agree, ` +
      `${semantic} known 2.x/3.x differences, ${bugs} known engine bugs, ${unexpected.length} unexpected ` +
      `(${CORPUS.reduce((n, c) => n + evaluations(c).length, 0)} evaluations on each side in ${elapsed}s)`;
    process.stdout.write(`\n${lines.join('\n')}\n${summary}\n`);
    for (const [name, p] of [['Prometheus', prom], ['Pyrometer', ours]] as const) {
      assert.ok(p.child.exitCode === null && p.child.signalCode === null, `${name} exited during the run:\n${p.output().slice(-4000)}`);
    }
    assert.equal(
      unexpected.length,
      0,
      `${unexpected.length} queries disagree with Prometheus 2.42 and are in neither known list:\n` +
        unexpected.map((o) => `  ${o.query.q}\n    ${o.diffs[0]}`).join('\n'),
    );
  } finally {
    for (const p of procs.reverse()) await p.stop();
    dir.remove();
  }
});
