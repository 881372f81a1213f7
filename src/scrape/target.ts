/**
 * From discovered target groups to scrape targets, with Prometheus's label population:
 * scrape-config defaults (`job`, `__scheme__`, `__metrics_path__`, `__scrape_interval__`,
 * `__scrape_timeout__`, `__param_*`), target relabeling, checks, `__meta_*` removal and the
 * `instance` default.
 */
import { Labels, LabelsBuilder } from '../model/labels.js';
import { formatDuration, parseDuration } from '../model/duration.js';
import { relabelBuilder } from '../relabel/relabel.js';
import type { ScrapeConfig } from '../config/scrape.js';
import { checkTargetAddress } from '../config/sd.js';
import type { TargetGroup } from '../discovery/targetgroup.js';

export class Target {
  constructor(
    /** Labels after relabeling, including `__` labels that configure the scrape. */
    readonly labels: Labels,
    /** Labels as discovered, before relabeling (shown on the service-discovery page). */
    readonly discoveredLabels: Labels,
    readonly params: Record<string, string[]>,
  ) {}

  /** The labels attached to every scraped series: those not starting with `__`. */
  seriesLabels(): Labels {
    const b = new LabelsBuilder();
    this.labels.forEach((n, v) => {
      if (!n.startsWith('__')) b.set(n, v);
    });
    return b.labels();
  }

  url(): string {
    const scheme = this.labels.get('__scheme__');
    const address = this.labels.get('__address__');
    const path = this.labels.get('__metrics_path__');
    const query = new URLSearchParams();
    const params: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(this.params)) params[k] = [...v];
    // A __param_<name> label replaces the first value of that parameter.
    this.labels.forEach((n, v) => {
      if (!n.startsWith('__param_')) return;
      const name = n.slice('__param_'.length);
      params[name] = params[name]?.length ? [v, ...params[name].slice(1)] : [v];
    });
    for (const [k, vs] of Object.entries(params)) for (const v of vs) query.append(k, v);
    const qs = query.toString();
    return `${scheme}://${address}${path}${qs ? `?${qs}` : ''}`;
  }

  intervalMs(): number {
    return parseDuration(this.labels.get('__scrape_interval__'));
  }

  timeoutMs(): number {
    return parseDuration(this.labels.get('__scrape_timeout__'));
  }

  /** Identifies a target within its pool: its final labels and URL. */
  key(): string {
    return `${this.labels.toString()}|${this.url()}`;
  }
}

export interface PopulateResult {
  /** The target, or null when relabeling dropped it or it is invalid. */
  target: Target | null;
  discoveredLabels: Labels;
  error?: string;
}

/** Applies Prometheus's target label rules to one discovered target. */
export function populateTarget(group: TargetGroup, targetLabels: Record<string, string>, cfg: ScrapeConfig): PopulateResult {
  const lb = new LabelsBuilder();
  for (const [k, v] of Object.entries(group.labels)) lb.set(k, v);
  for (const [k, v] of Object.entries(targetLabels)) lb.set(k, v);
  const defaults: [string, string][] = [
    ['job', cfg.job_name],
    ['__scrape_interval__', formatDuration(cfg.scrape_interval!)],
    ['__scrape_timeout__', formatDuration(cfg.scrape_timeout!)],
    ['__metrics_path__', cfg.metrics_path],
    ['__scheme__', cfg.scheme],
  ];
  for (const [k, v] of defaults) if (lb.get(k) === '') lb.set(k, v);
  for (const [k, vs] of Object.entries(cfg.params)) {
    const name = `__param_${k}`;
    if (vs.length > 0 && lb.get(name) === '') lb.set(name, vs[0]);
  }
  const discoveredLabels = lb.labels();
  if (!relabelBuilder(lb, cfg.relabel_configs.map((r) => r.rule))) return { target: null, discoveredLabels };

  const addr = lb.get('__address__');
  if (addr === '') return { target: null, discoveredLabels, error: 'no address' };
  const addrProblem = checkTargetAddress(addr);
  if (addrProblem) return { target: null, discoveredLabels, error: addrProblem };
  const interval = lb.get('__scrape_interval__');
  const timeout = lb.get('__scrape_timeout__');
  let intervalMs: number;
  let timeoutMs: number;
  try {
    intervalMs = parseDuration(interval);
  } catch (e) {
    return { target: null, discoveredLabels, error: `error parsing scrape interval: ${(e as Error).message}` };
  }
  if (intervalMs === 0) return { target: null, discoveredLabels, error: 'scrape interval cannot be 0' };
  try {
    timeoutMs = parseDuration(timeout);
  } catch (e) {
    return { target: null, discoveredLabels, error: `error parsing scrape timeout: ${(e as Error).message}` };
  }
  if (timeoutMs === 0) return { target: null, discoveredLabels, error: 'scrape timeout cannot be 0' };
  if (timeoutMs > intervalMs) {
    return { target: null, discoveredLabels, error: `scrape timeout cannot be greater than scrape interval ("${timeout}" > "${interval}")` };
  }
  const current = lb.labels();
  current.forEach((n) => {
    if (n.startsWith('__meta_')) lb.del(n);
  });
  if (lb.get('instance') === '') lb.set('instance', addr);
  return { target: new Target(lb.labels(), discoveredLabels, cfg.params), discoveredLabels };
}

export interface TargetSync {
  active: Target[];
  /** Targets relabeling dropped (kept up to `keep_dropped_targets`, 0 = all). */
  dropped: Labels[];
  droppedTotal: number;
  errors: string[];
}

/** All targets of a job from its groups, de-duplicated by labels and URL. */
export function targetsFromGroups(groups: TargetGroup[], cfg: ScrapeConfig): TargetSync {
  const active = new Map<string, Target>();
  const dropped: Labels[] = [];
  let droppedTotal = 0;
  const errors: string[] = [];
  for (const g of groups) {
    for (const t of g.targets) {
      const r = populateTarget(g, t, cfg);
      if (r.error) errors.push(`instance ${t.__address__}: ${r.error}`);
      if (r.target) active.set(r.target.key(), r.target);
      else {
        droppedTotal++;
        if (cfg.keep_dropped_targets === 0 || dropped.length < cfg.keep_dropped_targets) dropped.push(r.discoveredLabels);
      }
    }
  }
  return { active: [...active.values()], dropped, droppedTotal, errors };
}
