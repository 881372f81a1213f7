/**
 * Wires the server from flags and config and runs it until SIGTERM/SIGINT or `/-/quit`.
 * The components decide; this file only builds them and manages their lifecycle.
 *
 * Startup follows Prometheus: the web server listens first (healthy, not ready), the DB opens
 * and replays its WAL in slices meanwhile (progress on /api/v1/status/walreplay), then the
 * config is applied (scraping starts) and the server turns ready.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { Registry, collectDefaultMetrics } from '@pyrometer/client';
import { configToData, parseConfig, type Config } from '../../config/config.js';
import { DiscoveryManager } from '../../discovery/manager.js';
import { formatDuration } from '../../model/duration.js';
import { discoverersFor } from '../../discovery/providers.js';
import { Engine } from '../../promql/engine.js';
import { FileQueryLogger } from '../../promql/query_log.js';
import { ScrapeManager } from '../../scrape/manager.js';
import { DB, type WalReplayStatus } from '../../tsdb/db.js';
import { createLogger } from '../../util/log.js';
import { ApiV1 } from '../../web/api/api.js';
import { WebServer } from '../../web/web.js';
import { loadWebConfig, type WebConfig } from '../../web/webconfig.js';
import { VERSION } from '../version.js';
import { defaultConfigYaml } from './default-config.js';
import type { ServerFlags } from './flags.js';
import { selfMetricsCollector } from './self-metrics.js';
import { registerEngineMetrics } from './engine-metrics.js';
import { OpeningStorage } from './opening-storage.js';

export async function runServer(flags: ServerFlags): Promise<number> {
  const log = createLogger({ level: flags.logLevel, format: flags.logFormat });
  const startTime = new Date();
  const useEmbedded = !flags.configFileGiven && !existsSync(flags.configFile);
  const configSource = useEmbedded ? '(embedded default)' : resolve(flags.configFile);
  const readConfig = (): Config => {
    const text = useEmbedded ? defaultConfigYaml(flags.listenAddress, flags.routePrefix) : readFileSync(configSource, 'utf8');
    return parseConfig(text, configSource);
  };
  log.info('Starting Pyrometer', { version: VERSION, node: process.version });
  let config: Config;
  try {
    config = readConfig();
  } catch (e) {
    log.error('Error loading config', { file: configSource, err: e });
    return 1;
  }
  log.info('Loaded configuration file', { filename: configSource });
  let webConfig: WebConfig | undefined;
  if (flags.webConfigFile) {
    try {
      webConfig = loadWebConfig(flags.webConfigFile);
    } catch (e) {
      log.error('Error loading web config', { file: flags.webConfigFile, err: e });
      return 1;
    }
  }

  let reloadState = { success: true, time: new Date() };
  let ready = false;
  let db: DB | undefined;
  let web: WebServer | undefined;

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const engine = new Engine({
    lookbackDelta: flags.lookbackDeltaMs,
    timeout: flags.queryTimeoutMs,
    maxSamples: flags.queryMaxSamples,
    defaultEvalInterval: config.global.evaluation_interval,
    enableExperimentalFunctions: flags.features.includes('promql-experimental-functions'),
    enablePerStepStats: flags.features.includes('promql-per-step-stats'),
    maxConcurrency: flags.queryMaxConcurrency,
    log: log.with({ component: 'query engine' }),
  });
  registerEngineMetrics(registry, engine);

  const storage = new OpeningStorage();
  let walReplay: WalReplayStatus = { min: 0, max: 0, current: 0 };
  const scrape = new ScrapeManager(storage, log.with({ component: 'scrape' }));
  const discovery = new DiscoveryManager((sets) => {
    scrape.sync(sets).catch((e) => log.error('Syncing scrape targets failed', { err: e }));
  }, log.with({ component: 'discovery' }));

  const applyConfig = async (cfg: Config): Promise<void> => {
    // Reopened on every load, so a rotated log file is picked up by a reload.
    engine.setQueryLogger(cfg.global.query_log_file ? new FileQueryLogger(resolve(cfg.global.query_log_file)) : undefined);
    if (cfg.rule_files.length > 0) log.warn('Rule files are not evaluated yet by this version; they are ignored', { files: cfg.rule_files.length });
    if (cfg.remote_write.length > 0) log.warn('remote_write is not implemented yet by this version; it is ignored');
    db?.resizeExemplars(cfg.storage.exemplars.max_exemplars);
    await scrape.applyConfig(cfg.scrape_configs);
    discovery.apply(new Map(cfg.scrape_configs.map((j) => [j.job_name, discoverersFor(j, log.with({ scrape_pool: j.job_name }))])));
  };

  // A bad config keeps the running one; the failure is reported and counted.
  const reload = async (): Promise<void> => {
    let next: Config;
    try {
      next = readConfig();
    } catch (e) {
      reloadState = { success: false, time: reloadState.time };
      log.error('Error reloading config', { file: configSource, err: e });
      throw e;
    }
    config = next;
    await applyConfig(config);
    reloadState = { success: true, time: new Date() };
    log.info('Completed loading of configuration file', { filename: configSource });
  };

  // Quitting during WAL replay aborts it between slices: nothing has been written yet.
  const opening = new AbortController();
  let quit: () => void = () => {};
  const stopped = new Promise<void>((r) => (quit = r)).then(() => opening.abort(new Error('shutdown requested during startup')));

  // A reload before the first config is applied waits for it, as Prometheus's does (or fails on shutdown).
  let started: () => void = () => {};
  const startedUp = new Promise<void>((r) => (started = r));
  const reloadWhenStarted = async (): Promise<void> => {
    if (!ready) {
      await Promise.race([
        startedUp,
        stopped.then(() => {
          throw new Error('server is shutting down');
        }),
      ]);
    }
    await reload();
  };

  const api = new ApiV1({
    storage,
    engine,
    scrape,
    get db() {
      return db;
    },
    ready: () => ready,
    walReplayStatus: () => walReplay,
    configYaml: () => stringify(configToData(config)),
    flags: flags.all,
    startTime,
    reload: () => reloadState,
    version: VERSION,
    adminApi: flags.enableAdminApi,
    retention: [flags.retentionMs ? formatDuration(flags.retentionMs) : '', flags.retentionBytes ? flags.all['storage.tsdb.retention.size'] : ''].filter(Boolean).join(' or '),
  });
  registry.registerCollector(
    selfMetricsCollector({
      version: VERSION,
      db: () => db,
      scrape,
      discovery: [discovery],
      web: () => web,
      ready: () => ready,
      reload: () => reloadState,
      retention: { retentionMs: flags.retentionMs, retentionBytes: flags.retentionBytes },
    }),
  );
  web = new WebServer({
    listenAddress: flags.listenAddress,
    routePrefix: flags.routePrefix,
    enableLifecycle: flags.enableLifecycle,
    lookbackDeltaMs: flags.lookbackDeltaMs,
    externalLabels: () => config.global.external_labels,
    storage,
    api,
    registry,
    isReady: () => ready,
    reload: reloadWhenStarted,
    quit: () => quit(),
    webConfig,
    log: log.with({ component: 'web' }),
  });
  const onSignal = (sig: NodeJS.Signals) => {
    if (sig === 'SIGHUP') {
      reloadWhenStarted().catch(() => {});
      return;
    }
    log.warn('Received termination request, exiting gracefully...', { signal: sig });
    quit();
  };
  process.on('SIGHUP', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const offSignals = () => {
    process.off('SIGHUP', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };

  try {
    const port = await web.listen();
    log.info('Listening', { address: flags.listenAddress, port });
  } catch (e) {
    log.error('Error starting web server', { address: flags.listenAddress, err: e });
    offSignals();
    return 1;
  }

  try {
    db = await DB.openAsync(
      flags.storagePath,
      {
        retentionMs: flags.retentionMs,
        retentionBytes: flags.retentionBytes,
        outOfOrderTimeWindow: config.storage.tsdb.out_of_order_time_window,
        maxExemplars: flags.features.includes('exemplar-storage') ? config.storage.exemplars.max_exemplars : 0,
        logger: log.with({ component: 'tsdb' }),
        onWalReplay: (status) => (walReplay = { ...status }),
      },
      opening.signal,
    );
  } catch (e) {
    offSignals();
    await web.close();
    if (opening.signal.aborted) {
      log.info('Storage opening stopped by shutdown; nothing was written', { err: e });
      log.info('See you next time!');
      return 0;
    }
    log.error('Opening storage failed', { err: e });
    return 1;
  }
  storage.db = db;
  log.info('TSDB started');

  await applyConfig(config);
  ready = true;
  started();
  log.info('Server is ready to receive web requests.');

  await stopped;
  offSignals();
  ready = false;
  discovery.stop();
  await scrape.stop();
  await web.close();
  engine.setQueryLogger(undefined);
  await db.close();
  log.info('See you next time!');
  return 0;
}
