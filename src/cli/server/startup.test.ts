/**
 * Startup as Prometheus does it: the server listens while the WAL replays (healthy, not ready,
 * replay progress on status/walreplay, the API answering 503), then turns ready with the data
 * queryable; SIGTERM during replay stops it cleanly with the data directory left as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { startCli } from '../../testing/cli.js';
import { freePort, requirePeer, startProcess, tempDir, type PeerProcess } from '../../testing/peers.js';
import { PAGE_SIZE, WAL, WalSink } from '../../tsdb/wlog/index.js';

const SERIES = 20_000;
const COMMITS = 60;
/** Small segments: many of them, so progress is seen segment by segment. */
const SEGMENT_SIZE = 4 * PAGE_SIZE;

/** By default 1.2M samples in a few hundred segments, ending a minute ago; returns the last timestamp. */
function writeWal(dataDir: string, seriesCount = SERIES, commits = COMMITS): number {
  const wal = WAL.open(join(dataDir, 'wal'), { segmentSize: SEGMENT_SIZE, compress: true });
  const sink = new WalSink(wal);
  const refs = new Float64Array(seriesCount).map((_, i) => i + 1);
  const series = [...refs].map((ref) => ({ ref, labels: Labels.fromStrings('__name__', 'replayed_total', 'id', String(ref)) }));
  const ts = new Float64Array(seriesCount);
  const vs = new Float64Array(seriesCount);
  const last = Date.now() - 60_000;
  for (let c = 0; c < commits; c++) {
    ts.fill(last - (commits - 1 - c) * 15_000);
    vs.fill(c);
    sink.commit({ series: c === 0 ? series : undefined, samples: { refs, ts, vs, n: seriesCount } });
  }
  wal.close();
  return last;
}

interface Seen {
  status: number;
  body: string;
}

async function get(base: string, path: string): Promise<Seen | undefined> {
  try {
    const res = await fetch(base + path, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined; // not listening yet
  }
}

function startServer(dir: string, port: number): PeerProcess {
  return startCli(['server', `--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`]);
}

interface Replay {
  min: number;
  max: number;
  current: number;
}

/** Polls until the server listens while its replay is still under way; returns that status. */
async function duringReplay(base: string, proc: PeerProcess): Promise<Replay> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && proc.child.exitCode === null) {
    const r = await get(base, '/api/v1/status/walreplay');
    if (r) {
      assert.equal(r.status, 200, r.body);
      const s = (JSON.parse(r.body) as { data: Replay }).data;
      if (s.current < s.max) return s;
      assert.fail(`the server listened only after replay had finished: ${r.body}`);
    }
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`server never listened:\n${proc.output()}`);
}

