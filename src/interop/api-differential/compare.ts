/**
 * Comparison of two HTTP API replies to the same request, after removing only what must differ
 * between two servers (timings, versions, hostnames, paths, memory figures, scrape times).
 */
import { parse as parseYaml } from 'yaml';

export interface Reply {
  status: number;
  contentType: string;
  text: string;
}

/** Flags whose values name this run's files and ports, which differ between the two servers. */
const PER_PROCESS_FLAGS = new Set(['config.file', 'storage.tsdb.path', 'web.listen-address', 'web.external-url', 'storage.agent.path']);

function json(r: Reply): unknown {
  try {
    return JSON.parse(r.text);
  } catch {
    return undefined;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Replaces every leaf by its type: compares the shape of a document, not its values. */
export function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return typeof v;
}

const hasParam = (params: Array<[string, string]>, key: string): boolean => params.some(([k]) => k === key);

const byJson = (a: unknown, b: unknown): number => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The comparable part of one side's JSON reply for `path`; `other` is the other side's reply. */
export function normalize(path: string, params: Array<[string, string]>, body: unknown, other: unknown, side: 'ours' | 'theirs'): unknown {
  // Which stage a timeout hits ("in query queue", "in query execution", "in expression evaluation") is timing.
  if (isObj(body) && body.errorType === 'timeout' && typeof body.error === 'string') return { ...body, error: body.error.replace(/ in [a-z ]+$/, ' in <stage>') };
  if (!isObj(body) || body.status !== 'success') return body;
  const data = body.data;
  const out: Obj = { ...body };
  switch (path) {
    case '/api/v1/query':
    case '/api/v1/query_range': {
      if (!isObj(data)) return out;
      const d: Obj = { ...data };
      if (d.stats !== undefined) d.stats = shape(d.stats);
      const query = params.find(([k]) => k === 'query')?.[1] ?? '';
      // Vector order is unspecified unless the query sorts.
      if (Array.isArray(d.result) && d.resultType === 'vector' && !/\bsort/.test(query)) d.result = [...d.result].sort(byJson);
      out.data = d;
      return out;
    }
    case '/api/v1/targets': {
      if (!isObj(data)) return out;
      const active = Array.isArray(data.activeTargets) ? data.activeTargets : [];
      out.data = {
        ...data,
        // Scrape times, durations, error texts and the hostname-based global URL differ per server.
        activeTargets: active
          .map((t: Obj) => {
            const { lastScrape: _a, lastScrapeDuration: _b, lastError: _c, globalUrl: _d, ...rest } = t;
            return { ...rest, lastScrape: typeof _a, lastScrapeDuration: typeof _b, lastError: typeof _c, globalUrl: typeof _d };
          })
          .sort(byJson),
        droppedTargets: Array.isArray(data.droppedTargets) ? [...data.droppedTargets].sort(byJson) : data.droppedTargets,
      };
      return out;
    }
    case '/api/v1/targets/metadata':
      // With a limit, Prometheus takes targets in Go map order: only the count is comparable.
      if (hasParam(params, 'limit') && Array.isArray(data)) out.data = { entries: data.length };
      else out.data = Array.isArray(data) ? [...data].sort(byJson) : data;
      return out;
    case '/api/v1/metadata':
      // Likewise which metrics a limit keeps.
      if (hasParam(params, 'limit') && isObj(data)) out.data = { metrics: Object.keys(data).length };
      return out;
    case '/api/v1/status/config': {
      // The same input config: compare what both print as parsed YAML. Pyrometer prints 3.x's
      // fields and defaults too, so only the keys present on both sides are compared (a key
      // 2.42 prints and Pyrometer lacks still fails).
      if (!isObj(data) || typeof data.yaml !== 'string') return out;
      const doc: unknown = parseYaml(data.yaml);
      const peer: unknown = isObj(other) && isObj(other.data) && typeof other.data.yaml === 'string' ? parseYaml(other.data.yaml) : undefined;
      out.data = { yaml: side === 'ours' ? commonKeys(doc, peer) : doc };
      return out;
    }
    case '/api/v1/status/flags': {
      if (!isObj(data)) return out;
      const peer = isObj(other) && isObj(other.data) ? other.data : {};
      out.data = Object.fromEntries(
        Object.keys(data)
          .filter((k) => k in peer)
          .sort()
          .map((k) => [k, PER_PROCESS_FLAGS.has(k) ? typeof data[k] : data[k]]),
      );
      return out;
    }
    case '/api/v1/status/runtimeinfo': {
      if (!isObj(data)) return out;
      // Times, paths, hostname and Go runtime figures differ; the rest is state both must agree on.
      const keep = new Set(['reloadConfigSuccess', 'corruptionCount', 'storageRetention']);
      out.data = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, keep.has(k) ? v : typeof v]));
      return out;
    }
    case '/api/v1/status/buildinfo':
      out.data = shape(data);
      return out;
    case '/api/v1/status/tsdb': {
      if (!isObj(data)) return out;
      const head = isObj(data.headStats) ? data.headStats : {};
      out.data = {
        ...data,
        // Chunk counts and the head's time range depend on when each server scraped.
        headStats: { ...head, chunkCount: typeof head.chunkCount, minTime: typeof head.minTime, maxTime: typeof head.maxTime },
        memoryInBytesByLabelName: Array.isArray(data.memoryInBytesByLabelName) ? shape(data.memoryInBytesByLabelName) : data.memoryInBytesByLabelName,
      };
      // Go sorts these by count without a tie-break, so ties are ordered by name here, and which
      // of the tied entries at the end of the list made the cut is arbitrary: those are compared by count.
      for (const k of ['seriesCountByMetricName', 'labelValueCountByLabelName', 'seriesCountByLabelValuePair']) {
        const list = (out.data as Obj)[k];
        if (!Array.isArray(list) || list.length === 0) continue;
        const sorted = [...(list as Array<{ name: string; value: number }>)].sort((x, y) => y.value - x.value || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
        const last = sorted[sorted.length - 1].value;
        (out.data as Obj)[k] = sorted.map((e) => (e.value === last ? { name: '<tied at the cut>', value: e.value } : e));
      }
      return out;
    }
    default:
      return out;
  }
}

