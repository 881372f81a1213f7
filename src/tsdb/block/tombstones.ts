/**
 * Tombstones: per series ref, the time ranges deleted from a block. They are applied when the
 * block is read and removed for good when the block is rewritten (compaction, clean-tombstones).
 * File layout (tsdb-format/tombstones.md): magic, version, then uvarint ref + varint mint +
 * varint maxt per interval, then a CRC32C of those entries.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EncBuf } from '../encoding/encbuf.js';
import { DecBuf } from '../encoding/decbuf.js';
import { crc32c } from '../encoding/crc32c.js';

export const TOMBSTONES_FILENAME = 'tombstones';
const MAGIC = 0x0130ba30;
const VERSION = 1;
const HEADER = 5;

/** Deleted ranges of one series: sorted, non-overlapping, inclusive [mint, maxt] pairs, flat. */
export type Intervals = number[];

/** Adds [mint, maxt] to sorted intervals, merging overlapping and adjacent ones. */
export function addInterval(iv: Intervals, mint: number, maxt: number): Intervals {
  const out: Intervals = [];
  let placed = false;
  for (let i = 0; i < iv.length; i += 2) {
    const a = iv[i]!;
    const b = iv[i + 1]!;
    if (b + 1 < mint) out.push(a, b);
    else if (maxt + 1 < a) {
      if (!placed) {
        out.push(mint, maxt);
        placed = true;
      }
      out.push(a, b);
    } else {
      mint = Math.min(mint, a);
      maxt = Math.max(maxt, b);
    }
  }
  if (!placed) out.push(mint, maxt);
  return out;
}

/** Whether t falls in one of the intervals. */
export function isDeleted(iv: Intervals | undefined, t: number): boolean {
  if (!iv) return false;
  for (let i = 0; i < iv.length; i += 2) if (t >= iv[i]! && t <= iv[i + 1]!) return true;
  return false;
}

export class Tombstones {
  readonly bySeries = new Map<number, Intervals>();

  get(ref: number): Intervals | undefined {
    return this.bySeries.get(ref);
  }

  add(ref: number, mint: number, maxt: number): void {
    this.bySeries.set(ref, addInterval(this.bySeries.get(ref) ?? [], mint, maxt));
  }

  /** Number of intervals, as counted in meta.json's numTombstones. */
  count(): number {
    let n = 0;
    for (const iv of this.bySeries.values()) n += iv.length >> 1;
    return n;
  }

  encode(): Uint8Array {
    const b = new EncBuf(64);
    b.putBE32(MAGIC);
    b.putByte(VERSION);
    const refs = [...this.bySeries.keys()].sort((x, y) => x - y);
    for (const ref of refs) {
      const iv = this.bySeries.get(ref)!;
      for (let i = 0; i < iv.length; i += 2) {
        b.putUvarint(ref);
        b.putVarint(iv[i]!);
        b.putVarint(iv[i + 1]!);
      }
    }
    b.putCRC32C(HEADER);
    return b.copy();
  }

  static decode(bytes: Uint8Array, what = 'tombstones'): Tombstones {
    if (bytes.length < HEADER + 4) throw new Error(`${what}: file too short (${bytes.length} bytes)`);
    const d = new DecBuf(bytes);
    const magic = d.be32();
    if (magic !== MAGIC) throw new Error(`${what}: invalid magic number ${magic.toString(16)}`);
    const version = d.byte();
    if (version !== VERSION) throw new Error(`${what}: unsupported version ${version}`);
    const end = bytes.length - 4;
    if (crc32c(bytes, HEADER, end) !== new DecBuf(bytes, end).be32()) throw new Error(`${what}: checksum mismatch`);
    const t = new Tombstones();
    d.reset(bytes, HEADER, end);
    while (d.len() > 0) {
      const ref = d.uvarint();
      const mint = d.varint();
      const maxt = d.varint();
      if (d.err !== undefined) throw new Error(`${what}: ${d.err}`);
      t.add(ref, mint, maxt);
    }
    return t;
  }

  /** Reads `<blockDir>/tombstones`; a missing file means no deletions, as in Prometheus. */
  static read(blockDir: string): Tombstones {
    const path = join(blockDir, TOMBSTONES_FILENAME);
    if (!existsSync(path)) return new Tombstones();
    return Tombstones.decode(readFileSync(path), path);
  }

  /** Writes `<blockDir>/tombstones` atomically; returns its size in bytes. */
  write(blockDir: string): number {
    const path = join(blockDir, TOMBSTONES_FILENAME);
    const tmp = path + '.tmp';
    const bytes = this.encode();
    const fd = openSync(tmp, 'w');
    writeSync(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    return bytes.length;
  }
}