test('the server answers during WAL replay as Prometheus does, then turns ready with the data', { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const procs: PeerProcess[] = [];
  try {
    writeFileSync(join(dir.path, 'p.yml'), 'global:\n  scrape_interval: 1h\n');
    mkdirSync(join(dir.path, 'data'));
    const last = writeWal(join(dir.path, 'data'));
    const segments = readdirSync(join(dir.path, 'data', 'wal')).length;
    assert.ok(segments >= 50, `the WAL spans many segments (${segments})`);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    procs.push(startServer(dir.path, port));
    const first = await duringReplay(base, procs[0]!);
    assert.equal(first.max, segments, 'max counts the segment the writer opens after replay, as Prometheus');
    assert.equal(first.min, 0);

    // While replaying: healthy, not ready, the API refuses as Prometheus's does, the UI loads.
    const healthy = await get(base, '/-/healthy');
    assert.deepEqual(healthy, { status: 200, body: 'Prometheus Server is Healthy.\n' });
    const notReady = await get(base, '/-/ready');
    const query = await get(base, '/api/v1/query?query=up');
    const labels = await get(base, '/api/v1/labels');
    const federate = await get(base, '/federate?match[]=up');
    const ui = await get(base, '/query');
    const progress: number[] = [];
    let finalState: Replay | undefined;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const r = await get(base, '/api/v1/status/walreplay');
      assert.ok(r && r.status === 200, 'walreplay answers throughout');
      const s = (JSON.parse(r.body) as { data: Replay }).data;
      progress.push(s.current);
      if (s.current === s.max) {
        finalState = s;
        break;
      }
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.ok(finalState, `replay finished: ${progress.join(',')}`);
    // The requests above were answered during replay only if replay was still going after them.
    assert.ok(progress.length > 1, 'these checks ran while replay was still under way');
    assert.deepEqual(notReady, { status: 503, body: 'Service Unavailable' });
    assert.deepEqual(query, { status: 503, body: 'Service Unavailable' });
    assert.deepEqual(labels, { status: 503, body: 'Service Unavailable' });
    assert.deepEqual(federate, { status: 503, body: 'Service Unavailable' });
    assert.equal(ui?.status, 200, 'the UI loads during startup');
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! >= progress[i - 1]!, `progress never goes back: ${progress.join(',')}`);
    assert.ok(progress[0]! < finalState.max && new Set(progress).size >= 2, `progress moved: ${progress.join(',')}`);

    const readyDeadline = Date.now() + 30_000;
    while ((await get(base, '/-/ready'))?.status !== 200) {
      assert.ok(Date.now() < readyDeadline, `never ready:\n${procs[0]!.output()}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    const count = await get(base, `/api/v1/query?query=count(replayed_total)&time=${last / 1000}`);
    assert.equal(count?.status, 200, count?.body);
    assert.match(count.body, new RegExp(`"value":\\[[0-9.]+,"${SERIES}"\\]`));
    await procs[0]!.stop();
    assert.equal(procs[0]!.child.exitCode, 0, procs[0]!.output());
  } finally {
    for (const p of procs) await p.stop();
    dir.remove();
  }
});

test('SIGTERM during WAL replay stops the server cleanly; the WAL is left as it was and replays fully later', { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const procs: PeerProcess[] = [];
  try {
    writeFileSync(join(dir.path, 'p.yml'), 'global:\n  scrape_interval: 1h\n');
    mkdirSync(join(dir.path, 'data'));
    const last = writeWal(join(dir.path, 'data'));
    const walDir = join(dir.path, 'data', 'wal');
    const files = () => readdirSync(walDir).sort().map((f) => `${f}:${statSync(join(walDir, f)).size}`);
    const before = files();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    procs.push(startServer(dir.path, port));
    await duringReplay(base, procs[0]!);
    await procs[0]!.stop(20_000);
    assert.equal(procs[0]!.child.exitCode, 0, procs[0]!.output());
    assert.match(procs[0]!.output(), /Storage opening stopped by shutdown/);
    assert.deepEqual(files(), before, 'no WAL segment written, cut or repaired');
    assert.equal(existsSync(join(dir.path, 'data', 'lock')), false, 'lock released');

    procs.push(startServer(dir.path, port));
    const readyDeadline = Date.now() + 120_000;
    while ((await get(base, '/-/ready'))?.status !== 200) {
      assert.ok(Date.now() < readyDeadline && procs[1]!.child.exitCode === null, `never ready:\n${procs[1]!.output()}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    const count = await get(base, `/api/v1/query?query=count(replayed_total)&time=${last / 1000}`);
    assert.match(count?.body ?? '', new RegExp(`"value":\\[[0-9.]+,"${SERIES}"\\]`));
  } finally {
    for (const p of procs) await p.stop();
    dir.remove();
  }
});

/** Endpoints whose startup answers must match Prometheus's. */
const STARTUP_PATHS = [
  '/-/healthy',
  '/-/ready',
  '/api/v1/query?query=up',
  '/api/v1/query_range?query=up&start=0&end=60&step=15',
  '/api/v1/series?match[]=up',
  '/api/v1/labels',
  '/api/v1/label/job/values',
  '/api/v1/targets',
  '/api/v1/rules',
  '/api/v1/status/buildinfo',
  '/api/v1/status/config',
  '/api/v1/status/tsdb',
  '/federate?match[]=up',
  '/api/v1/no_such_endpoint',
];

/** Status, content type and body of each path, taken while /-/ready says 503 before and after. */
async function answersWhileStarting(base: string, proc: PeerProcess): Promise<Record<string, string>> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && proc.child.exitCode === null) {
    const before = await get(base, '/-/ready');
    if (before?.status === 503) {
      // All at once: a server replaying in slices answers them together between two slices.
      const answers = await Promise.all(
        STARTUP_PATHS.map(async (path) => {
          const res = await fetch(base + path, { signal: AbortSignal.timeout(5000) });
          return `${res.status} ${res.headers.get('content-type')} ${await res.text()}`;
        }),
      );
      const out = Object.fromEntries(STARTUP_PATHS.map((path, i) => [path, answers[i]!]));
      const replay = await get(base, '/api/v1/status/walreplay');
      assert.match(replay?.body ?? '', /^\{"status":"success","data":\{"min":\d+,"max":\d+,"current":\d+\}\}$/);
      if ((await get(base, '/-/ready'))?.status === 503) return out;
    } else if (before) {
      assert.fail(`${base} was ready before its answers during startup could be read (${before.status})`);
    }
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`no startup answers:\n${proc.output()}`);
}

test('during WAL replay the answers are those of the real Prometheus', { timeout: 240_000 }, async (t) => {
  const prometheus = requirePeer('prometheus', t);
  if (!prometheus) return;
  const dir = tempDir();
  const procs: PeerProcess[] = [];
  try {
    writeFileSync(join(dir.path, 'p.yml'), 'global:\n  scrape_interval: 1h\n');
    mkdirSync(join(dir.path, 'data'));
    // Many series: Prometheus replays samples fast but creates series slower, so its startup lasts long enough to watch.
    writeWal(join(dir.path, 'data'), 200_000, 6);
    cpSync(join(dir.path, 'data'), join(dir.path, 'prom'), { recursive: true });

    const promPort = await freePort();
    procs.push(
      startProcess(prometheus, [`--config.file=${join(dir.path, 'p.yml')}`, `--storage.tsdb.path=${join(dir.path, 'prom')}`, `--web.listen-address=127.0.0.1:${promPort}`]),
    );
    const theirs = await answersWhileStarting(`http://127.0.0.1:${promPort}`, procs[0]!);
    await procs[0]!.stop();

    const port = await freePort();
    procs.push(startServer(dir.path, port));
    const ours = await answersWhileStarting(`http://127.0.0.1:${port}`, procs[1]!);
    assert.deepEqual(ours, theirs);
  } finally {
    for (const p of procs) await p.stop();
    dir.remove();
  }
});