/** `v` without the keys `peer` lacks, recursively. */
function commonKeys(v: unknown, peer: unknown): unknown {
  if (Array.isArray(v) && Array.isArray(peer)) return v.map((x, i) => commonKeys(x, peer[i]));
  if (isObj(v) && isObj(peer)) return Object.fromEntries(Object.entries(v).filter(([k]) => k in peer).map(([k, x]) => [k, commonKeys(x, peer[k])]));
  return v;
}

/** Deletes `field` (dot path; `*` walks every array item or object value) from `v`. */
export function dropField(v: unknown, field: string): void {
  const [head, ...rest] = field.split('.');
  const targets = head === '*' ? (Array.isArray(v) ? v : isObj(v) ? Object.values(v) : []) : isObj(v) && head in v ? [v[head]] : [];
  if (rest.length === 0) {
    if (isObj(v) && head !== '*') delete v[head];
    return;
  }
  for (const t of targets) dropField(t, rest.join('.'));
}

/** The differences between two JSON values (at most `max`), as `path: ours vs theirs` lines joined by "; ", or undefined. */
export function deepDiff(a: unknown, b: unknown, at = '$', max = 5): string | undefined {
  const out: string[] = [];
  collectDiffs(a, b, at, out, max);
  return out.length ? out.join('; ') : undefined;
}

function collectDiffs(a: unknown, b: unknown, at: string, out: string[], max: number): void {
  if (out.length >= max) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) collectDiffs(a[i], b[i], `${at}[${i}]`, out, max);
    if (a.length !== b.length && out.length < max) {
      const extra = a.length > b.length ? `Pyrometer has extra ${clip(a[b.length])}` : `Prometheus has extra ${clip(b[a.length])}`;
      out.push(`${at}: ${a.length} vs ${b.length} items; ${extra}`);
    }
    return;
  }
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (out.length >= max) return;
      if (!(k in a)) out.push(`${at}.${k}: missing in Pyrometer (Prometheus: ${clip(b[k])})`);
      else if (!(k in b)) out.push(`${at}.${k}: only in Pyrometer (${clip(a[k])})`);
      else collectDiffs(a[k], b[k], `${at}.${k}`, out, max);
    }
    return;
  }
  if (a !== b) out.push(`${at}: Pyrometer ${clip(a)}, Prometheus ${clip(b)}`);
}

function clip(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** Federation output as sorted `series value` lines (timestamps differ) plus its TYPE lines. */
export function exposition(text: string): { samples: string[]; types: string[] } {
  const samples: string[] = [];
  const types: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) types.push(line);
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([^{\s]+)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/.exec(line);
    if (!m) {
      samples.push(`UNPARSABLE ${line}`);
      continue;
    }
    const labels = [...(m[2] ?? '').matchAll(/([^\s,="]+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    // Scrape durations are timings: only their presence is compared.
    samples.push(`${m[1]}{${labels.join(',')}} ${m[1] === 'scrape_duration_seconds' ? '<duration>' : m[3]}`);
  }
  return { samples: samples.sort(), types: [...new Set(types)].sort() };
}

/** Undefined when the replies agree, else a one-line description of the first difference. */
export function diffReplies(path: string, params: Array<[string, string]>, ours: Reply, theirs: Reply, ignoredFields: string[] = []): string | undefined {
  if (ours.status !== theirs.status) return `HTTP ${ours.status} vs ${theirs.status}: Pyrometer ${clip(ours.text.trim())}, Prometheus ${clip(theirs.text.trim())}`;
  // Prometheus 3 (common/expfmt) names the escaping scheme in the text format's content type; 2.42 does not.
  const [typeA, typeB] = [ours.contentType.replace(/; escaping=underscores$/, ''), theirs.contentType];
  if (typeA !== typeB) return `Content-Type: Pyrometer ${JSON.stringify(ours.contentType)}, Prometheus ${JSON.stringify(theirs.contentType)}`;
  if (path === '/federate' && ours.status === 200) {
    const [a, b] = [exposition(ours.text), exposition(theirs.text)];
    return deepDiff(a.samples, b.samples, 'samples') ?? deepDiff(a.types, b.types, 'types');
  }
  const [a, b] = [json(ours), json(theirs)];
  if (a === undefined || b === undefined) {
    if (a !== undefined || b !== undefined) return `one reply is JSON: Pyrometer ${clip(ours.text.trim())}, Prometheus ${clip(theirs.text.trim())}`;
    return ours.text.trim() === theirs.text.trim() ? undefined : `body: Pyrometer ${clip(ours.text.trim())}, Prometheus ${clip(theirs.text.trim())}`;
  }
  const [na, nb] = [normalize(path, params, a, b, 'ours'), normalize(path, params, b, a, 'theirs')];
  for (const f of ignoredFields) {
    dropField(na, f);
    dropField(nb, f);
  }
  return deepDiff(na, nb, '$', path === '/api/v1/status/config' ? 40 : 5);
}
