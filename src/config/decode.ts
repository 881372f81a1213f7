/**
 * Typed decoding of YAML nodes with positions. Each `Field` decodes a node (or its absence,
 * giving the default), validates, and encodes the value back for the config dump
 * (`/api/v1/status/config`), where secrets print as `<secret>`.
 */
import { isMap, isScalar, isSeq, isAlias, type Node, type LineCounter, type Pair, type Document, Scalar } from 'yaml';
import { formatDuration, parseDuration } from '../model/duration.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly reason: string,
  ) {
    super(line > 0 ? `${file}:${line}:${col}: ${reason}` : `${file}: ${reason}`);
    this.name = 'ConfigError';
  }
}

export interface DecodeContext {
  file: string;
  /** Directory relative file paths in the config are resolved against. */
  dir: string;
  lines: LineCounter;
  doc: Document;
}

/** A YAML node or undefined when the key is absent. */
export type MaybeNode = Node | null | undefined;

export function fail(ctx: DecodeContext, node: MaybeNode | Pair, reason: string): never {
  const range = node && 'range' in node ? node.range : node && 'key' in node ? (node.key as Node | null)?.range : undefined;
  if (range) {
    const { line, col } = ctx.lines.linePos(range[0]);
    throw new ConfigError(ctx.file, line, col, reason);
  }
  throw new ConfigError(ctx.file, 0, 0, reason);
}

export interface Field<T> {
  decode(node: MaybeNode, ctx: DecodeContext): T;
  encode(value: T): unknown;
}

/** A string that must never be shown; `<secret>` in dumps and JSON. */
export class Secret {
  constructor(readonly value: string) {}
  toJSON(): string {
    return '<secret>';
  }
  toString(): string {
    return '<secret>';
  }
}

function isNull(node: MaybeNode): boolean {
  return node == null || (isScalar(node) && node.value === null);
}

/** Follows YAML aliases (`*name`) to the anchored node. */
function deref(node: MaybeNode, ctx: DecodeContext): MaybeNode {
  return isAlias(node) ? (node.resolve(ctx.doc) as Node | undefined) : node;
}

