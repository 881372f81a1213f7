/**
 * Child process for the crash test: appends batches to a DB and prints the id of each batch
 * once its commit returned (acknowledged). The parent kills it with SIGKILL at random.
 * Batch i holds one sample per series s at t = i*1000, value i*100 + s.
 */
import { Labels } from '../../model/labels.js';
import { DB } from '../db.js';

const [dir, startArg, seriesArg] = process.argv.slice(2);
const start = Number(startArg);
const nSeries = Number(seriesArg);
const db = DB.open(dir, { compactIntervalMs: 3_600_000 });
const labels = Array.from({ length: nSeries }, (_, s) => Labels.fromStrings('__name__', 'crash_test', 'series', String(s)));
const refs = new Array<number>(nSeries).fill(0);

// Batches committed by the killed predecessor may never have been reported (stdout to a pipe is
// buffered), so resume after whatever the WAL holds, not only after what the parent saw.
const maxT = db.head.maxTime();
const first = Number.isFinite(maxT) ? Math.max(start, Math.floor(maxT / 1000) + 1) : start;

async function run(): Promise<void> {
  for (let i = first; ; i++) {
    const app = db.appender();
    for (let s = 0; s < nSeries; s++) refs[s] = app.append(refs[s], labels[s], i * 1000, i * 100 + s);
    await app.commit();
    process.stdout.write(`${i}\n`);
  }
}
void run();
