import { KubeObject } from '../synth/manifest';
import { Labels } from './peer';
import { Port } from './port';

/** The label the API server sets on every namespace (its name): how the library's policies name a namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The Kubernetes API server's port, as the API server egress allowance opens it. */
export const API_SERVER_PORT = Port.tcp(6443);

/** A NetworkPolicy direction, as `policyTypes` names it. */
export type PolicyType = 'Ingress' | 'Egress';

/** Both directions, Ingress first. */
export const POLICY_TYPES: readonly PolicyType[] = ['Ingress', 'Egress'];

/** A label selector as written (`matchLabels` and `matchExpressions`). */
export interface LabelSelector {
  /**
   * Labels a selected object must carry, all of them.
   * @default - no label condition
   */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /**
   * Expressions a selected object must satisfy, all of them.
   * @default - no expression condition
   */
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

/** A port of a rule as Kubernetes reads it: the protocol defaulted to TCP, `endPort` kept with its number. */
export interface StoredPort {
  readonly protocol: string;
  /**
   * A number or a container port name.
   * @default - every port of the protocol
   */
  readonly port?: number | string;
  /**
   * The last port of the range `port`..`endPort` (numeric `port` only).
   * @default - the single port `port`
   */
  readonly endPort?: number;
}

/** A peer of a rule as Kubernetes reads it. */
export type StoredPeer =
  | { readonly kind: 'ipBlock'; readonly cidr: string; readonly except: readonly string[] }
  | {
    readonly kind: 'pods';
    /** The namespaces: a selector (`{}` selects every namespace), or `own` when absent (the policy's namespace). */
    readonly namespaceSelector: LabelSelector | 'own';
    /** The pods of those namespaces (absent and `{}` both select all of them). */
    readonly podSelector: LabelSelector;
  };

/** One rule: absent and empty `from`/`to` both mean every peer, absent and empty `ports` every port. */
export interface StoredRule {
  readonly peers: readonly StoredPeer[] | 'any';
  readonly ports: readonly StoredPort[] | 'any';
}

/**
 * A NetworkPolicy read once, as the API server stores and CNIs enforce it: `policyTypes` defaulted (Ingress
 * always; Egress only when there is at least one egress rule, so `egress: []` without `policyTypes` leaves egress
 * open), empty and absent lists read alike, peers and ports normalized. The rule pack, the diff and the
 * reachability model all read policies through this value, so they cannot disagree about what a policy does.
 */
export interface StoredNetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  /** The pods it applies to (absent reads as `{}`: every pod of the namespace). */
  readonly podSelector: LabelSelector;
  /** The directions it isolates, after the API server's defaulting. */
  readonly policyTypes: readonly PolicyType[];
  /**
   * The allowances of `direction`: its rules when the policy isolates that direction (an empty list is a
   * deny-all), or undefined when it does not (rules of a direction missing from `policyTypes` are ignored).
   */
  allows(direction: PolicyType): readonly StoredRule[] | undefined;
}

const stored = new WeakMap<object, StoredNetworkPolicy>();

/** Reads a NetworkPolicy object once (cached per object) into its {@link StoredNetworkPolicy}. */
export function readNetworkPolicy(policy: KubeObject): StoredNetworkPolicy {
  const cached = stored.get(policy);
  if (cached) return cached;
  const spec = (policy.spec ?? {}) as { podSelector?: LabelSelector; policyTypes?: PolicyType[]; ingress?: any[]; egress?: any[] };
  const policyTypes = defaultedPolicyTypes(spec);
  const rules = { Ingress: (spec.ingress ?? []).map((r) => readRule(r, 'from')), Egress: (spec.egress ?? []).map((r) => readRule(r, 'to')) };
  const value: StoredNetworkPolicy = {
    name: policy.metadata.name,
    namespace: policy.metadata.namespace ?? '',
    podSelector: spec.podSelector ?? {},
    policyTypes,
    allows: (direction) => (policyTypes.includes(direction) ? rules[direction] : undefined),
  };
  stored.set(policy, value);
  return value;
}

/** The policy types of a NetworkPolicy as the API server stores them (see {@link readNetworkPolicy}). */
export function policyTypesOf(policy: KubeObject): readonly PolicyType[] {
  return readNetworkPolicy(policy).policyTypes;
}

/**
 * The API server's defaulting of `policyTypes` (SetDefaults_NetworkPolicy): an absent or empty list becomes
 * `[Ingress]`, plus `Egress` when `egress` has at least one rule. `egress: []` is no rule: egress stays open.
 */
function defaultedPolicyTypes(spec: { policyTypes?: readonly string[]; egress?: readonly unknown[] }): PolicyType[] {
  if (spec.policyTypes?.length) return POLICY_TYPES.filter((t) => spec.policyTypes!.includes(t));
  return (spec.egress ?? []).length ? ['Ingress', 'Egress'] : ['Ingress'];
}

function readRule(rule: any, peers: 'from' | 'to'): StoredRule {
  const list: any[] = rule?.[peers] ?? [];
  const ports: any[] = rule?.ports ?? [];
  return {
    peers: list.length ? list.map(readPeer) : 'any',
    ports: ports.length ? ports.map(readPort) : 'any',
  };
}

function readPeer(peer: any): StoredPeer {
  if (peer?.ipBlock) return { kind: 'ipBlock', cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [] };
  return { kind: 'pods', namespaceSelector: peer?.namespaceSelector ?? 'own', podSelector: peer?.podSelector ?? {} };
}

function readPort(port: any): StoredPort {
  const p: StoredPort = { protocol: port?.protocol ?? 'TCP' };
  if (port?.port === undefined) return p;
  return port.endPort === undefined ? { ...p, port: port.port } : { ...p, port: port.port, endPort: port.endPort };
}

/** The first and last port a numeric {@link StoredPort} covers (`[1, 65535]` for every port). */
export function portRange(port: StoredPort): [number, number] {
  if (port.port === undefined) return [1, 65535];
  const first = Number(port.port);
  return [first, port.endPort ?? first];
}

/** Label selector semantics: absent or empty selects everything; matchLabels and matchExpressions all hold. */
export function selects(selector: any, labels: Labels): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return byLabels && (selector.matchExpressions ?? []).every((e: any) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && e.values.includes(labels[e.key]);
      case 'NotIn': return !has || !e.values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: throw new Error(`unknown label selector operator ${JSON.stringify(e.operator)}`);
    }
  });
}
