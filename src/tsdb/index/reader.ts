/**
 * Reads a block's `index` file (format v2). The file is read into memory once; the symbol
 * table and the postings offset table are decoded eagerly (they serve every lookup), series
 * and postings lists are decoded on demand.
 */
import { readFileSync } from 'node:fs';
import { DecBuf } from '../encoding/decbuf.js';
import { crc32c } from '../encoding/crc32c.js';
import { Labels } from '../../model/labels.js';
import {
  INDEX_HEADER_SIZE,
  INDEX_MAGIC,
  INDEX_VERSION_2,
  SERIES_ALIGNMENT,
  TOC_SIZE,
  ALL_POSTINGS_NAME,
  ALL_POSTINGS_VALUE,
  type ChunkMeta,
} from './format.js';
import { compareUtf8 } from './strings.js';

const EMPTY_POSTINGS = new Uint32Array(0);

/** Values of one label name in sorted order with the file offset of each postings list. */
interface NameEntry {
  values: string[];
  offsets: number[];
}

export class IndexReader {
  readonly b: Buffer;
  private readonly d = new DecBuf();
  readonly symbols: string[] = [];
  private readonly names = new Map<string, NameEntry>();
  private sortedNames: string[] = [];
  private allPostingsOffset = -1;

  /** Parses `bytes` (or reads `path`); throws a descriptive error on any corruption. */
  constructor(readonly path: string, bytes?: Buffer) {
    this.b = bytes ?? readFileSync(path);
    const b = this.b;
    if (b.length < INDEX_HEADER_SIZE + TOC_SIZE) this.fail(`file too short (${b.length} bytes)`);
    const magic = b.readUInt32BE(0);
    if (magic !== INDEX_MAGIC) this.fail(`invalid magic number ${magic.toString(16)}`);
    if (b[4] !== INDEX_VERSION_2) this.fail(`unsupported index version ${b[4]}`);
    const tocAt = b.length - TOC_SIZE;
    if (crc32c(b, tocAt, tocAt + 48) !== b.readUInt32BE(tocAt + 48)) this.fail('TOC checksum mismatch');
    const d = this.d;
    d.reset(b, tocAt);
    const symbolsAt = d.be64();
    d.skip(8 * 4);
    const postingsTableAt = d.be64();
    if (symbolsAt !== 0) this.readSymbols(symbolsAt);
    if (postingsTableAt !== 0) this.readPostingsTable(postingsTableAt);
    this.jsOrderDiffers = orderDiffers(this.symbols);
  }

  /**
   * Whether series order on disk (UTF-8 bytes) may differ from JS string order (Labels.compare):
   * only when symbols hold both astral characters and characters in U+E000..U+FFFF.
   */
  readonly jsOrderDiffers: boolean;

  private fail(msg: string): never {
    throw new Error(`index ${this.path}: ${msg}`);
  }

  /** Positions `d` on the body of a `len <4b> ... CRC <4b>` section and checks its CRC; returns its end. */
  private section(at: number, what: string): number {
    const d = this.d;
    d.reset(this.b, at);
    const len = d.be32();
    const start = d.off;
    const end = start + len;
    if (d.err !== undefined || end + 4 > this.b.length) this.fail(`${what} at ${at} is truncated`);
    if (crc32c(this.b, start, end) !== this.b.readUInt32BE(end)) this.fail(`${what} at ${at}: checksum mismatch`);
    d.reset(this.b, start, end);
    return end;
  }

  private readSymbols(at: number): void {
    this.section(at, 'symbol table');
    const d = this.d;
    const n = d.be32();
    for (let i = 0; i < n; i++) this.symbols.push(d.uvarintStr());
    if (d.err !== undefined) this.fail(`symbol table: ${d.err}`);
  }

