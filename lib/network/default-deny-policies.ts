import { Construct } from 'constructs';
import {
  IntOrString,
  KubeNetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicySpec,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { fail } from '../errors';
import { HardenedNamespace, namespaceName } from '../hardened-namespace';
import { validateDnsLabel, validateLabels } from '../validate';
import { cidrContains } from './cidr';
import { Labels, Peer, TAILNET_CIDR, labelsKey, peerKey, requireCidr, validatePeer } from './peer';
import { API_SERVER_PORT, NAMESPACE_NAME_LABEL } from './policy';
import { Port, validatePort } from './port';

/** The direction of a NetworkPolicy rule, named as in `policyTypes`. */
export enum Direction {
  INGRESS = 'Ingress',
  EGRESS = 'Egress',
}

/** Options shared by every allowance. */
export interface AllowanceOptions {
  /**
   * The NetworkPolicy name. Names are a contract with ArgoCD, so they are explicit and stable: a derived
   * name that is not a DNS label (a peer namespace of more than ~44 characters) fails synth, asking for this.
   * @default - derived from the intent, e.g. `allow-tailnet-ingress`, `allow-egress-to-infisical`
   */
  readonly name?: string;
  /**
   * Which pods of this namespace the allowance applies to.
   * @default - all pods of the namespace
   */
  readonly podSelector?: Labels;
}

/** One allowance as rendered: the data the report, the rule pack and the reachability check read. */
export interface Allowance {
  readonly name: string;
  readonly direction: Direction;
  readonly peer: Peer;
  readonly ports: readonly Port[];
  readonly podSelector: Labels;
}

/** An ingress or egress allowance between this namespace and another, on ports. */
export interface NamespaceAllowance extends AllowanceOptions {
  /** The other namespace. */
  readonly namespace: string;
  /** Pods of the other namespace. @default - all of them */
  readonly peerPodSelector?: Labels;
  /** The ports (on the destination). */
  readonly ports: readonly Port[];
}

/** Names of the three baseline policies, to keep an existing cluster's names (names are a contract with ArgoCD). */
export interface BaselinePolicyNames {
  /** @default 'default-deny-all' */
  readonly defaultDenyAll?: string;
  /** @default 'allow-same-namespace' */
  readonly allowSameNamespace?: string;
  /** @default 'allow-dns' */
  readonly allowDns?: string;
}

/** Props of {@link DefaultDenyPolicies}. Every list prop is sugar over the matching `allow*` method. */
export interface DefaultDenyPoliciesProps {
  /** The namespace the policies protect. */
  readonly namespace: HardenedNamespace | string;
  /**
   * Other names for the three baseline policies (when adopting a cluster whose policies have names already).
   * @default - `default-deny-all`, `allow-same-namespace`, `allow-dns`
   */
  readonly names?: BaselinePolicyNames;
  /**
   * Emit `allow-same-namespace` (all pods of the namespace may talk to each other both ways).
   * Turn it off where workloads in one namespace must stay apart (e.g. the personal-gateway proxies).
   * @default true
   */
  readonly allowSameNamespace?: boolean;
  /**
   * The namespace that serves cluster DNS (UDP and TCP 53).
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
  /**
   * Address ranges that ingress from an address block may come from. An ingress allowance from any
   * other range (above all 0.0.0.0/0) fails synth.
   * @default [TAILNET_CIDR]
   */
  readonly allowedIngressCidrs?: readonly string[];
  /**
   * Ports to open to the tailnet (ingress from {@link TAILNET_CIDR} only).
   * @default - none
   */
  readonly tailnetIngress?: readonly Port[];
  /**
   * Allow egress to the Kubernetes API server on 6443. `true` uses `Peer.namespace('kube-system')`, as on
   * clusters whose API server runs as a kube-system pod; on most CNIs the API server is not a pod, so
   * pass `Peer.cidr('<endpoint>/32')` there (see `kubectl get endpoints kubernetes`).
   * @default - no API server egress
   */
  readonly apiServerEgress?: boolean | Peer;
  /**
   * Ports to open towards the public internet ({@link Peer.internet}).
   * @default - none
   */
  readonly internetEgress?: readonly Port[];
  /**
   * Ingress from other namespaces.
   * @default - none
   */
  readonly ingressFrom?: readonly NamespaceAllowance[];
  /**
   * Egress to other namespaces.
   * @default - none
   */
  readonly egressTo?: readonly NamespaceAllowance[];
}

/**
 * The network baseline of one namespace: `default-deny-all` (Ingress and Egress), `allow-same-namespace`,
 * `allow-dns`, then one NetworkPolicy per typed allowance. Every helper goes through {@link allow}, so
 * every allowance gets the same validation.
 */
export class DefaultDenyPolicies extends Construct {
  /** The protected namespace. */
  public readonly namespace: string;
  private readonly allowedIngress: ReturnType<typeof requireCidr>[];
  private readonly byName = new Map<string, Allowance>();
  private readonly baselineNames: readonly string[];

  constructor(scope: Construct, id: string, props: DefaultDenyPoliciesProps) {
    super(scope, id);
    this.namespace = namespaceName(this, props.namespace);
    this.allowedIngress = (props.allowedIngressCidrs ?? [TAILNET_CIDR]).map((c) => requireCidr(this, c));

    const names = {
      defaultDenyAll: validateDnsLabel(this, 'NetworkPolicy name', props.names?.defaultDenyAll ?? 'default-deny-all'),
      allowSameNamespace: validateDnsLabel(this, 'NetworkPolicy name', props.names?.allowSameNamespace ?? 'allow-same-namespace'),
      allowDns: validateDnsLabel(this, 'NetworkPolicy name', props.names?.allowDns ?? 'allow-dns'),
    };
    this.baselineNames = Object.values(names);
    if (new Set(this.baselineNames).size !== 3) {
      fail(this, { problem: 'two baseline policies share a name', value: names, allowed: 'three distinct names', fix: 'give each of `names` its own value' });
    }
    this.policy(names.defaultDenyAll, {}, { policyTypes: ['Ingress', 'Egress'] });
    if (props.allowSameNamespace ?? true) {
      const sameNamespace = [{ podSelector: {} }];
      this.policy(names.allowSameNamespace, {}, {
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: sameNamespace }],
        egress: [{ to: sameNamespace }],
      });
    }
    const dns = validateDnsLabel(this, 'DNS namespace', props.dnsNamespace ?? 'kube-system');
    this.policy(names.allowDns, {}, {
      policyTypes: ['Egress'],
      egress: [{ to: [renderPeer(Peer.namespace(dns))], ports: [Port.udp(53), Port.tcp(53)].map(renderPort) }],
    });

    if (props.tailnetIngress?.length) this.allowTailnetIngress(props.tailnetIngress);
    if (props.apiServerEgress) {
      this.allowApiServerEgress(props.apiServerEgress === true ? undefined : props.apiServerEgress);
    }
    if (props.internetEgress?.length) this.allowInternetEgress(props.internetEgress);
    for (const a of props.ingressFrom ?? []) this.allowIngressFromNamespace(a);
    for (const a of props.egressTo ?? []) this.allowEgressToNamespace(a);
  }

  /** Every allowance, in the order added. */
  public get allowances(): readonly Allowance[] {
    return [...this.byName.values()];
  }

  /** Ingress from the tailnet ({@link TAILNET_CIDR}) on `ports`. */
  public allowTailnetIngress(ports: readonly Port[], options: AllowanceOptions = {}): Allowance {
    return this.add(Direction.INGRESS, Peer.cidr(TAILNET_CIDR), ports, options, 'allow-tailnet-ingress');
  }

  /** Egress to the API server on 6443 (see {@link DefaultDenyPoliciesProps.apiServerEgress} for the peer). */
  public allowApiServerEgress(peer: Peer = Peer.namespace('kube-system'), options: AllowanceOptions = {}): Allowance {
    return this.add(Direction.EGRESS, peer, [API_SERVER_PORT], options, 'allow-apiserver-egress');
  }

  /** Egress to the public internet on `ports`. */
  public allowInternetEgress(ports: readonly Port[], options: AllowanceOptions = {}): Allowance {
    return this.add(Direction.EGRESS, Peer.internet(), ports, options, 'allow-internet-egress');
  }

  /** Ingress from (some pods of) another namespace on `ports`. */
  public allowIngressFromNamespace(a: NamespaceAllowance): Allowance {
    return this.add(Direction.INGRESS, Peer.namespace(a.namespace, a.peerPodSelector), a.ports, a, `allow-ingress-from-${a.namespace}`);
  }

  /** Egress to (some pods of) another namespace on `ports`. */
  public allowEgressToNamespace(a: NamespaceAllowance): Allowance {
    return this.add(Direction.EGRESS, Peer.namespace(a.namespace, a.peerPodSelector), a.ports, a, `allow-egress-to-${a.namespace}`);
  }

  /**
   * The primitive under every helper: one NetworkPolicy that allows `direction` traffic between the
   * selected pods of this namespace and `peer` on `ports`. Refuses an empty port list (that would allow
   * every port), ingress from an address block outside `allowedIngressCidrs`, and duplicates.
   */
  public allow(direction: Direction, peer: Peer, ports: readonly Port[], options: AllowanceOptions = {}): Allowance {
    const derived = `allow-${direction.toLowerCase()}-${peerKey(peer).replace(/[^a-z0-9]+/g, '-').replace(/-+$/, '')}`;
    return this.add(direction, peer, ports, options, derived);
  }

  /** {@link allow} with the name each helper derives from its intent, used unless `options.name` is given. */
  private add(direction: Direction, peer: Peer, ports: readonly Port[], options: AllowanceOptions, derivedName: string): Allowance {
    validatePeer(this, peer);
    if (!ports.length) {
      fail(this, {
        problem: `${direction.toLowerCase()} allowance without ports`,
        value: peerKey(peer),
        allowed: 'one or more ports: an empty list would allow every port',
        fix: 'pass the ports the service really uses, e.g. [Port.tcp(443)]',
      });
    }
    ports.forEach((p) => validatePort(this, p));
    if (direction === Direction.INGRESS && peer.kind === 'cidr') this.checkIngressSource(peer.cidr);
    const podSelector = options.podSelector ?? {};
    validateLabels(this, 'pod selector label', podSelector);
    const name = options.name !== undefined
      ? validateDnsLabel(this, 'NetworkPolicy name', options.name)
      : validateDnsLabel(this, 'NetworkPolicy name derived from the allowance', derivedName,
        'pass an explicit `name` in the allowance options: names are a contract with ArgoCD, so the library never shortens or hashes one');
    const duplicate = this.allowances.find(
      (a) =>
        a.direction === direction &&
        peerKey(a.peer) === peerKey(peer) &&
        labelsKey(a.podSelector) === labelsKey(podSelector) &&
        a.ports.some((p) => ports.some((q) => p.toString() === q.toString())),
    );
    if (duplicate) {
      fail(this, {
        problem: 'duplicate allowance',
        value: `${direction} ${peerKey(peer)} ${ports.join(',')}`,
        allowed: 'each direction, peer, pod selector and port at most once',
        fix: `remove it: NetworkPolicy "${duplicate.name}" already allows it`,
      });
    }
    if (this.byName.has(name) || this.baselineNames.includes(name)) {
      fail(this, {
        problem: 'NetworkPolicy name already used in this namespace',
        value: name,
        allowed: 'a name not used by another policy of the namespace',
        fix: 'pass a distinct `name` in the allowance options',
      });
    }
    const allowance: Allowance = { name, direction, peer, ports: [...ports], podSelector };
    this.byName.set(name, allowance);
    const rule = { ports: ports.map(renderPort) };
    this.policy(name, podSelector, direction === Direction.INGRESS
      ? { policyTypes: ['Ingress'], ingress: [{ ...rule, from: [renderPeer(peer)] }] }
      : { policyTypes: ['Egress'], egress: [{ ...rule, to: [renderPeer(peer)] }] });
    return allowance;
  }

  private checkIngressSource(cidr: string): void {
    const parsed = requireCidr(this, cidr);
    if (!this.allowedIngress.some((allowed) => cidrContains(allowed, parsed))) {
      fail(this, {
        problem: 'ingress from an address block outside the allowed source ranges',
        value: cidr,
        allowed: `address blocks inside ${this.allowedIngress.length ? 'allowedIngressCidrs' : 'no range'} (default: the tailnet ${TAILNET_CIDR})`,
        fix: 'allow ingress from the tailnet with allowTailnetIngress(), or from a namespace with allowIngressFromNamespace()',
      });
    }
  }

  private policy(name: string, podSelector: Labels, spec: Omit<NetworkPolicySpec, 'podSelector'>): KubeNetworkPolicy {
    return new KubeNetworkPolicy(this, name, {
      metadata: { name, namespace: this.namespace },
      spec: { podSelector: Object.keys(podSelector).length ? { matchLabels: { ...podSelector } } : {}, ...spec },
    });
  }
}

function renderPort(port: Port): NetworkPolicyPort {
  return { protocol: port.protocol, port: IntOrString.fromNumber(port.port) };
}

function renderPeer(peer: Peer): NetworkPolicyPeer {
  if (peer.kind === 'cidr') {
    return { ipBlock: { cidr: peer.cidr, except: peer.except.length ? [...peer.except] : undefined } };
  }
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } },
    podSelector: Object.keys(peer.podSelector).length ? { matchLabels: { ...peer.podSelector } } : undefined,
  };
}
