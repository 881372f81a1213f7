/**
 * Writes a block's `index` file (format v2). Usage: `addSymbols` once with every label name and
 * value, then `addSeries` in label-set order, then `close`. Postings are gathered in memory
 * while series are added and written at the end, as Prometheus's writer does.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { EncBuf } from '../encoding/encbuf.js';
import type { Labels } from '../../model/labels.js';
import {
  INDEX_MAGIC,
  INDEX_VERSION_2,
  SERIES_ALIGNMENT,
  ALL_POSTINGS_NAME,
  ALL_POSTINGS_VALUE,
  type ChunkMeta,
} from './format.js';
import { compareLabelsFlat, compareUtf8 } from './strings.js';

const FLUSH_AT = 1 << 20;

export class IndexWriter {
  private readonly fd: number;
  private readonly buf = new EncBuf(FLUSH_AT + 64 * 1024);
  /** File offset of buf[0]. */
  private base = 0;
  private symbols: string[] | undefined;
  private readonly symbolIndex = new Map<string, number>();
  /** Postings per label name then value, as lists of series refs in increasing order. */
  private readonly postings = new Map<string, Map<string, number[]>>();
  private readonly allSeries: number[] = [];
  private lastLabels: readonly string[] | undefined;
  private readonly toc = { symbols: 0, series: 0, labelIndices: 0, labelIndicesTable: 0, postings: 0, postingsTable: 0 };
  private readonly entry = new EncBuf(256);

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    this.buf.putBE32(INDEX_MAGIC);
    this.buf.putByte(INDEX_VERSION_2);
  }

  private get pos(): number {
    return this.base + this.buf.len;
  }

  private flush(): void {
    let off = 0;
    while (off < this.buf.len) off += writeSync(this.fd, this.buf.buf, off, this.buf.len - off);
    this.base += this.buf.len;
    this.buf.reset();
  }

  private maybeFlush(): void {
    if (this.buf.len >= FLUSH_AT) this.flush();
  }

  private pad(align: number): void {
    const rem = this.pos % align;
    if (rem !== 0) for (let i = rem; i < align; i++) this.buf.putByte(0);
  }

  /** Every string used in the series' labels; any order, duplicates allowed. */
  addSymbols(symbols: Iterable<string>): void {
    if (this.symbols) throw new Error('index: symbols already added');
    const sorted = [...new Set(symbols)].sort(compareUtf8);
    this.symbols = sorted;
    for (let i = 0; i < sorted.length; i++) this.symbolIndex.set(sorted[i]!, i);
    this.toc.symbols = this.pos;
    const b = this.buf;
    const lenAt = b.reserve(4);
    const start = b.len;
    b.putBE32(sorted.length);
    for (const s of sorted) b.putUvarintStr(s);
    b.setBE32(lenAt, b.len - start);
    b.putCRC32C(start);
    this.toc.series = this.pos;
    this.maybeFlush();
  }

  /**
   * Adds a series; label sets must come in increasing order and chunks by increasing time
   * and ref. Returns the series ref (its offset / 16).
   */
  addSeries(labels: Labels, chunks: readonly ChunkMeta[]): number {
    if (!this.symbols) throw new Error('index: addSymbols must come before addSeries');
    const flat = labels.toFlat();
    if (this.lastLabels && compareLabelsFlat(this.lastLabels, flat) >= 0) {
      throw new Error(`index: series ${labels.toString()} out of order`);
    }
    this.lastLabels = flat;
    this.pad(SERIES_ALIGNMENT);
    const ref = this.pos / SERIES_ALIGNMENT;
    const e = this.entry;
    e.reset();
    e.putUvarint(flat.length >> 1);
    for (let i = 0; i < flat.length; i += 2) {
      const name = flat[i]!;
      const value = flat[i + 1]!;
      const ni = this.symbolIndex.get(name);
      const vi = this.symbolIndex.get(value);
      if (ni === undefined || vi === undefined) throw new Error(`index: label ${name}="${value}" is not in the symbol table`);
      e.putUvarint(ni);
      e.putUvarint(vi);
      let byValue = this.postings.get(name);
      if (!byValue) this.postings.set(name, (byValue = new Map()));
      const list = byValue.get(value);
      if (list) list.push(ref);
      else byValue.set(value, [ref]);
    }
    this.allSeries.push(ref);
    e.putUvarint(chunks.length);
    let prevMaxT = 0;
    let prevRef = 0;
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!;
      if (c.maxTime < c.minTime) throw new Error(`index: chunk maxTime < minTime in ${labels.toString()}`);
      if (i === 0) {
        e.putVarint(c.minTime);
        e.putUvarint(c.maxTime - c.minTime);
        e.putUvarint(c.ref);
      } else {
        if (c.minTime <= prevMaxT || c.ref <= prevRef) throw new Error(`index: chunks of ${labels.toString()} overlap or are out of order`);
        e.putUvarint(c.minTime - prevMaxT);
        e.putUvarint(c.maxTime - c.minTime);
        e.putVarint(c.ref - prevRef);
      }
      prevMaxT = c.maxTime;
      prevRef = c.ref;
    }
    const b = this.buf;
    b.putUvarint(e.len);
    const start = b.len;
    b.putBytes(e.get());
    b.putCRC32C(start);
    this.maybeFlush();
    return ref;
  }

  /** Writes label indices, postings, the offset tables and the TOC; syncs and closes the file. */
  close(): void {
    if (!this.symbols) this.addSymbols([]);
    const b = this.buf;
    const names = [...this.postings.keys()].sort(compareUtf8);
    const sortedValues = new Map<string, string[]>();
    for (const n of names) sortedValues.set(n, [...this.postings.get(n)!.keys()].sort(compareUtf8));

    // Label indices: no longer read by Prometheus, still written by it; kept for old readers.
    this.toc.labelIndices = this.pos;
    const labelIndexOffsets: number[] = [];
    for (const n of names) {
      this.pad(4);
      labelIndexOffsets.push(this.pos);
      const values = sortedValues.get(n)!;
      const lenAt = b.reserve(4);
      const start = b.len;
      b.putBE32(1);
      b.putBE32(values.length);
      for (const v of values) b.putBE32(this.symbolIndex.get(v)!);
      b.setBE32(lenAt, b.len - start);
      b.putCRC32C(start);
      this.maybeFlush();
    }

    this.toc.postings = this.pos;
    const postingsOffsets: number[] = [];
    const writeList = (list: readonly number[]): void => {
      this.pad(4);
      postingsOffsets.push(this.pos);
      const lenAt = b.reserve(4);
      const start = b.len;
      b.putBE32(list.length);
      for (let i = 0; i < list.length; i++) b.putBE32(list[i]!);
      b.setBE32(lenAt, b.len - start);
      b.putCRC32C(start);
      this.maybeFlush();
    };
    writeList(this.allSeries);
    for (const n of names) {
      const byValue = this.postings.get(n)!;
      for (const v of sortedValues.get(n)!) writeList(byValue.get(v)!);
    }

    this.toc.labelIndicesTable = this.pos;
    {
      const lenAt = b.reserve(4);
      const start = b.len;
      b.putBE32(names.length);
      names.forEach((n, i) => {
        b.putByte(1);
        b.putUvarintStr(n);
        b.putUvarint(labelIndexOffsets[i]!);
      });
      b.setBE32(lenAt, b.len - start);
      b.putCRC32C(start);
    }

    this.toc.postingsTable = this.pos;
    {
      const lenAt = b.reserve(4);
      const start = b.len;
      b.putBE32(postingsOffsets.length);
      let k = 0;
      const entry = (n: string, v: string): void => {
        b.putByte(2);
        b.putUvarintStr(n);
        b.putUvarintStr(v);
        b.putUvarint(postingsOffsets[k++]!);
      };
      entry(ALL_POSTINGS_NAME, ALL_POSTINGS_VALUE);
      for (const n of names) for (const v of sortedValues.get(n)!) entry(n, v);
      b.setBE32(lenAt, b.len - start);
      b.putCRC32C(start);
    }

    const tocStart = b.len;
    const t = this.toc;
    for (const off of [t.symbols, t.series, t.labelIndices, t.labelIndicesTable, t.postings, t.postingsTable]) b.putBE64(off);
    b.putCRC32C(tocStart);
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}
