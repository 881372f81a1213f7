/** What the API handlers read from the running server. */
import type { Storage } from '../../storage/interface.js';
import type { Engine } from '../../promql/engine.js';
import type { ScrapeManager } from '../../scrape/manager.js';
import type { DB, WalReplayStatus } from '../../tsdb/db.js';

export interface ApiDeps {
  storage: Storage;
  engine: Engine;
  scrape: ScrapeManager;
  /** Undefined while the storage is still opening (WAL replay). */
  db?: DB;
  /**
   * False while the server starts: every endpoint but status/walreplay then answers 503
   * "Service Unavailable", as Prometheus's do before it is ready. Absent: always ready.
   */
  ready?(): boolean;
  /** Replay progress while the DB opens; absent, the open DB's final status is reported. */
  walReplayStatus?(): WalReplayStatus;
  configYaml(): string;
  flags: Record<string, string>;
  startTime: Date;
  reload(): { success: boolean; time: Date };
  version: string;
  retention: string;
  /** --web.enable-admin-api */
  adminApi: boolean;
}
