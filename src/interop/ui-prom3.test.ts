/**
 * Prometheus 3 UI features in Debian's Chromium against our server under a route prefix:
 * exemplars on the graph (exemplar storage on, scraping an in-test OpenMetrics target whose
 * histogram buckets and counter carry exemplars); the Alertmanager discovery page, with
 * /api/v1/alertmanagers recorded from Prometheus 2.42 (web/ui/fixtures/, served by request
 * interception) and with our server's real empty answer; relabeling rule by rule
 * (/api/v1/targets/relabel_steps) on the targets and service-discovery pages; the alerts and
 * rules pages' filters in the URL (with the recorded Prometheus 2.42 rules).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { eventually, freePort, requirePeer } from '../testing/peers.js';
import { api, launchBrowser, startUiServer, type UiBrowser, type UiServer } from './ui-harness.js';

const FIXTURES = fileURLToPath(new URL('../../web/ui/fixtures/', import.meta.url));

// Two minutes in the past, so it lies inside a graph whose end is rounded down to the step.
const EXEMPLAR_MS = Math.floor(Date.now() / 1000 - 120) * 1000;
const EXEMPLAR_S = (EXEMPLAR_MS / 1000).toFixed(3);

const OPENMETRICS =
  `# TYPE req_seconds histogram\n` +
  `req_seconds_bucket{le="0.1"} 1 # {trace_id="abc"} 0.05 ${EXEMPLAR_S}\n` +
  `req_seconds_bucket{le="1"} 5 # {trace_id="def",span_id="42"} 0.5 ${EXEMPLAR_S}\n` +
  `req_seconds_bucket{le="+Inf"} 6\n` +
  `req_seconds_count 6\nreq_seconds_sum 2.1\n` +
  `# TYPE hits counter\nhits_total 10 # {trace_id="xyz"} 1 ${EXEMPLAR_S}\n# EOF\n`;

async function startOpenMetricsTarget(): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' });
    res.end(OPENMETRICS);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server };
}

test('web UI in Chromium: Prometheus 3 features', { timeout: 120_000 }, async (t) => {
  const chromiumPath = requirePeer('chromium', t);
  if (!chromiumPath) return;
  let target: { port: number; server: Server } | undefined;
  let srv: UiServer | undefined;
  let ui: UiBrowser | undefined;
  try {
    target = await startOpenMetricsTarget();
    const omPort = target.port;
    srv = await startUiServer(
      (port) =>
        `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: om\n    static_configs:\n      - targets: ['127.0.0.1:${omPort}']\n` +
        // Relabeling drops one target, derives a host label and adds env to the other.
        `  - job_name: relabeled\n    metrics_path: /pyro/metrics\n    static_configs:\n      - targets: ['127.0.0.1:${port}', '127.0.0.2:1']\n        labels: {team: infra}\n` +
        `    relabel_configs:\n      - source_labels: [__address__]\n        regex: '127\\.0\\.0\\.2:1'\n        action: drop\n` +
        `      - source_labels: [__address__]\n        regex: '([^:]+):\\d+'\n        target_label: host\n` +
        `      - target_label: env\n        replacement: test\n`,
      ['--enable-feature=exemplar-storage'],
    );
    const { base } = srv;
    ui = await launchBrowser(chromiumPath, base);
    const { page, shot } = ui;

    await t.test('graph: "Show exemplars" draws each exemplar, hover shows its labels, value and time', async () => {
      // The server has them before the page asks.
      await eventually(async () => ((await api<unknown[]>(base, `query_exemplars?query=req_seconds_bucket&start=0&end=${Date.now() / 1000}`)).length === 2 ? true : undefined), 15_000, 'exemplars stored');
      // The graph's end is rounded down to its step (2.4 s for 10m): wait until a rate() exists
      // 5 s ago, so both graphs below have their series however soon after startup this runs.
      await eventually(async () => ((await api<{ result: unknown[] }>(base, `query?query=rate(hits_total[1m])&time=${Date.now() / 1000 - 5}`)).result.length === 1 ? true : undefined), 20_000, 'data older than a graph step');
      await page.goto(`${base}/query?g0.expr=req_seconds_bucket&g0.tab=graph&g0.range_input=10m`);
      const graph = page.locator('[data-testid=graph]');
      await graph.locator('canvas').waitFor();
      assert.equal(await graph.getAttribute('data-exemplars'), '', 'no exemplars until asked');
      const asked: string[] = [];
      page.on('request', (r) => r.url().includes('/api/v1/query_exemplars') && asked.push(r.url()));
      await page.locator('[data-testid=show-exemplars]').check();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('g0.show_exemplars') === '1');
      await eventually(async () => ((await graph.getAttribute('data-exemplars'))?.split(',').length === 2 ? true : undefined), 5000, 'two markers');
      assert.equal(asked.length, 1);
      const q = new URL(asked[0]!).searchParams;
      assert.equal(q.get('query'), 'req_seconds_bucket');
      assert.equal(Number(q.get('end')) - Number(q.get('start')), 600);
      await shot('query-graph-exemplars');

      // Each in its bucket's colour: le="0.1" is the second series, le="1.0" the third.
      assert.deepEqual((await graph.getAttribute('data-exemplar-colors'))!.split(',').sort(), ['#0000aa', '#aa0000']);
      // The markers sit at the exemplar's time, the le="1" one (0.5) above the le="0.1" one (0.05).
      const markers = (await graph.getAttribute('data-exemplars'))!.split(',').map((m) => m.split(':').map(Number) as [number, number]);
      assert.equal(markers[0]![0], markers[1]![0]);
      const over = (await graph.locator('.u-over').boundingBox())!;
      const [hx, hy] = markers.reduce((a, b) => (a[1] < b[1] ? a : b));
      await page.mouse.move(over.x + hx, over.y + hy);
      const info = page.locator('[data-testid=exemplar-info]');
      await info.waitFor();
      const text = (await info.textContent()) ?? '';
      assert.match(text, /span_id42/);
      assert.match(text, /trace_iddef/);
      assert.match(text, /value0\.5/);
      const time = new Date(EXEMPLAR_MS).toISOString().slice(0, 19).replace('T', ' ');
      assert.ok(text.includes(`time${time} UTC`), text);
      assert.match(text, /seriesreq_seconds_bucket\{instance="127\.0\.0\.1:\d+", job="om", le="1\.0"\}/);
      await shot('query-graph-exemplar-hover');
      // Away from the markers the box goes.
      await page.mouse.move(over.x + 5, over.y + 5);
      await info.waitFor({ state: 'detached' });

      // A reload keeps the toggle (it is in the URL); a counter's exemplar is drawn too.
      await eventually(async () => ((await api<{ result: unknown[] }>(base, 'query?query=rate(hits_total[1m])')).result.length === 1 ? true : undefined), 10_000, 'a rate');
      await page.goto(`${base}/query?g0.expr=rate(hits_total[1m])&g0.tab=graph&g0.range_input=10m&g0.show_exemplars=1`);
      assert.equal(await page.locator('[data-testid=show-exemplars]').isChecked(), true);
      await eventually(async () => ((await graph.getAttribute('data-exemplars'))?.split(',').length === 1 ? true : undefined), 5000, 'one marker');
      // rate() drops the metric name; the exemplar still takes its series' colour (the first).
      assert.equal(await page.locator('[data-testid=legend] li').count(), 1);
      assert.equal(await graph.getAttribute('data-exemplar-colors'), '#008000');
      // Dark theme: the markers are drawn again.
      await page.locator('.theme-toggle').click();
      await eventually(async () => ((await graph.getAttribute('data-exemplars'))?.split(',').length === 1 ? true : undefined), 5000, 'marker in dark theme');
      await shot('query-graph-exemplars-dark');
      await page.locator('.theme-toggle').click();
    });

    await t.test('Alertmanager discovery: active and dropped Alertmanagers, reached from the Status menu by keyboard', async (st) => {
      st.after(() => page.unrouteAll());
      await page.route(
        (u) => u.pathname.endsWith('/api/v1/alertmanagers'),
        (route) => route.fulfill({ status: 200, contentType: 'application/json', body: readFileSync(`${FIXTURES}prometheus-2.42-alertmanagers.json`, 'utf8') }),
      );
      await page.goto(`${base}/query`);
      await page.locator('details.menu:not(.settings) > summary').focus();
      await page.keyboard.press('Enter');
      const link = page.locator('.menu-items a', { hasText: 'Alertmanager discovery' });
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/alertmanager-discovery`);
      const active = page.locator('[data-testid=alertmanagers-active]');
      const dropped = page.locator('[data-testid=alertmanagers-dropped]');
      await active.locator('tbody tr').first().waitFor();
      assert.equal(await page.title(), 'Alertmanager discovery - Pyrometer');
      assert.match((await active.locator('h2').textContent()) ?? '', /Active Alertmanagers\s*\(2\)/);
      assert.deepEqual(await active.locator('tbody td').allTextContents(), ['http://127.0.0.1:19093/api/v2/alerts', 'https://alertmanager.example.org:443/am/api/v2/alerts']);
      assert.equal(await active.locator('tbody a').nth(1).getAttribute('href'), 'https://alertmanager.example.org:443/am/');
      assert.match((await dropped.locator('h2').textContent()) ?? '', /Dropped Alertmanagers\s*\(1\)/);
      assert.deepEqual(await dropped.locator('tbody td').allTextContents(), ['http://10.0.0.7:9093/api/v2/alerts']);
      await shot('alertmanager-discovery');
      await page.locator('.theme-toggle').click();
      await shot('alertmanager-discovery-dark');
      await page.locator('.theme-toggle').click();

      // Our server has no notifier yet: its real answer is two empty lists.
      await page.unrouteAll();
      await page.reload();
      await active.locator('.info').waitFor();
      assert.equal(await active.locator('.info').textContent(), 'No active Alertmanagers.');
      assert.equal(await dropped.locator('.info').textContent(), 'No dropped Alertmanagers.');
      await shot('alertmanager-discovery-empty');
    });

    await t.test('relabeling step by step on the targets and service-discovery pages', async () => {
      const { port } = srv!;
      await eventually(async () => {
        const d = await api<{ activeTargets: unknown[]; droppedTargets: unknown[] }>(base, 'targets');
        return d.activeTargets.length === 2 && d.droppedTargets.length === 1 ? true : undefined;
      }, 20_000, 'two active targets and one dropped');
      const asked: URLSearchParams[] = [];
      const onRequest = (r: { url(): string }) => r.url().includes('/api/v1/targets/relabel_steps') && asked.push(new URL(r.url()).searchParams);
      page.on('request', onRequest);

      await page.goto(`${base}/targets`);
      const relabeled = page.locator('[data-testid=scrape-pool]', { hasText: 'relabeled' });
      await relabeled.getByRole('button', { name: 'Show relabeling' }).click();
      const steps = relabeled.locator('[data-testid=relabel-step]');
      await steps.nth(2).waitFor();
      assert.equal(asked.length, 1);
      assert.equal(asked[0]!.get('scrapePool'), 'relabeled');
      assert.equal(JSON.parse(asked[0]!.get('labels')!).__address__, `127.0.0.1:${port}`);
      assert.equal(await steps.count(), 3);
      assert.deepEqual(await steps.locator('.rule').allTextContents(), [
        "source_labels: [__address__]\nregex: '127\\.0\\.0\\.2:1'\naction: drop",
        "source_labels: [__address__]\nregex: '([^:]+):\\d+'\ntarget_label: host\naction: replace",
        "target_label: env\nreplacement: 'test'\naction: replace",
      ]);
      // What each rule set is marked on that rule's line only.
      assert.deepEqual(await steps.nth(0).locator('.set-here').allTextContents(), []);
      assert.deepEqual(await steps.nth(1).locator('.set-here').allTextContents(), ['host="127.0.0.1"']);
      assert.deepEqual(await steps.nth(2).locator('.set-here').allTextContents(), ['env="test"']);
      assert.match((await steps.nth(2).textContent()) ?? '', new RegExp(`__address__="127\\.0\\.0\\.1:${port}".*env="test".*host="127\\.0\\.0\\.1".*team="infra"`));
      await shot('targets-relabel-steps');

      // Service discovery: the dropped target shows the rule that dropped it.
      await page.goto(`${base}/service-discovery`);
      const pool = page.locator('[data-testid=sd-pool]', { hasText: 'relabeled' });
      const droppedRow = pool.locator('[data-testid=sd-target]', { hasText: 'Dropped' });
      // From the keyboard.
      await droppedRow.getByRole('button', { name: 'Show relabeling' }).focus();
      await page.keyboard.press('Enter');
      await pool.locator('[data-testid=relabel-dropped]').waitFor();
      assert.equal(await pool.locator('[data-testid=relabel-step]').count(), 1);
      assert.match((await pool.locator('[data-testid=relabel-step]').textContent()) ?? '', /action: drop\s*Target dropped by this rule/);
      assert.equal(await pool.locator('[data-testid=relabel-not-applied]').textContent(), '2 later rules not applied.');
      assert.equal(JSON.parse(asked.at(-1)!.get('labels')!).__address__, '127.0.0.2:1');
      await shot('service-discovery-relabel-steps');
      await page.locator('.theme-toggle').click();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      await shot('service-discovery-relabel-steps-dark');
      await page.locator('.theme-toggle').click();
      // A pool without rules says so.
      const om = page.locator('[data-testid=sd-pool]', { hasText: 'om' }).first();
      await om.getByRole('button', { name: 'Show relabeling' }).click();
      assert.equal(await om.locator('[data-testid=relabel-steps]').textContent(), 'No relabeling rules in scrape pool om.');
      page.off('request', onRequest);
    });

    await t.test('alerts and rules pages keep their filters in the URL, and a link reproduces the view', async (st) => {
      st.after(() => page.unrouteAll());
      await page.route(
        (u) => u.pathname.endsWith('/api/v1/rules'),
        (route) => {
          const alertsOnly = new URL(route.request().url()).searchParams.get('type') === 'alert';
          const body = readFileSync(`${FIXTURES}prometheus-2.42-rules${alertsOnly ? '-type-alert' : ''}.json`, 'utf8');
          return route.fulfill({ status: 200, contentType: 'application/json', body });
        },
      );
      await page.goto(`${base}/alerts`);
      const rules = page.locator('[data-testid=alert-rule]');
      await rules.first().waitFor();
      assert.equal(new URL(page.url()).search, '', 'the default view adds nothing to the URL');
      await page.locator('[data-testid=state-inactive]').uncheck();
      await page.getByLabel('Filter alerts').fill('target');
      await page.getByLabel('Show annotations').check();
      await page.waitForFunction(() => location.search.includes('showAnnotations'));
      const link = page.url();
      assert.equal(new URL(link).search, '?state=firing&state=pending&search=target&showAnnotations=1');
      const names = await rules.locator('button').allTextContents();
      assert.equal(names.length, 3);

      // The link opens the same view; "back" is not filled with filter changes.
      await page.goto(`${base}/query`);
      await page.goto(link);
      await rules.first().waitFor();
      assert.deepEqual(await rules.locator('button').allTextContents(), names);
      assert.equal(await page.locator('[data-testid=state-inactive]').isChecked(), false);
      assert.equal(await page.locator('[data-testid=state-firing]').isChecked(), true);
      assert.equal(await page.getByLabel('Filter alerts').inputValue(), 'target');
      assert.equal(await page.getByLabel('Show annotations').isChecked(), true);
      await rules.filter({ hasText: 'TargetUp' }).first().locator('button').click();
      assert.match(await page.locator('[data-testid=alert-annotations]').first().textContent() ?? '', /summary/);
      // No state shown is a view of its own.
      for (const s of ['firing', 'pending']) await page.locator(`[data-testid=state-${s}]`).uncheck();
      await page.waitForFunction(() => new URL(location.href).searchParams.getAll('state').join() === '');
      assert.equal(await rules.count(), 0);
      await page.reload();
      await page.locator('[data-testid=state-firing]').waitFor();
      assert.equal(await page.locator('[data-testid=state-firing]').isChecked(), false);
      assert.equal(await rules.count(), 0);

      // Rules: health and search.
      await page.goto(`${base}/rules`);
      const rows = page.locator('[data-testid=rule-row]');
      await rows.first().waitFor();
      await page.locator('[data-testid=health-ok]').uncheck();
      await page.getByLabel('Filter rules').fill('clash');
      await page.waitForFunction(() => location.search.includes('search=clash'));
      assert.equal(new URL(page.url()).search, '?health=err&health=unknown&search=clash');
      assert.equal(await rows.count(), 1);
      await page.goto(`${base}/rules?health=ok&search=job`);
      await rows.first().waitFor();
      assert.equal(await page.locator('[data-testid=health-err]').isChecked(), false);
      assert.equal(await page.getByLabel('Filter rules').inputValue(), 'job');
      for (const r of await rows.locator('[data-testid=rule-health]').allTextContents()) assert.equal(r, 'ok');
      assert.ok((await rows.count()) > 0);
    });

    assert.deepEqual(ui.consoleErrors, []);
    assert.deepEqual(ui.foreignRequests, []);
  } finally {
    await ui?.browser.close();
    await srv?.stop();
    if (target) await new Promise((r) => target!.server.close(r));
  }
});
