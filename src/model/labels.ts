/**
 * An immutable, sorted set of label name/value pairs.
 *
 * Stored as one flat array `[name0, value0, name1, value1, ...]` sorted by name,
 * so a label set is a single allocation and comparison walks memory linearly.
 * The hash is computed once on demand and cached.
 */
export const METRIC_NAME = '__name__';

export class Labels {
  static readonly EMPTY: Labels = new Labels([]);

  private hashCache = -1;

  /** Use the static constructors; `flat` must already be sorted by name with unique names. */
  private constructor(private readonly flat: readonly string[]) {}

  /** Builds from alternating name, value arguments (any order); later duplicates win. */
  static fromStrings(...kv: string[]): Labels {
    if (kv.length % 2 !== 0) throw new Error('Labels.fromStrings: odd number of strings');
    const b = new LabelsBuilder();
    for (let i = 0; i < kv.length; i += 2) b.set(kv[i], kv[i + 1]);
    return b.labels();
  }

  static fromRecord(obj: Readonly<Record<string, string>>): Labels {
    const b = new LabelsBuilder();
    for (const k of Object.keys(obj)) b.set(k, obj[k]);
    return b.labels();
  }

  /**
   * Wraps a flat array that the caller guarantees is sorted by name, has unique
   * names and no empty values. Used by parsers and storage on hot paths.
   */
  static fromSortedFlat(flat: readonly string[]): Labels {
    return flat.length === 0 ? Labels.EMPTY : new Labels(flat);
  }

  get length(): number {
    return this.flat.length >> 1;
  }

  isEmpty(): boolean {
    return this.flat.length === 0;
  }

  nameAt(i: number): string {
    return this.flat[i << 1];
  }

  valueAt(i: number): string {
    return this.flat[(i << 1) + 1];
  }

  /** The value of `name`, or '' when absent (as in Prometheus). */
  get(name: string): string {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) {
      if (f[i] === name) return f[i + 1];
    }
    return '';
  }

  has(name: string): boolean {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) if (f[i] === name) return true;
    return false;
  }

  metricName(): string {
    return this.get(METRIC_NAME);
  }

  forEach(fn: (name: string, value: string) => void): void {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) fn(f[i], f[i + 1]);
  }

  /** The flat sorted `[name, value, ...]` array; do not mutate. */
  toFlat(): readonly string[] {
    return this.flat;
  }

  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) out[f[i]] = f[i + 1];
    return out;
  }

  /** A 53-bit hash, stable across processes and runs. */
  hash(): number {
    if (this.hashCache < 0) this.hashCache = hashStrings(this.flat, 0, this.flat.length);
    return this.hashCache;
  }

  /** Hash of only the named labels (names must be sorted), as used by `on(...)` / `by(...)`. */
  hashForLabels(sortedNames: readonly string[]): number {
    return hashSubset(this.flat, sortedNames, true);
  }

  /** Hash of all labels except the named ones (names sorted) and `__name__`, as used by `ignoring`/`without`. */
  hashWithoutLabels(sortedNames: readonly string[]): number {
    return hashSubset(this.flat, sortedNames, false);
  }

  equals(other: Labels): boolean {
    if (this === other) return true;
    const a = this.flat;
    const b = other.flat;
    if (a.length !== b.length) return false;
    if (this.hashCache >= 0 && other.hashCache >= 0 && this.hashCache !== other.hashCache) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** Orders label sets as Prometheus does: pairwise by name, then value, then by length. */
  static compare(x: Labels, y: Labels): number {
    const a = x.flat;
    const b = y.flat;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i += 2) {
      if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
      if (a[i + 1] !== b[i + 1]) return a[i + 1] < b[i + 1] ? -1 : 1;
    }
    return a.length - b.length;
  }

  /** Prometheus's textual form: `{a="1", b="2"}` (names that are not legacy-valid are quoted). */
  toString(): string {
    const f = this.flat;
    let s = '{';
    for (let i = 0; i < f.length; i += 2) {
      if (i > 0) s += ', ';
      s += isLegacyLabelName(f[i]) ? f[i] : quoteString(f[i]);
      s += '=' + quoteString(f[i + 1]);
    }
    return s + '}';
  }
}

