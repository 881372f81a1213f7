/**
 * The part the endpoints and endpointslice roles share: targets backed by a pod get the pod's
 * labels and, when a container declares the endpoint's port, that container's labels; every
 * other declared container port of such a pod becomes a target of its own.
 */
import { joinHostPort, type LabelSet } from './labels.js';
import { CONTAINER_IMAGE, CONTAINER_INIT, CONTAINER_NAME, CONTAINER_PORT_NAME, CONTAINER_PORT_NUMBER, CONTAINER_PORT_PROTOCOL, podContainers, podLabels } from './pod.js';
import type { Pod } from './types.js';

export class BackingPods {
  private readonly seen = new Map<string, { pod: Pod; ports: Set<number> }>();

  /**
   * Adds the pod's labels to `target` and, when a container declares `port`, that container's.
   * `portProtocol` overrides the container port's protocol (the endpoints role reports the
   * endpoint port's, as upstream does).
   */
  attach(target: LabelSet, pod: Pod, port: number | undefined, portProtocol?: string): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    let entry = this.seen.get(key);
    if (!entry) this.seen.set(key, (entry = { pod, ports: new Set() }));
    Object.assign(target, podLabels(pod));
    if (port === undefined) return;
    entry.ports.add(port);
    for (const { container, init } of podContainers(pod)) {
      const cport = container.ports?.find((p) => p.containerPort === port);
      if (!cport) continue;
      target[CONTAINER_NAME] = container.name;
      target[CONTAINER_IMAGE] = container.image ?? '';
      target[CONTAINER_PORT_NAME] = cport.name ?? '';
      target[CONTAINER_PORT_NUMBER] = String(port);
      target[CONTAINER_PORT_PROTOCOL] = portProtocol ?? cport.protocol ?? '';
      target[CONTAINER_INIT] = String(init);
      break;
    }
  }

  /** Targets for the container ports of the seen pods that no endpoint port covered. */
  uncoveredTargets(): LabelSet[] {
    const out: LabelSet[] = [];
    for (const { pod, ports } of this.seen.values()) {
      const ip = pod.status?.podIP;
      if (!ip) continue;
      for (const { container, init } of podContainers(pod)) {
        for (const cport of container.ports ?? []) {
          if (ports.has(cport.containerPort)) continue;
          out.push({
            __address__: joinHostPort(ip, cport.containerPort),
            [CONTAINER_NAME]: container.name,
            [CONTAINER_IMAGE]: container.image ?? '',
            [CONTAINER_PORT_NAME]: cport.name ?? '',
            [CONTAINER_PORT_NUMBER]: String(cport.containerPort),
            [CONTAINER_PORT_PROTOCOL]: cport.protocol ?? '',
            [CONTAINER_INIT]: String(init),
            ...podLabels(pod),
          });
        }
      }
    }
    return out;
  }
}
