/** Test support: configs, fixture loading and a recorder of what a discoverer sends. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesSdConfig } from '../../config/sd.js';
import type { TargetGroup } from '../targetgroup.js';
import type { Discoverer } from '../discoverer.js';
import { repoRoot } from '../../testing/paths.js';
import type { KubeObject } from './types.js';

// From the source tree: the compiled tests under dist/ have no copy of testdata.
export const TESTDATA = join(repoRoot, 'src', 'discovery', 'kubernetes', 'testdata');

export function fixture(name: string): KubeObject[] {
  return (JSON.parse(readFileSync(join(TESTDATA, `${name}.json`), 'utf8')) as { items: KubeObject[] }).items;
}

/** A decoded `kubernetes_sd_config` with upstream's defaults and the given fields. */
export function sdConfig(fields: Partial<KubernetesSdConfig>): KubernetesSdConfig {
  return {
    api_server: '',
    role: 'pod',
    kubeconfig_file: '',
    namespaces: { own_namespace: false, names: [] },
    selectors: [],
    attach_metadata: { node: false, namespace: false },
    basic_auth: undefined,
    authorization: undefined,
    oauth2: undefined,
    bearer_token: undefined,
    bearer_token_file: '',
    tls_config: { ca: '', ca_file: '', cert: '', cert_file: '', key: undefined, key_file: '', server_name: '', insecure_skip_verify: false, min_version: '', max_version: '' },
    proxy_url: '',
    no_proxy: '',
    proxy_from_environment: false,
    proxy_connect_header: {},
    follow_redirects: true,
    enable_http2: true,
    http_headers: {},
    ...fields,
  };
}

/** Runs a discoverer and lets a test wait for the update it expects. */
export class Recorder {
  readonly updates: TargetGroup[][] = [];
  private readonly ctl = new AbortController();
  private readonly waiters: (() => void)[] = [];
  readonly done: Promise<void>;

  constructor(d: Discoverer) {
    this.done = d.run(this.ctl.signal, (groups) => {
      this.updates.push(groups);
      for (const w of this.waiters.splice(0)) w();
    });
    this.done.catch(() => {});
  }

  /** The groups by source of the first update (from now on, or already received) that satisfies `pred`. */
  async next(pred: (bySource: Map<string, TargetGroup>) => boolean = () => true, timeoutMs = 5000, fromIndex = 0): Promise<Map<string, TargetGroup>> {
    const deadline = Date.now() + timeoutMs;
    let index = fromIndex;
    for (;;) {
      for (; index < this.updates.length; index++) {
        const bySource = new Map(this.updates[index].map((g) => [g.source, g]));
        if (pred(bySource)) return bySource;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching update within ${timeoutMs}ms; last: ${JSON.stringify(this.updates.at(-1))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    this.ctl.abort();
    await this.done.catch(() => {});
  }
}
