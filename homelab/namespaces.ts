import { AllowanceOptions, DefaultDenyPoliciesProps, Direction, Peer, PodSecurityLevel, PodSecurityProps, Port } from '../lib';
import { gatewayBackendEgress, gatewayIngress, openclawInternetEgress, openclawToGateway } from './workloads';

/** An allowance through `DefaultDenyPolicies.allow()`, for what the intent-named props cannot say. */
export interface AllowanceSpec extends AllowanceOptions {
  readonly direction: Direction;
  readonly peer: Peer;
  readonly ports: readonly Port[];
}

/** One namespace of the homelab: its Pod Security levels and its network allowances. */
export interface NamespaceSpec {
  readonly name: string;
  /** @default - restricted everywhere */
  readonly podSecurity?: PodSecurityProps;
  readonly network: Omit<DefaultDenyPoliciesProps, 'namespace'>;
  /** @default - none */
  readonly allow?: readonly AllowanceSpec[];
}

/** Baseline enforce with restricted audit/warn: violations are logged while upstream charts catch up. */
function baseline(reason: string): PodSecurityProps {
  return { enforce: PodSecurityLevel.BASELINE, reason };
}

/**
 * The homelab's namespaces as the security report describes them ("Pod Security Standards" and
 * "Default-Deny Network Policies").
 */
export const NAMESPACES: readonly NamespaceSpec[] = [
  {
    name: 'argocd',
    network: {
      tailnetIngress: [Port.tcp(8080)],
      apiServerEgress: true,
      internetEgress: [Port.tcp(443), Port.tcp(22)],
    },
  },
  {
    name: 'external-secrets',
    network: {
      apiServerEgress: true,
      egressTo: [{ namespace: 'infisical', ports: [Port.tcp(8080)] }],
    },
  },
  {
    name: 'monitoring',
    podSecurity: baseline('node-exporter requires host namespaces and hostPort'),
    network: {
      tailnetIngress: [Port.tcp(3000)],
      apiServerEgress: true,
      internetEgress: [Port.tcp(443)],
    },
  },
  {
    name: 'authentik',
    podSecurity: baseline('server/worker containers run as root, missing seccompProfile (upstream chart default)'),
    network: { tailnetIngress: [Port.tcp(9000), Port.tcp(9443)] },
  },
  {
    name: 'infisical',
    podSecurity: baseline('standalone + ingress-nginx run as root, missing seccompProfile (upstream chart default)'),
    network: {
      tailnetIngress: [Port.tcp(8080)],
      ingressFrom: [{ namespace: 'external-secrets', ports: [Port.tcp(8080)] }],
    },
  },
  {
    name: 'launchfast',
    network: { tailnetIngress: [Port.tcp(8080)] },
  },
  {
    name: 'openclaw',
    podSecurity: {
      enforce: PodSecurityLevel.PRIVILEGED,
      reason: 'uses hostPath volumes (workspace-src, openclaw-skills) that the restricted and baseline profiles disallow',
    },
    network: {
      tailnetIngress: [Port.tcp(18789)],
      apiServerEgress: true,
      // "Personal Task Gateway": OpenClaw reaches each proxy on its port, never the proxies' backends.
      egressTo: openclawToGateway(),
    },
    allow: [openclawInternetEgress([Port.tcp(443)])],
  },
  {
    name: 'personal-gateway',
    // The proxies must not reach each other, so there is no blanket same-namespace allowance.
    network: { allowSameNamespace: false, ingressFrom: gatewayIngress() },
    allow: gatewayBackendEgress(),
  },
];