/** The scalar's value as text; `!!binary` scalars are base64-decoded and must be UTF-8. */
function scalarText(n: Node, ctx: DecodeContext, what: string): string {
  const node = deref(n, ctx)!;
  if (!isScalar(node)) fail(ctx, node, `cannot unmarshal ${describe(node)} into ${what}`);
  if (node.tag === 'tag:yaml.org,2002:binary') {
    const src = String(node.source ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(src) || src.length % 4 !== 0) {
      fail(ctx, node, '!!binary value contains invalid base64 data');
    }
    const bytes = Buffer.from(src, 'base64');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      const shown = [...bytes].map((b) => (b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16)}`)).join('');
      fail(ctx, node, `"${shown}" is not a valid label value`);
    }
  }
  const v = node.value;
  return v === null ? '' : String(typeof v === 'object' ? (node.source ?? '') : (node.source ?? v));
}

function describe(node: Node): string {
  if (isMap(node)) return '!!map';
  if (isSeq(node)) return '!!seq';
  if (isScalar(node)) return `!!${typeof node.value === 'number' ? 'int' : 'str'} \`${String(node.value)}\``;
  return 'node';
}

export function str(def = ''): Field<string> {
  return {
    decode: (n, ctx) => (isNull(n) ? def : scalarText(n!, ctx, 'string')),
    encode: (v) => v,
  };
}

/**
 * Optional string: undefined when the key is absent (callers apply their defaults) and ''
 * for an explicit null, which overrides defaults as it does upstream.
 */
export function optStr(): Field<string | undefined> {
  return {
    decode: (n, ctx) => (n == null ? undefined : isNull(n) ? '' : scalarText(n, ctx, 'string')),
    encode: (v) => v,
  };
}

export function secret(): Field<Secret | undefined> {
  return {
    decode: (n, ctx) => (isNull(n) ? undefined : new Secret(scalarText(n!, ctx, 'Secret'))),
    encode: (v) => (v ? '<secret>' : undefined),
  };
}

export function bool(def: boolean): Field<boolean> {
  return {
    decode(n, ctx) {
      if (isNull(n)) return def;
      const t = scalarText(n!, ctx, 'bool');
      if (/^(true|True|TRUE|yes|on)$/.test(t)) return true;
      if (/^(false|False|FALSE|no|off)$/.test(t)) return false;
      fail(ctx, n, `cannot unmarshal !!str \`${t}\` into bool`);
    },
    encode: (v) => v,
  };
}

/** Optional boolean whose absence means "inherit" (undefined). */
export function optBool(): Field<boolean | undefined> {
  const b = bool(false);
  return { decode: (n, ctx) => (isNull(n) ? undefined : b.decode(n, ctx)), encode: (v) => v };
}

export function int(def: number, opts: { min?: number } = {}): Field<number> {
  return {
    decode(n, ctx) {
      if (isNull(n)) return def;
      const t = scalarText(n!, ctx, 'int');
      if (!/^[-+]?(0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/.test(t)) fail(ctx, n, `cannot unmarshal !!str \`${t}\` into int`);
      const v = Number(t);
      if (opts.min !== undefined && v < opts.min) fail(ctx, n, `value ${v} must be >= ${opts.min}`);
      return v;
    },
    encode: (v) => v,
  };
}

export function float(def: number): Field<number> {
  return {
    decode(n, ctx) {
      if (isNull(n)) return def;
      const t = scalarText(n!, ctx, 'float64');
      const v = Number(t);
      if (t.trim() === '' || Number.isNaN(v)) fail(ctx, n, `cannot unmarshal !!str \`${t}\` into float64`);
      return v;
    },
    encode: (v) => v,
  };
}

/** A Prometheus duration, held in milliseconds. */
export function duration(def: number): Field<number> {
  return {
    decode(n, ctx) {
      if (isNull(n)) return def;
      const t = scalarText(n!, ctx, 'duration');
      try {
        return parseDuration(t);
      } catch (e) {
        fail(ctx, n, `not a valid duration string: "${t}"`);
      }
    },
    encode: (v) => formatDuration(v),
  };
}

/** Optional duration: undefined when absent (inherits a default decided later). */
export function optDuration(): Field<number | undefined> {
  const d = duration(0);
  return { decode: (n, ctx) => (isNull(n) ? undefined : d.decode(n, ctx)), encode: (v) => (v === undefined ? undefined : formatDuration(v)) };
}

const SIZE_UNITS: Record<string, number> = {
  B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5, EB: 1024 ** 6,
};

/** Byte sizes as Prometheus writes them (`512MB`, `1GB`); a bare number has no unit and is rejected. */
export function parseSize(t: string): number {
  const m = /^(-?[0-9]+)([A-Z]*)$/.exec(t.trim());
  const unit = m ? m[2] : '';
  if (!m || !(unit in SIZE_UNITS)) throw new Error(`units: unknown unit ${unit} in ${t}`);
  return Number(m[1]) * SIZE_UNITS[unit];
}

export function formatSize(v: number): string {
  if (v === 0) return '0B';
  for (const u of ['EB', 'PB', 'TB', 'GB', 'MB', 'KB']) {
    if (v % SIZE_UNITS[u] === 0) return `${v / SIZE_UNITS[u]}${u}`;
  }
  return `${v}B`;
}

export function size(def: number): Field<number> {
  return {
    decode(n, ctx) {
      if (isNull(n)) return def;
      const t = scalarText(n!, ctx, 'size');
      try {
        return parseSize(t);
      } catch (e) {
        fail(ctx, n, (e as Error).message);
      }
    },
    encode: (v) => formatSize(v),
  };
}

export function oneOf<T extends string>(values: readonly T[], def: T | '', what: string): Field<T | ''> {
  return {
    decode(n, ctx) {
      if (isNull(n)) return def;
      const t = scalarText(n!, ctx, what);
      if (!(values as readonly string[]).includes(t)) fail(ctx, n, `unknown ${what} "${t}"`);
      return t as T;
    },
    encode: (v) => v,
  };
}

export function list<T>(item: Field<T>, opts: { nullItem?: string } = {}): Field<T[]> {
  return {
    decode(node, ctx) {
      const n = deref(node, ctx);
      if (isNull(n)) return [];
      if (!isSeq(n)) fail(ctx, n, `cannot unmarshal ${describe(n!)} into a list`);
      return n.items.map((it) => {
        if (opts.nullItem && isNull(it as Node)) fail(ctx, n, opts.nullItem);
        return item.decode(it as Node, ctx);
      });
    },
    encode: (v) => (v.length ? v.map((x) => item.encode(x)) : undefined),
  };
}

/** A mapping with arbitrary string keys. */
export function map<T>(value: Field<T>, validateKey?: (k: string) => string | undefined): Field<Record<string, T>> {
  return {
    decode(node, ctx) {
      const n = deref(node, ctx);
      const out: Record<string, T> = {};
      if (isNull(n)) return out;
      if (!isMap(n)) fail(ctx, n, `cannot unmarshal ${describe(n!)} into a map`);
      for (const pair of n.items) {
        const key = scalarText(pair.key as Node, ctx, 'string');
        const problem = validateKey?.(key);
        if (problem) fail(ctx, pair.key as Node, problem);
        if (Object.prototype.hasOwnProperty.call(out, key)) fail(ctx, pair.key as Node, `duplicate key "${key}"`);
        out[key] = value.decode(pair.value as Node, ctx);
      }
      return out;
    },
    encode(v) {
      const keys = Object.keys(v);
      if (keys.length === 0) return undefined;
      const out: Record<string, unknown> = {};
      for (const k of keys) out[k] = value.encode(v[k]);
      return out;
    },
  };
}

type FieldsOf<T> = { [K in keyof T]: Field<T[K]> };

/**
 * A mapping with known keys (unknown keys are rejected as upstream does: `field x not found
 * in type y`), optional `validate` run after decoding with the node for positions.
 */
export function struct<T extends object>(
  typeName: string,
  fields: FieldsOf<T>,
  validate?: (value: T, node: MaybeNode, ctx: DecodeContext) => void,
): Field<T> {
  const keys = Object.keys(fields) as (keyof T & string)[];
  return {
    decode(node, ctx) {
      const n = deref(node, ctx);
      if (!isNull(n) && !isMap(n)) fail(ctx, n, `cannot unmarshal ${describe(n!)} into ${typeName}`);
      const byKey = new Map<string, Node>();
      if (isMap(n)) {
        for (const pair of n.items) {
          const key = scalarText(pair.key as Node, ctx, 'string');
          if (!(key in fields)) fail(ctx, pair.key as Node, `field ${key} not found in type ${typeName}`);
          if (byKey.has(key)) fail(ctx, pair.key as Node, `field ${key} already set in type ${typeName}`);
          byKey.set(key, (pair.value as Node) ?? new Scalar(null));
        }
      }
      const out = {} as T;
      for (const k of keys) out[k] = fields[k].decode(byKey.get(k), ctx);
      validate?.(out, n, ctx);
      return out;
    },
    encode(v) {
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const e = fields[k].encode(v[k]);
        if (e !== undefined && e !== '' && !(typeof e === 'object' && e !== null && Object.keys(e).length === 0)) out[k] = e;
      }
      return out;
    },
  };
}

/** Finds the node of `key` inside a mapping node, for positioned validation errors. */
export function childNode(node: MaybeNode, key: string): MaybeNode {
  if (!isMap(node)) return node;
  for (const pair of node.items) {
    if (isScalar(pair.key) && pair.key.value === key) return (pair.value as Node) ?? (pair.key as Node);
  }
  return node;
}

/** A field whose raw YAML is kept as plain data (for mechanisms Pyrometer does not run). */
export function raw(): Field<unknown> {
  return {
    decode: (n) => (isNull(n) ? undefined : (n as Node).toJSON()),
    encode: (v) => v,
  };
}
