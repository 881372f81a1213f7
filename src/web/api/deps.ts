/** What the API handlers read from the running server. */
import type { Storage } from '../../storage/interface.js';
import type { Engine } from '../../promql/engine.js';
import type { ScrapeManager } from '../../scrape/manager.js';
import type { DB } from '../../tsdb/db.js';

export interface ApiDeps {
  storage: Storage;
  engine: Engine;
  scrape: ScrapeManager;
  db?: DB;
  configYaml(): string;
  flags: Record<string, string>;
  startTime: Date;
  reload(): { success: boolean; time: Date };
  version: string;
  retention: string;
  /** --web.enable-admin-api */
  adminApi: boolean;
}
