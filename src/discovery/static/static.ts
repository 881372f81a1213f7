import type { StaticConfig } from '../../config/sd.js';
import type { Discoverer } from '../discoverer.js';
import type { TargetGroup } from '../targetgroup.js';

/** `static_configs`: the groups are the config itself. */
export class StaticDiscoverer implements Discoverer {
  private readonly groups: TargetGroup[];

  constructor(configs: StaticConfig[]) {
    this.groups = configs.map((c, i) => ({
      source: String(i),
      labels: { ...c.labels },
      targets: c.targets.map((t) => ({ __address__: t })),
    }));
  }

  async run(_signal: AbortSignal, send: (groups: TargetGroup[]) => void): Promise<void> {
    send(this.groups);
  }
}
