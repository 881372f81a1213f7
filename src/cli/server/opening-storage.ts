/**
 * The server's storage handle while the DB opens in the background (WAL replay): the web
 * server, API and scrape manager are built before the DB exists and hold this instead.
 * Nothing reads or appends through it before the server is ready (the API and /federate
 * answer 503, scraping starts after open), so use before then is a bug and throws.
 */
import type { Appender, Querier, Storage } from '../../storage/interface.js';
import type { DB } from '../../tsdb/db.js';

export class OpeningStorage implements Storage {
  db: DB | undefined;

  private opened(): DB {
    if (!this.db) throw new Error('TSDB not ready');
    return this.db;
  }

  querier(mint: number, maxt: number): Querier {
    return this.opened().querier(mint, maxt);
  }

  appender(): Appender {
    return this.opened().appender();
  }

  startTime(): number {
    return this.opened().startTime();
  }

  async close(): Promise<void> {
    await this.db?.close();
  }
}
