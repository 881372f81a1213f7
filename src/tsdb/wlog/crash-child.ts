/**
 * Child process for the WAL crash test: logs records forever into the WAL at argv[2], in
 * batches of 1 to 64 records per `log()` call (one write of up to a few MB, so a kill can land
 * inside it and leave a torn tail), and prints each record's id on stdout once `log()` has
 * returned. The parent kills it with SIGKILL.
 *
 *   node crash-child.js <walDir> <firstId> <compress 0|1>
 *
 * Record `id` is crashRecord(id): its id (be32) followed by a deterministic payload whose length
 * varies from a few bytes to several pages, so kills land inside multi-page records too.
 */
import { writeSync } from 'node:fs';
import { WAL } from './writer.js';
import { PAGE_SIZE } from './segment.js';

/** Payload bytes come from this precomputed pattern so the child spends its time writing, not generating. */
const PATTERN = new Uint8Array(6 * PAGE_SIZE + 256).map((_, i) => (i * 7 + (i >> 9)) & 0xff);

export function crashRecord(id: number): Uint8Array {
  const len = 4 + ((id * 2654435761) >>> 0) % (id % 7 === 0 ? 5 * PAGE_SIZE : 3000);
  const b = new Uint8Array(len);
  new DataView(b.buffer).setUint32(0, id);
  const from = id % 251;
  b.set(PATTERN.subarray(from, from + len - 4), 4);
  return b;
}

function main(): void {
  const [dir, first, compress] = process.argv.slice(2);
  if (!dir || first === undefined) throw new Error('usage: crash-child <walDir> <firstId> <compress 0|1>');
  const wal = WAL.open(dir, { segmentSize: 8 * PAGE_SIZE, compress: compress === '1' });
  const batch: Uint8Array[] = [];
  for (let id = Number(first); ; ) {
    batch.length = 0;
    const n = 1 + ((id * 7) % 64);
    for (let k = 0; k < n; k++) batch.push(crashRecord(id + k));
    wal.log(...batch);
    let acks = '';
    for (let k = 0; k < n; k++) acks += `${id + k}\n`;
    writeSync(1, acks);
    id += n;
  }
}

// Only run when executed directly, not when the test imports crashRecord.
if (process.argv[1] && /crash-child\.(ts|js)$/.test(process.argv[1])) main();
