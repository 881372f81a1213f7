/**
 * The alerts, rules and service-discovery pages in Debian's Chromium against our server under a
 * route prefix. Our server has no rules engine yet, so the alerts and rules pages get
 * /api/v1/rules answers recorded from Prometheus 2.42 (web/ui/fixtures/) through playwright's
 * request interception, and are also checked against the server's real (empty) answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { eventually, requirePeer } from '../testing/peers.js';
import { api, launchBrowser, startUiServer, type UiBrowser, type UiServer } from './ui-harness.js';

const FIXTURES = fileURLToPath(new URL('../../web/ui/fixtures/', import.meta.url));
const fixture = (name: string) => readFileSync(`${FIXTURES}${name}`, 'utf8');

/** Serves `body` for /api/v1/rules; returns the query strings the page asked with. */
async function serveRules(page: Page, body: (url: URL) => string): Promise<string[]> {
  const asked: string[] = [];
  await page.route(
    (u) => u.pathname.endsWith('/api/v1/rules'),
    (route) => {
      const url = new URL(route.request().url());
      asked.push(url.search);
      return route.fulfill({ status: 200, contentType: 'application/json', body: body(url) });
    },
  );
  return asked;
}

const textOf = async (page: Page, sel: string) => (await page.locator(sel).textContent()) ?? '';

