/**
 * Child process for the WAL crash test: logs records forever into the WAL at argv[2] and prints
 * each record's id on stdout once `log()` has returned. The parent kills it with SIGKILL.
 *
 *   node crash-child.js <walDir> <firstId> <compress 0|1>
 *
 * Record `id` is crashRecord(id): its id (be32) followed by a deterministic payload whose length
 * varies from a few bytes to several pages, so kills land inside multi-page records too.
 */
import { writeSync } from 'node:fs';
import { WAL } from './writer.js';
import { PAGE_SIZE } from './segment.js';

export function crashRecord(id: number): Uint8Array {
  const len = 4 + ((id * 2654435761) >>> 0) % (id % 7 === 0 ? 5 * PAGE_SIZE : 3000);
  const b = new Uint8Array(len);
  new DataView(b.buffer).setUint32(0, id);
  for (let i = 4; i < len; i++) b[i] = (id * 31 + i * 7 + (i >> 9)) & 0xff;
  return b;
}

function main(): void {
  const [dir, first, compress] = process.argv.slice(2);
  if (!dir || first === undefined) throw new Error('usage: crash-child <walDir> <firstId> <compress 0|1>');
  const wal = WAL.open(dir, { segmentSize: 8 * PAGE_SIZE, compress: compress === '1' });
  for (let id = Number(first); ; id++) {
    wal.log(crashRecord(id));
    writeSync(1, `${id}\n`);
  }
}

// Only run when executed directly, not when the test imports crashRecord.
if (process.argv[1] && /crash-child\.(ts|js)$/.test(process.argv[1])) main();
