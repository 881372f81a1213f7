/**
 * The web UI in a real browser: Debian's Chromium, driven by playwright-core, against our server
 * running under a route prefix and scraping itself every second. Screenshots of every page go
 * to test-artifacts/ui/ (git-ignored).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eventually, freePort, requirePeer, tempDir, waitForHttp, type PeerProcess } from '../testing/peers.js';
import { startCli } from '../testing/cli.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/ui/', import.meta.url));

// The flags this machine's Chromium needs: no sandbox as root, and no background connections
// to Google's hosts, which the closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Series {
  metric: Record<string, string>;
}

async function api<T>(base: string, path: string): Promise<T> {
  const res = await fetch(`${base}/api/v1/${path}`, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { status: string; data: T };
  assert.equal(body.status, 'success', `${path}: ${JSON.stringify(body)}`);
  return body.data;
}

/** Replaces the first panel's expression and executes it with Ctrl+Enter. */
async function runQuery(page: Page, expr: string): Promise<void> {
  const editor = page.locator('.cm-content').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(expr);
  await page.keyboard.press('Control+Enter');
  // Closes the completion list so it does not cover the result in screenshots.
  await page.keyboard.press('Escape');
}

test('web UI in Chromium: query table and graph, errors, Prometheus links, targets, status', { timeout: 90_000 }, async (t) => {
  const chromiumPath = requirePeer('chromium', t);
  if (!chromiumPath) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = tempDir();
  let server: PeerProcess | undefined;
  let browser: Browser | undefined;
  try {
    const port = await freePort();
    // Under a path prefix, as behind a reverse proxy: asset, API and page URLs must all carry it.
    const base = `http://127.0.0.1:${port}/pyro`;
    const cfg = join(dir.path, 'pyrometer.yml');
    writeFileSync(
      cfg,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n` +
        `  - job_name: pyrometer\n    metrics_path: /pyro/metrics\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    server = startCli([
      'server',
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${join(dir.path, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=http://127.0.0.1:${port}/pyro/`,
    ]);
    await waitForHttp(`${base}/-/ready`, 30_000, server);
    // A few scrapes, so the graph has points to draw.
    await eventually(async () => {
      const r = await api<{ result: { value: [number, string] }[] }>(base, `query?query=${encodeURIComponent('count_over_time(up[1m])')}`);
      return r.result.length === 1 && Number(r.result[0]!.value[1]) >= 3 ? true : undefined;
    }, 20_000, 'three scrapes of the server itself');

    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Fail fast: each wait is for something that takes well under a second when it works.
    page.setDefaultTimeout(10_000);
    const consoleErrors: string[] = [];
    // The browser logs every failed request; only the bad query's 400 is expected.
    let expected400 = false;
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (expected400 && m.text().includes('status of 400')) return;
      consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    // Everything (assets, API calls) must come from this server under the prefix: no CDN, and
    // no URL that forgot the route prefix.
    const foreignRequests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(`${base}/`) && !r.url().startsWith('data:')) foreignRequests.push(r.url());
    });
    // Viewport screenshots: a fullPage one resizes the page under CodeMirror and, in this
    // headless Chromium, left the renderer producing no frames afterwards.
    const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

    await t.test('the root redirects to the query page', async () => {
      await page.goto(`${base}/`);
      assert.equal(new URL(page.url()).pathname, '/pyro/query');
      await page.locator('.cm-content').waitFor();
    });

    await t.test('a typed query shows its rows in the table', async () => {
      const expected = await api<{ result: Series[] }>(base, 'query?query=up');
      assert.equal(expected.result.length, 1);
      await runQuery(page, 'up');
      const rows = page.locator('[data-testid=data-table] tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), expected.result.length);
      assert.equal(await rows.first().locator('.series-name').textContent(), `up{instance="127.0.0.1:${port}", job="pyrometer"}`);
      assert.equal(await rows.first().locator('.value').textContent(), '1');
      // The URL now reproduces the page.
      assert.equal(new URL(page.url()).searchParams.get('g0.expr'), 'up');
      await shot('query-table');
    });

    await t.test('the graph draws a canvas with one series per result', async () => {
      const expr = '{__name__=~"up|scrape_samples_scraped|scrape_duration_seconds"}';
      await runQuery(page, expr);
      await page.getByRole('button', { name: 'Graph', exact: true }).click();
      // The server has only scraped for a few seconds: a short range shows lines, not dots.
      await page.locator('input[aria-label=Range]').fill('1m');
      await page.locator('input[aria-label=Range]').press('Enter');
      const graph = page.locator('[data-testid=graph]');
      await graph.locator('canvas').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid=graph]')?.getAttribute('data-series') === '3');
      assert.equal(await page.locator('[data-testid=legend] li').count(), 3);
      const box = await graph.locator('canvas').boundingBox();
      assert.ok(box && box.width > 300 && box.height > 200, `canvas size ${JSON.stringify(box)}`);
      // The chart has drawn lines in the series colours, not only axes: some pixel is far from grey.
      const coloured = await graph.locator('canvas').evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 80) n++;
        return n;
      });
      assert.ok(coloured > 50, `only ${coloured} coloured pixels on the graph`);
      await shot('query-graph');
      // Clicking a legend entry isolates that series.
      await page.locator('[data-testid=legend] li').nth(1).click();
      assert.equal(await page.locator('[data-testid=legend] li.hidden').count(), 2);
      await page.locator('[data-testid=legend] li').nth(1).click();
      assert.equal(await page.locator('[data-testid=legend] li.hidden').count(), 0);
      assert.equal(new URL(page.url()).searchParams.get('g0.tab'), 'graph');
      assert.equal(new URL(page.url()).searchParams.get('g0.range_input'), '1m');
      // Dragging across the last third of the plot (where the young server has data) selects
      // about 20s as the new range and its end as the end time.
      const plot = (await graph.locator('.u-over').boundingBox())!;
      await page.mouse.move(plot.x + (plot.width * 2) / 3, plot.y + plot.height / 2);
      await page.mouse.down();
      await page.mouse.move(plot.x + plot.width - 1, plot.y + plot.height / 2, { steps: 5 });
      await page.mouse.up();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('g0.range_input') !== '1m');
      const zoomed = new URL(page.url()).searchParams;
      const rangeS = Number(/^(\d+)s$/.exec(zoomed.get('g0.range_input') ?? '')?.[1]);
      assert.ok(rangeS >= 18 && rangeS <= 22, `range after zoom: ${zoomed.get('g0.range_input')}`);
      assert.match(zoomed.get('g0.end_input') ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      await page.waitForFunction(() => document.querySelector('[data-testid=graph]')?.getAttribute('data-series') === '3');
    });

    await t.test('a bad query shows the API error with its position marked', async () => {
      await page.getByRole('button', { name: 'Table', exact: true }).click();
      expected400 = true;
      await runQuery(page, 'sum(rate(up[1m]) by (job');
      const err = page.locator('[data-testid=query-error]');
      await err.waitFor();
      const text = (await err.textContent()) ?? '';
      assert.match(text, /parse error/);
      assert.match(text, /\d+:\d+:/);
      // The API says 1:18 (the `by`): that character is marked.
      assert.match(text, /1:18: parse error/);
      assert.equal(await page.locator('[data-testid=error-position] mark').textContent(), 'b');
      await shot('query-error');
      expected400 = false;
    });

    await t.test('a Prometheus /graph?g0.expr=up&g0.tab=0 link opens that query as a graph', async () => {
      await page.goto(`${base}/graph?g0.expr=up&g0.tab=0&g0.range_input=5m`);
      await page.locator('[data-testid=graph] canvas').waitFor();
      assert.equal(await page.locator('.cm-content').first().textContent(), 'up');
      await page.waitForFunction(() => document.querySelector('[data-testid=graph]')?.getAttribute('data-series') === '1');
      assert.equal(await page.locator('input[aria-label=Range]').inputValue(), '5m');
      const url = new URL(page.url());
      assert.equal(url.pathname, '/pyro/query');
      assert.equal(url.searchParams.get('g0.tab'), 'graph');
    });

    await t.test('the targets page lists the scrape target as UP', async () => {
      await page.goto(`${base}/targets`);
      const row = page.locator('[data-testid=target-row]');
      await row.first().waitFor();
      assert.equal(await row.count(), 1);
      assert.equal(await row.locator('[data-testid=target-health]').textContent(), 'UP');
      assert.match((await row.locator('a').textContent()) ?? '', new RegExp(`127\\.0\\.0\\.1:${port}/pyro/metrics`));
      assert.match((await page.locator('[data-testid=scrape-pool] h2').textContent()) ?? '', /pyrometer.*1 \/ 1 up/);
      await shot('targets');
    });

    await t.test('the status pages show runtime, TSDB, flags and config', async () => {
      const pages: [string, RegExp][] = [
        ['status', /storageRetention/],
        ['tsdb-status', /Number of series/],
        ['flags', /web\.external-url/],
        ['config', /job_name: pyrometer/],
      ];
      for (const [path, want] of pages) {
        await page.goto(`${base}/${path}`);
        await page.locator('.status-page table, .status-page pre').first().waitFor();
        assert.match((await page.locator('main').textContent()) ?? '', want, path);
        await shot(`status-${path}`);
      }
    });

    await t.test('the dark theme applies and is remembered', async () => {
      await page.goto(`${base}/query?g0.expr=up&g0.tab=graph`);
      await page.locator('[data-testid=graph] canvas').waitFor();
      const before = await page.evaluate(() => document.documentElement.dataset.theme);
      await page.getByRole('button', { name: 'Toggle light/dark theme' }).click();
      // The theme attribute is set in an effect, just after the render.
      await page.waitForFunction((b) => document.documentElement.dataset.theme !== b, before);
      const after = await page.evaluate(() => document.documentElement.dataset.theme);
      assert.ok(after === 'light' || after === 'dark', String(after));
      await page.reload();
      await page.locator('[data-testid=graph] canvas').waitFor();
      await page.waitForFunction((a) => document.documentElement.dataset.theme === a, after);
      await shot(`query-graph-${after}`);
    });

    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(foreignRequests, []);
  } finally {
    await browser?.close();
    await server?.stop();
    dir.remove();
  }
});