test('web UI pages in Chromium: alerts, rules, service discovery, targets, startup', { timeout: 90_000 }, async (t) => {
  const chromiumPath = requirePeer('chromium', t);
  if (!chromiumPath) return;
  let srv: UiServer | undefined;
  let ui: UiBrowser | undefined;
  try {
    // Two targets; relabeling drops one and adds a label to the other.
    srv = await startUiServer(
      (port) =>
        `global:\n  scrape_interval: 1s\nscrape_configs:\n` +
        `  - job_name: pyrometer\n    metrics_path: /pyro/metrics\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n` +
        `  - job_name: relabeled\n    metrics_path: /pyro/metrics\n    static_configs:\n      - targets: ['127.0.0.1:${port}', '127.0.0.2:1']\n        labels: {team: infra}\n` +
        `    relabel_configs:\n      - source_labels: [__address__]\n        regex: '127\\.0\\.0\\.2:1'\n        action: drop\n` +
        `      - target_label: env\n        replacement: test\n`,
    );
    const { base, port } = srv;
    ui = await launchBrowser(chromiumPath, base);
    const { page, shot } = ui;

    await t.test('alerts page: groups, state counts, filters, definition and active alerts', async (st) => {
      st.after(() => page.unrouteAll());
      const asked = await serveRules(page, () => fixture('prometheus-2.42-rules-type-alert.json'));
      await page.goto(`${base}/alerts`);
      const rules = page.locator('[data-testid=alert-rule]');
      await rules.first().waitFor();
      assert.deepEqual(asked, ['?type=alert']);
      assert.equal(await page.locator('[data-testid=rule-group]').count(), 3);
      assert.equal(await rules.count(), 6);
      const controls = await textOf(page, '.controls');
      assert.match(controls, /firing \(1\)/);
      assert.match(controls, /pending \(2\)/);
      assert.match(controls, /inactive \(3\)/);
      assert.match(await textOf(page, '[data-testid=rule-group] h2 >> nth=0'), /rules\.yml >\s*availability\s*firing \(1\)\s*pending \(2\)\s*inactive \(1\)/);

      // State checkboxes: only pending and firing, then only firing.
      await page.locator('[data-testid=state-inactive]').uncheck();
      assert.equal(await rules.count(), 3);
      await page.locator('[data-testid=state-pending]').uncheck();
      assert.equal(await rules.count(), 1);
      assert.match((await rules.first().textContent()) ?? '', /TargetUp\s*firing\s*1 active/);

      // Opened from the keyboard: the toggle is a focusable button.
      await rules.first().locator('button').focus();
      await page.keyboard.press('Enter');
      assert.equal(await rules.first().locator('button').getAttribute('aria-expanded'), 'true');
      const def = rules.first().locator('[data-testid=rule-definition]');
      assert.equal(await def.textContent(), 'alert: TargetUp\nexpr: up == 1\nlabels:\n  severity: info\nannotations:\n  description: "Value is {{ $value }}."\n  summary: "{{ $labels.instance }} of job {{ $labels.job }} is up"\n');
      // The expression is highlighted with the PromQL grammar.
      assert.equal(await def.locator('.promql .tok-number').textContent(), '1');
      const alert = rules.first().locator('[data-testid=active-alert]');
      assert.equal(await alert.count(), 1);
      assert.match((await alert.textContent()) ?? '', /alertname="TargetUp".*instance="127\.0\.0\.1:39513".*job="prometheus".*severity="info".*firing.*ago\s*1$/);
      assert.equal(await page.locator('[data-testid=alert-annotations]').count(), 0);
      await page.getByLabel('Show annotations').check();
      assert.match(await textOf(page, '[data-testid=alert-annotations]'), /summary.*127\.0\.0\.1:39513 of job prometheus is up/);
      await shot('alerts');

      // Text search over names and labels, all states shown again.
      await page.locator('[data-testid=state-inactive]').check();
      await page.locator('[data-testid=state-pending]').check();
      await page.getByLabel('Filter alerts').fill('severity="critical"');
      assert.equal(await rules.count(), 1);
      assert.match((await rules.first().textContent()) ?? '', /TargetDown\s*pending/);
      await page.getByLabel('Filter alerts').fill('TargetUpForLong');
      await rules.first().locator('button').click();
      assert.match(await textOf(page, '[data-testid=rule-definition]'), /^alert: TargetUpForLong\nexpr: up\{job="prometheus"\} == 1\nfor: 10m\nkeep_firing_for: 5m\n/);
    });

    await t.test('alerts page: the empty state from our server', async () => {
      await page.goto(`${base}/alerts`);
      await page.locator('[data-testid=empty-state]').waitFor();
      assert.match(await textOf(page, '[data-testid=empty-state]'), /No alerting rules configured/);
      await shot('alerts-empty');
    });

    await t.test('rules page: group figures, health, errors, recording and alerting rules', async (st) => {
      st.after(() => page.unrouteAll());
      const asked = await serveRules(page, () => fixture('prometheus-2.42-rules.json'));
      await page.goto(`${base}/rules`);
      const rows = page.locator('[data-testid=rule-row]');
      await rows.first().waitFor();
      assert.deepEqual(asked, ['']);
      assert.equal(await rows.count(), 10);
      assert.equal(await page.locator('[data-testid=rule-row][data-rule-type=recording]').count(), 4);
      const stats = await page.locator('[data-testid=group-stats]').allTextContents();
      assert.equal(stats.length, 3);
      assert.match(stats[0]!, /Interval: 1s\s*Last evaluation: .*ago\s*Evaluation time: \d+\.\d{3}ms/);
      assert.match(stats[1]!, /Interval: 1h\s*Last evaluation: never\s*Evaluation time: -/);
      assert.match(stats[2]!, /Interval: 2s/);
      const clash = rows.filter({ hasText: 'record: clash' });
      assert.equal(await clash.locator('[data-testid=rule-health]').textContent(), 'err');
      assert.equal(await clash.locator('[data-testid=rule-error]').textContent(), 'vector contains metrics with the same labelset after applying rule labels');
      assert.match((await rows.filter({ hasText: 'record: job:up:sum' }).textContent()) ?? '', /recordingrecord: job:up:sum\nexpr: sum by \(job\) \(up\)\n\s*ok.*ago\s*\d+\.\d{3}ms/);
      assert.equal(await rows.filter({ hasText: 'record: job:scrape_duration_seconds:max' }).locator('[data-testid=rule-health]').textContent(), 'unknown');
      await shot('rules');
      // Health filter: without "ok", the two never-evaluated rules and the two failing ones remain.
      await page.locator('[data-testid=health-ok]').uncheck();
      assert.equal(await rows.count(), 4);
      await page.locator('[data-testid=health-ok]').check();
      await page.getByLabel('Filter rules').fill('label_replace');
      assert.equal(await rows.count(), 2);
    });

    await t.test('rules page: the empty state from our server', async () => {
      await page.goto(`${base}/rules`);
      await page.locator('[data-testid=empty-state]').waitFor();
      assert.match(await textOf(page, '[data-testid=empty-state]'), /No rule groups configured/);
    });

    await t.test('service discovery page: labels before and after relabeling, dropped targets, filters', async () => {
      // Discovery runs apart from startup: wait until both pools have their targets.
      await eventually(async () => {
        const d = await api<{ activeTargets: unknown[]; droppedTargets: unknown[] }>(base, 'targets');
        return d.activeTargets.length === 2 && d.droppedTargets.length === 1 ? true : undefined;
      }, 20_000, 'two active targets and one dropped');
      await page.goto(`${base}/service-discovery`);
      const pools = page.locator('[data-testid=sd-pool]');
      await pools.first().waitFor();
      assert.equal(await pools.count(), 2);
      assert.match((await pools.nth(0).locator('h2').textContent()) ?? '', /pyrometer\s*1 active \/ 0 dropped/);
      assert.match((await pools.nth(1).locator('h2').textContent()) ?? '', /relabeled\s*1 active \/ 1 dropped/);
      const rows = pools.nth(1).locator('[data-testid=sd-target]');
      assert.equal(await rows.count(), 2);
      const kept = rows.filter({ hasNotText: 'Dropped' });
      const [before, after] = await kept.locator('td').allTextContents();
      assert.match(before!, new RegExp(`__address__="127\\.0\\.0\\.1:${port}".*__metrics_path__="/pyro/metrics".*job="relabeled".*team="infra"`));
      assert.doesNotMatch(before!, /env=/);
      assert.equal(after, `env="test"instance="127.0.0.1:${port}"job="relabeled"team="infra"`);
      const dropped = rows.filter({ hasText: 'Dropped' });
      assert.equal(await dropped.count(), 1);
      assert.match((await dropped.locator('td').first().textContent()) ?? '', /__address__="127\.0\.0\.2:1"/);
      await shot('service-discovery');
      // Filters: by pool, then by label text.
      await page.getByLabel('Scrape pool').selectOption('pyrometer');
      assert.equal(await pools.count(), 1);
      await page.getByLabel('Scrape pool').selectOption('');
      await page.getByLabel('Filter by labels').fill('127.0.0.2');
      assert.equal(await page.locator('[data-testid=sd-target]').count(), 1);
      assert.equal(await pools.count(), 1);
      // Pools collapse from the keyboard.
      await page.getByLabel('Filter by labels').fill('');
      await pools.nth(0).locator('.pool-toggle').focus();
      await page.keyboard.press('Enter');
      assert.equal(await pools.nth(0).locator('[data-testid=sd-target]').count(), 0);
      assert.equal(await pools.nth(0).locator('.pool-toggle').getAttribute('aria-expanded'), 'false');
    });

    await t.test('targets page: scrape interval and timeout, relabeling per target, pools collapse', async () => {
      await page.goto(`${base}/targets`);
      const rows = page.locator('[data-testid=target-row]');
      await rows.nth(1).waitFor();
      assert.equal(await page.locator('[data-testid=scrape-pool]').count(), 2);
      assert.match(await textOf(page, '[data-testid=target-scrape] >> nth=0'), /ago\s*Interval: 1s · Timeout: 1s$/);
      const relabeled = page.locator('[data-testid=scrape-pool]').nth(1);
      await relabeled.getByRole('button', { name: 'Show relabeling' }).click();
      const view = relabeled.locator('[data-testid=target-relabeling]');
      // Only this pool's target opens, though the other pool scrapes the same endpoint.
      assert.equal(await page.locator('[data-testid=target-relabeling]').count(), 1);
      assert.match((await view.textContent()) ?? '', new RegExp(`Discovered labels.*__address__="127\\.0\\.0\\.1:${port}".*__metrics_path__="/pyro/metrics".*job="relabeled".*team="infra".*Target labels`));
      // What relabeling set is marked: the added env and the instance taken from the address.
      assert.deepEqual(await view.locator('.label-badge.changed').allTextContents(), ['env="test"', `instance="127.0.0.1:${port}"`]);
      await shot('targets-relabeling');
      await relabeled.getByRole('button', { name: 'Hide relabeling' }).click();
      assert.equal(await view.count(), 0);
      await page.getByRole('button', { name: 'Collapse all' }).click();
      assert.equal(await rows.count(), 0);
      await page.getByRole('button', { name: 'Expand all' }).click();
      assert.equal(await rows.count(), 2);
      await relabeled.locator('.pool-toggle').focus();
      await page.keyboard.press('Enter');
      assert.equal(await rows.count(), 1);
      assert.equal(await relabeled.locator('.pool-toggle').getAttribute('aria-expanded'), 'false');
    });

    await t.test('startup page: WAL replay progress while not ready, then the page', async (st) => {
      // Our server is ready within a second; the real endpoint's shape is checked here and the
      // not-ready phase is played by intercepting /-/ready.
      const real = await api<{ min: number; max: number; current: number }>(base, 'status/walreplay');
      assert.deepEqual(Object.keys(real).sort(), ['current', 'max', 'min']);
      let ready = false;
      ui!.expectedErrors.add('status of 503');
      st.after(async () => {
        ui!.expectedErrors.delete('status of 503');
        await page.unrouteAll();
      });
      await page.route(
        (u) => u.pathname.endsWith('/-/ready'),
        (route) => (ready ? route.continue() : route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable\n' })),
      );
      await page.route(
        (u) => u.pathname.endsWith('/api/v1/status/walreplay'),
        (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ status: 'success', data: { min: 2, max: 6, current: 4 } }) }),
      );
      await page.goto(`${base}/query`);
      await page.getByTestId('wal-replay').waitFor();
      assert.equal(await page.getByTestId('wal-replay').textContent(), 'Replaying WAL (4/6)');
      assert.equal(await page.getByLabel('WAL replay progress').getAttribute('value'), '50');
      assert.equal(await page.locator('.cm-content').count(), 0);
      await shot('startup');
      ready = true;
      await page.locator('.cm-content').waitFor();
      assert.equal(await page.getByTestId('startup').count(), 0);
    });

    await t.test('the dark theme applies to the new pages', async (st) => {
      st.after(() => page.unrouteAll());
      await serveRules(page, (url) => fixture(url.searchParams.get('type') === 'alert' ? 'prometheus-2.42-rules-type-alert.json' : 'prometheus-2.42-rules.json'));
      await page.goto(`${base}/rules`);
      await page.locator('[data-testid=rule-row]').first().waitFor();
      if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== 'dark') await page.getByRole('button', { name: 'Toggle light/dark theme' }).click();
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
      // The page background follows the theme's variables.
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(26, 27, 30)');
      await shot('rules-dark');
      await page.goto(`${base}/alerts`);
      await page.locator('[data-testid=alert-rule] button').first().click();
      await shot('alerts-dark');
      await page.goto(`${base}/service-discovery`);
      await page.locator('[data-testid=sd-pool]').first().waitFor();
      await shot('service-discovery-dark');
    });

    assert.deepEqual(ui.consoleErrors, []);
    assert.deepEqual(ui.foreignRequests, []);
  } finally {
    await ui?.browser.close();
    await srv?.stop();
  }
});
