/**
 * `file_sd_configs`: target groups from JSON or YAML files matched by globs, re-read on
 * change (fs.watch on their folders) and every `refresh_interval`. A file that fails to
 * parse keeps its last good groups and the error is logged and counted.
 */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { dirname, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { FileSdConfig } from '../../config/sd.js';
import { expandGlob } from '../../config/glob.js';
import { nopLogger, type Logger } from '../../util/log.js';
import { sleep, type Discoverer } from '../discoverer.js';
import { parseTargetGroup, type TargetGroup } from '../targetgroup.js';

export function parseTargetGroupFile(path: string, text: string): TargetGroup[] {
  const ext = extname(path);
  let data: unknown;
  if (ext === '.json') data = JSON.parse(text);
  else if (ext === '.yml' || ext === '.yaml') data = parseYaml(text);
  else throw new Error(`retrieving targets from file "${path}" failed: unknown file extension "${ext}"`);
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw new Error('the file must hold a list of target groups');
  return data.map((g, i) => parseTargetGroup(g, `${path}:${i}`, { __meta_filepath: path }));
}

export class FileDiscoverer implements Discoverer {
  /** Groups per file from the last successful read. */
  private readonly byFile = new Map<string, TargetGroup[]>();
  readErrors = 0;

  constructor(
    private readonly cfg: FileSdConfig,
    private readonly log: Logger = nopLogger,
  ) {}

  async run(signal: AbortSignal, send: (groups: TargetGroup[]) => void): Promise<void> {
    let dirty = false;
    let wake: (() => void) | null = null;
    const onChange = () => {
      dirty = true;
      wake?.();
    };
    const watchers: FSWatcher[] = [];
    for (const dir of new Set(this.cfg.files.map((f) => dirname(f)))) {
      try {
        watchers.push(watch(dir, onChange));
      } catch (e) {
        this.log.warn('Cannot watch folder; relying on the refresh interval', { dir, err: e });
      }
    }
    try {
      while (!signal.aborted) {
        dirty = false;
        send(this.refresh());
        await new Promise<void>((resolve) => {
          if (dirty) return resolve();
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            wake = null;
            resolve();
          };
          const timer = setTimeout(done, this.cfg.refresh_interval);
          signal.addEventListener('abort', done, { once: true });
          wake = done;
        });
        // Editors write in several steps; settle briefly before re-reading.
        if (dirty) await sleep(50, signal);
      }
    } finally {
      for (const w of watchers) w.close();
    }
  }

  /** Reads every matching file; returns all groups, with emptied groups for files that vanished. */
  refresh(): TargetGroup[] {
    const seen = new Set<string>();
    const out: TargetGroup[] = [];
    for (const pattern of this.cfg.files) {
      for (const path of expandGlob(pattern, '.')) {
        seen.add(path);
        try {
          const groups = parseTargetGroupFile(path, readFileSync(path, 'utf8'));
          const previous = this.byFile.get(path) ?? [];
          // Groups that shrank away still need an empty update so their targets stop.
          for (let i = groups.length; i < previous.length; i++) out.push({ source: previous[i].source, targets: [], labels: {} });
          this.byFile.set(path, groups);
        } catch (e) {
          this.readErrors++;
          this.log.error('Error reading file', { path, err: e });
        }
        out.push(...(this.byFile.get(path) ?? []));
      }
    }
    for (const [path, groups] of this.byFile) {
      if (seen.has(path)) continue;
      for (const g of groups) out.push({ source: g.source, targets: [], labels: {} });
      this.byFile.delete(path);
    }
    return out;
  }
}