  private readPostingsTable(at: number): void {
    this.section(at, 'postings offset table');
    const d = this.d;
    const n = d.be32();
    let cur: NameEntry | undefined;
    let curName: string | undefined;
    for (let i = 0; i < n; i++) {
      if (d.byte() !== 2) this.fail('postings offset table: entry with key count other than 2');
      const name = d.uvarintStr();
      const value = d.uvarintStr();
      const off = d.uvarint();
      if (name === ALL_POSTINGS_NAME && value === ALL_POSTINGS_VALUE) {
        this.allPostingsOffset = off;
        continue;
      }
      if (name !== curName) {
        curName = name;
        cur = this.names.get(name);
        if (!cur) {
          cur = { values: [], offsets: [] };
          this.names.set(name, cur);
        }
      }
      cur!.values.push(value);
      cur!.offsets.push(off);
    }
    if (d.err !== undefined) this.fail(`postings offset table: ${d.err}`);
    this.sortedNames = [...this.names.keys()].sort(compareUtf8);
  }

  symbol(i: number): string {
    const s = this.symbols[i];
    if (s === undefined) this.fail(`symbol ${i} out of range`);
    return s;
  }

  /** Sorted label names of all series. */
  labelNames(): string[] {
    return this.sortedNames.slice();
  }

  /** Sorted values of label `name` (empty when no series has it). */
  labelValues(name: string): string[] {
    return this.names.get(name)?.values.slice() ?? [];
  }

  /** Sorted values of `name` without copying, for matchers that scan values. */
  valuesOf(name: string): readonly string[] {
    return this.names.get(name)?.values ?? [];
  }

  private readPostingsAt(off: number): Uint32Array {
    this.section(off, 'postings list');
    const d = this.d;
    const n = d.be32();
    if (d.len() !== n * 4) this.fail(`postings list at ${off}: ${n} entries do not fit its length`);
    const out = new Uint32Array(n);
    const b = this.b;
    let p = d.off;
    for (let i = 0; i < n; i++, p += 4) out[i] = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    return out;
  }

  /** Sorted series refs having label name=value. */
  postings(name: string, value: string): Uint32Array {
    const e = this.names.get(name);
    if (!e) return EMPTY_POSTINGS;
    const i = binarySearch(e.values, value);
    return i < 0 ? EMPTY_POSTINGS : this.readPostingsAt(e.offsets[i]!);
  }

  /** Every series ref in the index, sorted (label-set order). */
  allPostings(): Uint32Array {
    return this.allPostingsOffset < 0 ? EMPTY_POSTINGS : this.readPostingsAt(this.allPostingsOffset);
  }

  /**
   * Decodes series `ref` into its labels and chunk metas (`chunks` is cleared and refilled,
   * so callers can reuse one array).
   */
  series(ref: number, chunks: ChunkMeta[]): Labels {
    const at = ref * SERIES_ALIGNMENT;
    const d = this.d;
    const b = this.b;
    if (at <= 0 || at >= b.length) this.fail(`series ref ${ref} out of range`);
    d.reset(b, at);
    const len = d.uvarint();
    const start = d.off;
    const end = start + len;
    if (d.err !== undefined || end + 4 > b.length) this.fail(`series ${ref} is truncated`);
    if (crc32c(b, start, end) !== b.readUInt32BE(end)) this.fail(`series ${ref}: checksum mismatch`);
    d.reset(b, start, end);
    const nl = d.uvarint();
    const flat = new Array<string>(nl * 2);
    for (let i = 0; i < nl * 2; i++) flat[i] = this.symbol(d.uvarint32());
    const nc = d.uvarint();
    chunks.length = 0;
    let maxT = 0;
    let cref = 0;
    for (let i = 0; i < nc; i++) {
      let minT: number;
      if (i === 0) {
        minT = d.varint();
        maxT = minT + d.uvarint();
        cref = d.uvarint();
      } else {
        minT = maxT + d.uvarint();
        maxT = minT + d.uvarint();
        cref += d.varint();
      }
      chunks.push({ ref: cref, minTime: minT, maxTime: maxT });
    }
    if (d.err !== undefined) this.fail(`series ${ref}: ${d.err}`);
    return Labels.fromSortedFlat(flat);
  }
}

function orderDiffers(symbols: readonly string[]): boolean {
  let astral = false;
  let high = false;
  for (const s of symbols) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0xd800) continue;
      if (c <= 0xdfff) astral = true;
      else high = true;
    }
    if (astral && high) return true;
  }
  return false;
}

function binarySearch(sorted: readonly string[], s: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareUtf8(sorted[mid]!, s);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
