/**
 * The query, targets and status pages in a real browser: Debian's Chromium, driven by
 * playwright-core, against our server running under a route prefix and scraping itself every
 * second. Screenshots of every page go to test-artifacts/ui/ (git-ignored).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { eventually, requirePeer } from '../testing/peers.js';
import { api, launchBrowser, startUiServer, type UiBrowser, type UiServer } from './ui-harness.js';

interface Series {
  metric: Record<string, string>;
}

/** `2024-01-02 15:04:05` in UTC, or in Asia/Kolkata (UTC+05:30, no daylight saving) when `ist`. */
function timeText(ms: number, ist = false): string {
  return new Date(ms + (ist ? 330 * 60_000 : 0)).toISOString().slice(0, 19).replace('T', ' ');
}

/** An axis label's clock time (`HH:MM` or `HH:MM:SS`, before any date line) moved on by 5:30. */
function plusIst(label: string): string {
  const [h, m, sec] = label.split('\n')[0]!.split(':').map(Number) as [number, number, number | undefined];
  const mins = (h * 60 + m + 330) % 1440;
  const hm = `${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`;
  return sec === undefined ? hm : `${hm}:${String(sec).padStart(2, '0')}`;
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
  let srv: UiServer | undefined;
  let ui: UiBrowser | undefined;
  try {
    srv = await startUiServer(
      (port) =>
        `global:\n  scrape_interval: 1s\nscrape_configs:\n` +
        `  - job_name: pyrometer\n    metrics_path: /pyro/metrics\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    const { base, port } = srv;
    // A few scrapes, so the graph has points to draw.
    await eventually(async () => {
      const r = await api<{ result: { value: [number, string] }[] }>(base, `query?query=${encodeURIComponent('count_over_time(up[1m])')}`);
      return r.result.length === 1 && Number(r.result[0]!.value[1]) >= 3 ? true : undefined;
    }, 20_000, 'three scrapes of the server itself');

    // A zone 5:30 from UTC, so local times cannot pass for UTC ones.
    ui = await launchBrowser(chromiumPath, base, { timezoneId: 'Asia/Kolkata' });
    const { page, shot, expectedErrors } = ui;

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
      expectedErrors.add('status of 400');
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
      expectedErrors.delete('status of 400');
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

    await t.test('executed queries are kept in the history menu and completed in the editor', async () => {
      await page.goto(`${base}/query`);
      await page.locator('.cm-content').waitFor();
      // Newest first, each once, from the queries executed above (the bad one too, as Prometheus).
      await page.getByRole('button', { name: 'Query history' }).click();
      const items = page.locator('[data-testid=history-item]');
      assert.deepEqual(await items.allTextContents(), [
        'sum(rate(up[1m]) by (job',
        '{__name__=~"up|scrape_samples_scraped|scrape_duration_seconds"}',
        'up',
      ]);
      await shot('query-history');
      await items.nth(2).click();
      assert.equal(await page.locator('.cm-content').first().textContent(), 'up');
      // Typing the start of a past query offers it under "Query history"; picking it replaces the text.
      await page.locator('.cm-content').first().click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('{__name__=~"up|scr');
      const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'scrape_samples_scraped|scrape_duration_seconds' });
      await option.waitFor();
      assert.equal(await page.locator('.cm-tooltip-autocomplete completion-section').filter({ hasText: 'Query history' }).count(), 1);
      await option.click();
      assert.equal(await page.locator('.cm-content').first().textContent(), '{__name__=~"up|scrape_samples_scraped|scrape_duration_seconds"}');
      // The list is kept in the browser across reloads.
      await page.reload();
      await page.getByRole('button', { name: 'Query history' }).click();
      await items.first().waitFor();
      assert.equal(await items.count(), 3);
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('[data-testid=history-popup]').count(), 0);
    });

    await t.test('the metrics explorer lists metric names with metadata and inserts the picked one', async () => {
      const names = await api<string[]>(base, 'label/__name__/values');
      // The server learns metadata from scraping itself, as OpenMetrics: the family has no _total.
      await eventually(async () => {
        const md = await api<Record<string, unknown[]>>(base, 'metadata?metric=process_cpu_seconds');
        return md.process_cpu_seconds?.length ? true : undefined;
      }, 10_000, 'metadata of process_cpu_seconds');
      await page.goto(`${base}/query`);
      await page.locator('.cm-content').first().click();
      // Typed key by key, so closeBrackets adds the ')' and the cursor sits inside the call.
      await page.keyboard.type('rate(');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Open metrics explorer' }).click();
      const explorer = page.locator('[data-testid=metrics-explorer]');
      await explorer.locator('[data-testid=metric-item]').first().waitFor();
      assert.equal(await explorer.locator('[data-testid=metric-item]').count(), Math.min(names.length, 500));
      await explorer.getByLabel('Search metrics').fill('process_cpu_seconds');
      const item = explorer.locator('[data-testid=metric-item]');
      assert.equal(await item.count(), 1);
      // Type and help come from /api/v1/metadata, found under the family name.
      await item.locator('.metric-type').waitFor();
      assert.match((await item.textContent()) ?? '', /^process_cpu_seconds_total\s*counter\s*Total user and system CPU time spent in seconds\.$/);
      await shot('metrics-explorer');
      await item.click();
      await explorer.waitFor({ state: 'hidden' });
      // Inserted at the cursor, inside the call.
      assert.equal(await page.locator('.cm-content').first().textContent(), 'rate(process_cpu_seconds_total)');
    });

    await t.test('times are UTC by default and local with the setting: end time and its picker, axis, hover, table', async () => {
      await page.goto(`${base}/query?g0.expr=up&g0.tab=graph&g0.range_input=1m`);
      const graph = page.locator('[data-testid=graph]');
      await graph.locator('canvas').waitFor();
      assert.equal(await page.getByTestId('end-time-zone').textContent(), 'UTC');
      // The picker sets the end time, read in UTC; the URL keeps UTC.
      const endMs = Math.floor(Date.now() / 1000) * 1000;
      await page.getByLabel('End time picker').fill(timeText(endMs).replace(' ', 'T'));
      await page.waitForFunction((e) => new URL(location.href).searchParams.get('g0.end_input') === e, timeText(endMs));
      assert.equal(await page.getByLabel('End time', { exact: true }).inputValue(), timeText(endMs));
      await page.waitForFunction(() => document.querySelector('[data-testid=graph]')?.getAttribute('data-series') === '1');
      const utcTicks = ((await graph.getAttribute('data-x-ticks')) ?? '').split(',');
      // The first tick carries the date on a second line.
      assert.match(utcTicks[0]!, /^\d\d:\d\d(:\d\d)?\n\d{4}-\d\d-\d\d$/);
      assert.ok(utcTicks.length >= 2 && utcTicks.slice(1).every((l) => /^\d\d:\d\d(:\d\d)?$/.test(l)), utcTicks.join(','));
      const plot = (await graph.locator('.u-over').boundingBox())!;
      await page.mouse.move(plot.x + plot.width - 2, plot.y + plot.height / 2);
      const hoverUtc = (await page.getByTestId('hover-time').textContent()) ?? '';
      assert.match(hoverUtc, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

      // Local time (the browser is in UTC+05:30) applies to the end time, axis and hover.
      await page.getByLabel('Settings').click();
      await page.getByLabel('Use local time').check();
      await page.keyboard.press('Escape');
      assert.equal(await page.getByTestId('end-time-zone').textContent(), 'UTC+05:30');
      assert.equal(await page.getByLabel('End time', { exact: true }).inputValue(), timeText(endMs, true));
      await page.waitForFunction(
        (want) => (document.querySelector('[data-testid=graph]')?.getAttribute('data-x-ticks') ?? '').split(',').map((l) => l.split('\n')[0]).join(',') === want,
        utcTicks.map(plusIst).join(','),
      );
      // The date line is local too: the date of the first tick's local clock time.
      const [utcTime, utcDate] = utcTicks[0]!.split('\n') as [string, string];
      const firstTickMs = Date.parse(`${utcDate}T${utcTime.length === 5 ? `${utcTime}:00` : utcTime}Z`);
      const localFirst = ((await graph.getAttribute('data-x-ticks')) ?? '').split(',')[0]!;
      assert.equal(localFirst, `${plusIst(utcTime)}\n${timeText(firstTickMs, true).slice(0, 10)}`);
      await page.mouse.move(plot.x + plot.width - 2, plot.y + plot.height / 2 + 1);
      const hoverUtcMs = Date.parse(`${hoverUtc.slice(0, 19).replace(' ', 'T')}Z`);
      assert.equal(await page.getByTestId('hover-time').textContent(), `${timeText(hoverUtcMs, true)} UTC+05:30`);
      await shot('query-graph-local-time');
      // The picker now reads local time.
      await page.getByLabel('End time picker').fill(timeText(endMs - 5_000, true).replace(' ', 'T'));
      await page.waitForFunction((e) => new URL(location.href).searchParams.get('g0.end_input') === e, timeText(endMs - 5_000));

      // Table timestamps of a range vector, in local time.
      await page.getByRole('button', { name: 'Table', exact: true }).click();
      await runQuery(page, 'up[5s]');
      const evalS = (endMs - 5_000) / 1000;
      const expected = await api<{ result: { values: [number, string][] }[] }>(base, `query?query=${encodeURIComponent('up[5s]')}&time=${evalS}`);
      const values = expected.result[0]!.values;
      assert.ok(values.length >= 2);
      const cell = page.locator('[data-testid=data-table] .value').first();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=data-table] .value div').length === n, values.length);
      assert.deepEqual(
        await cell.locator('div').allTextContents(),
        values.map(([t, v]) => `${v} @ ${timeText(t * 1000, true)}${t % 1 ? `.${String(Math.round((t % 1) * 1000)).padStart(3, '0')}` : ''}`),
      );
      // The setting is remembered; switched back to UTC for the pages after this one.
      await page.reload();
      await page.getByLabel('Settings').click();
      assert.equal(await page.getByLabel('Use local time').isChecked(), true);
      await page.getByLabel('Use local time').uncheck();
      await page.keyboard.press('Escape');
      assert.equal(await page.getByTestId('end-time-zone').textContent(), 'UTC');
    });

    await t.test('the Explain tab shows the syntax tree; a node evaluates its subexpression', async () => {
      const expr = 'sum by (job) (rate(up[1m])) + on (job) group_left (instance) count by (job, instance) (up{job="pyrometer"})';
      await page.goto(`${base}/query?g0.expr=${encodeURIComponent(expr)}&g0.tab=explain`);
      const nodes = page.locator('[data-testid=explain-node] code');
      await nodes.first().waitFor();
      const texts = await nodes.allTextContents();
      assert.deepEqual(texts, [
        expr,
        'sum by (job) (rate(up[1m]))',
        'rate(up[1m])',
        'up[1m]',
        'count by (job, instance) (up{job="pyrometer"})',
        'up{job="pyrometer"}',
      ]);
      // Each node is the server's own formatting of that subexpression, so valid PromQL.
      for (const text of texts) assert.equal(await api<string>(base, `format_query?query=${encodeURIComponent(text)}`), text);
      assert.match((await page.locator('[data-testid=explain-node]').first().textContent()) ?? '', /binary operator \(\+\)$/);
      // Highlighted as in the editor.
      assert.equal(await nodes.nth(2).locator('.tok-function').textContent(), 'rate');
      // Selected from the keyboard: the selector's result, evaluated alone.
      await page.locator('[data-testid=explain-node]').nth(5).focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('explain-count').waitFor();
      assert.equal(await page.getByTestId('explain-count').textContent(), '1 series (instant vector)');
      assert.equal(await page.locator('.explain-series li').textContent(), `up{instance="127.0.0.1:${port}", job="pyrometer"}`);
      await shot('query-explain');
      await page.locator('[data-testid=explain-node]').nth(3).click();
      await page.waitForFunction(() => document.querySelector('[data-testid=explain-count]')?.textContent === '1 series (range vector)');
      assert.equal(await page.getByTestId('explain-result').count(), 1);
      assert.equal(new URL(page.url()).searchParams.get('g0.tab'), 'explain');
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

    assert.deepEqual(ui.consoleErrors, []);
    assert.deepEqual(ui.foreignRequests, []);
  } finally {
    await ui?.browser.close();
    await srv?.stop();
  }
});
