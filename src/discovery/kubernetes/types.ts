/** The parts of Kubernetes API objects that discovery reads, as the API serves them in JSON. */

export interface OwnerReference {
  kind: string;
  name: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  /** Server-side apply bookkeeping; often the bulk of an object, and never read. */
  managedFields?: unknown;
}

export interface KubeObject {
  metadata: ObjectMeta;
}

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Container {
  name: string;
  image?: string;
  ports?: ContainerPort[];
}

export interface ContainerStatus {
  name: string;
  containerID?: string;
}

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; containers?: Container[]; initContainers?: Container[] };
  status?: {
    phase?: string;
    podIP?: string;
    hostIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface Node extends KubeObject {
  spec?: { providerID?: string };
  status?: {
    addresses?: { type: string; address: string }[];
    // The kubelet endpoint's field really is capitalised in the API.
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

export interface Service extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    externalName?: string;
    loadBalancerIP?: string;
    ports?: { name?: string; port: number; protocol?: string }[];
  };
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

export interface Endpoints extends KubeObject {
  subsets?: {
    addresses?: EndpointAddress[];
    notReadyAddresses?: EndpointAddress[];
    ports?: { name?: string; port: number; protocol?: string }[];
  }[];
}

export interface EndpointSliceEndpoint {
  addresses: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: ObjectReference;
  deprecatedTopology?: Record<string, string>;
}

export interface EndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: EndpointSliceEndpoint[] | null;
  ports?: { name?: string; port?: number; protocol?: string; appProtocol?: string }[] | null;
}

export interface IngressRule {
  host?: string;
  http?: { paths?: { path?: string }[] };
}

export interface Ingress extends KubeObject {
  spec?: { ingressClassName?: string; tls?: { hosts?: string[] }[]; rules?: IngressRule[] };
}

export type Namespace = KubeObject;

/** One event of a watch stream. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

/** The key the API identifies an object by: `namespace/name`, or `name` for cluster-scoped kinds. */
export function objectKey(meta: { namespace?: string; name?: string }): string {
  return meta.namespace ? `${meta.namespace}/${meta.name}` : String(meta.name);
}
