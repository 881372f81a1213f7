/**
 * `http_sd_configs`: polls a URL returning a JSON list of target groups, as upstream's
 * HTTP SD. A failed poll keeps the previous groups; each failure is logged and counted.
 */
import type { HttpSdConfig } from '../../config/sd.js';
import { nopLogger, type Logger } from '../../util/log.js';
import { sleep, type Discoverer } from '../discoverer.js';
import { parseTargetGroup, type TargetGroup } from '../targetgroup.js';

export class HttpDiscoverer implements Discoverer {
  private last: TargetGroup[] = [];
  failures = 0;

  constructor(
    private readonly cfg: HttpSdConfig,
    private readonly log: Logger = nopLogger,
  ) {}

  async run(signal: AbortSignal, send: (groups: TargetGroup[]) => void): Promise<void> {
    while (!signal.aborted) {
      try {
        send(await this.poll(signal));
      } catch (e) {
        if (signal.aborted) return;
        this.failures++;
        this.log.error('Unable to refresh target groups', { url: this.cfg.url, err: e });
      }
      await sleep(this.cfg.refresh_interval, signal);
    }
  }

  async poll(signal?: AbortSignal): Promise<TargetGroup[]> {
    const headers: Record<string, string> = {
      'User-Agent': 'Pyrometer',
      Accept: 'application/json',
      'X-Prometheus-Refresh-Interval-Seconds': String(this.cfg.refresh_interval / 1000),
    };
    const auth = this.cfg.authorization;
    if (auth?.credentials) headers.Authorization = `${auth.type} ${auth.credentials.value}`;
    const basic = this.cfg.basic_auth;
    if (basic) headers.Authorization = `Basic ${Buffer.from(`${basic.username}:${basic.password?.value ?? ''}`).toString('base64')}`;
    const res = await fetch(this.cfg.url, {
      headers,
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(this.cfg.refresh_interval)]) : AbortSignal.timeout(this.cfg.refresh_interval),
      redirect: this.cfg.follow_redirects ? 'follow' : 'manual',
    });
    if (res.status !== 200) throw new Error(`server returned HTTP status ${res.status} ${res.statusText}`);
    const type = res.headers.get('content-type') ?? '';
    if (!/^application\/json\b/.test(type)) throw new Error(`unsupported content type "${type}"`);
    const data: unknown = await res.json();
    if (!Array.isArray(data)) throw new Error('the response must be a list of target groups');
    const groups = data.map((g, i) => parseTargetGroup(g, `${this.cfg.url}:${i}`, { __meta_url: this.cfg.url }));
    // Sources that disappeared are sent empty so their targets stop.
    const out = [...groups];
    for (let i = groups.length; i < this.last.length; i++) out.push({ source: this.last[i].source, targets: [], labels: {} });
    this.last = groups;
    return out;
  }
}
