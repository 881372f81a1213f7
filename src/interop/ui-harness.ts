/**
 * What the browser tests of the web UI share: our server started under a route prefix with a
 * given config, and Debian's Chromium (playwright-core) watching for console errors and for
 * requests that leave the prefix. Screenshots go to test-artifacts/ui/ (git-ignored).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, tempDir, waitForHttp, type PeerProcess } from '../testing/peers.js';
import { startCli } from '../testing/cli.js';

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/ui/', import.meta.url));

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

export interface UiServer {
  port: number;
  /** The UI's base URL under the `/pyro` prefix, without a trailing slash. */
  base: string;
  server: PeerProcess;
  stop(): Promise<void>;
}

/**
 * Starts our server under `/pyro` (as behind a reverse proxy: every URL must carry the prefix).
 * `config` gets the chosen port for `PORT`; `flags` are added to the command line.
 */
export async function startUiServer(config: (port: number) => string, flags: string[] = []): Promise<UiServer> {
  const dir = tempDir();
  const port = await freePort();
  const cfg = join(dir.path, 'pyrometer.yml');
  writeFileSync(cfg, config(port));
  const server = startCli([
    'server',
    `--config.file=${cfg}`,
    `--storage.tsdb.path=${join(dir.path, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.external-url=http://127.0.0.1:${port}/pyro/`,
    ...flags,
  ]);
  const stop = async () => {
    await server.stop();
    dir.remove();
  };
  const base = `http://127.0.0.1:${port}/pyro`;
  try {
    await waitForHttp(`${base}/-/ready`, 30_000, server);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, base, server, stop };
}

/** GETs `/api/v1/<path>` from the server and returns its data, asserting success. */
export async function api<T>(base: string, path: string): Promise<T> {
  const res = await fetch(`${base}/api/v1/${path}`, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { status: string; data: T };
  assert.equal(body.status, 'success', `${path}: ${JSON.stringify(body)}`);
  return body.data;
}

export interface UiBrowser {
  browser: Browser;
  page: Page;
  /** Console errors and uncaught exceptions, with the page URL. */
  consoleErrors: string[];
  /** Requests for anything not under the server's prefix. */
  foreignRequests: string[];
  /** Console errors containing one of these are expected (e.g. a deliberate 400). */
  expectedErrors: Set<string>;
  shot(name: string): Promise<void>;
}

/** `timezoneId` sets the browser's time zone (an IANA name), e.g. to tell local time from UTC. */
export async function launchBrowser(chromiumPath: string, base: string, opts: { timezoneId?: string } = {}): Promise<UiBrowser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: opts.timezoneId });
  // Fail fast: each wait is for something that takes well under a second when it works.
  page.setDefaultTimeout(10_000);
  const consoleErrors: string[] = [];
  const expectedErrors = new Set<string>();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if ([...expectedErrors].some((s) => m.text().includes(s))) return;
    consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  const foreignRequests: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(`${base}/`) && !r.url().startsWith('data:')) foreignRequests.push(r.url());
  });
  // Viewport screenshots: a fullPage one resizes the page under CodeMirror and, in this
  // headless Chromium, left the renderer producing no frames afterwards.
  const shot = async (name: string) => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  };
  return { browser, page, consoleErrors, foreignRequests, expectedErrors, shot };
}