/** Mutable builder; `labels()` returns a sorted immutable set and drops empty values. */
export class LabelsBuilder {
  private names: string[] = [];
  private values: string[] = [];

  constructor(base?: Labels) {
    if (base) this.reset(base);
  }

  reset(base: Labels): this {
    this.names.length = 0;
    this.values.length = 0;
    base.forEach((n, v) => {
      this.names.push(n);
      this.values.push(v);
    });
    return this;
  }

  get(name: string): string {
    const i = this.names.indexOf(name);
    return i < 0 ? '' : this.values[i];
  }

  /** Sets `name`; an empty value deletes it (Prometheus treats empty and absent alike). */
  set(name: string, value: string): this {
    const i = this.names.indexOf(name);
    if (i >= 0) this.values[i] = value;
    else {
      this.names.push(name);
      this.values.push(value);
    }
    return this;
  }

  del(...names: string[]): this {
    for (const name of names) {
      const i = this.names.indexOf(name);
      if (i >= 0) {
        this.names.splice(i, 1);
        this.values.splice(i, 1);
      }
    }
    return this;
  }

  /** Keeps only the given names. */
  keep(...names: string[]): this {
    for (let i = this.names.length - 1; i >= 0; i--) {
      if (!names.includes(this.names[i])) {
        this.names.splice(i, 1);
        this.values.splice(i, 1);
      }
    }
    return this;
  }

  labels(): Labels {
    const idx: number[] = [];
    for (let i = 0; i < this.names.length; i++) if (this.values[i] !== '') idx.push(i);
    idx.sort((a, b) => (this.names[a] < this.names[b] ? -1 : this.names[a] > this.names[b] ? 1 : 0));
    const flat = new Array<string>(idx.length * 2);
    for (let j = 0; j < idx.length; j++) {
      flat[2 * j] = this.names[idx[j]];
      flat[2 * j + 1] = this.values[idx[j]];
    }
    return Labels.fromSortedFlat(flat);
  }
}

// cyrb53-style mixing over UTF-16 code units with a separator between strings,
// so ("ab","c") and ("a","bc") hash differently.
function mixString(h1: number, h2: number, s: string): [number, number] {
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ 0xff, 2654435761);
  h2 = Math.imul(h2 ^ 0xff, 1597334677);
  return [h1, h2];
}

function finish(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function hashStrings(flat: readonly string[], from: number, to: number): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = from; i < to; i++) [h1, h2] = mixString(h1, h2, flat[i]);
  return finish(h1, h2);
}

function hashSubset(flat: readonly string[], sortedNames: readonly string[], include: boolean): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  let j = 0;
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i];
    while (j < sortedNames.length && sortedNames[j] < name) j++;
    const listed = j < sortedNames.length && sortedNames[j] === name;
    const take = include ? listed : !listed && name !== METRIC_NAME;
    if (take) {
      [h1, h2] = mixString(h1, h2, name);
      [h1, h2] = mixString(h1, h2, flat[i + 1]);
    }
  }
  return finish(h1, h2);
}

const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function isLegacyLabelName(name: string): boolean {
  return LEGACY_LABEL_NAME.test(name);
}

export function isLegacyMetricName(name: string): boolean {
  return LEGACY_METRIC_NAME.test(name);
}

/** Prometheus 3 (UTF-8 validation): any non-empty valid UTF-8 string is a valid name. */
export function isValidLabelName(name: string): boolean {
  return name.length > 0 && isWellFormedUtf16(name);
}

export function isValidMetricName(name: string): boolean {
  return isValidLabelName(name);
}

export function isValidLabelValue(value: string): boolean {
  return isWellFormedUtf16(value);
}

/** A JS string is valid UTF-8 once encoded iff it holds no lone surrogates. */
function isWellFormedUtf16(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** Double-quoted string with Go-style escapes for `\`, `"` and newline. */
export function quoteString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else out += c;
  }
  return out + '"';
}
