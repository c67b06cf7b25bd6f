import { ApiObject, Chart } from 'cdk8s';
import { BaselineError, Suppressions, SuppressionProps } from '../lib';

/** One accepted risk: a rule finding on one object of the homelab, with the reason it is accepted. */
export interface HomelabSuppression extends SuppressionProps {
  /** The chart (namespace) that builds the object; skipped when that namespace is not built. */
  readonly chart: string;
  /** The object's kind and `metadata.name`. */
  readonly kind: string;
  readonly name: string;
}

/**
 * The homelab's accepted risks (the seed's Risk Summary): the rule findings the operator chose to live
 * with, each with its reason and the seed's severity (the token's: that of the RBAC it carries). They appear as `baseline.homelab.dev/suppress.<RULE-ID>` annotations and in
 * the report's accepted risks; every WARN not listed here is on the hardening roadmap.
 */
export const HOMELAB_SUPPRESSIONS: readonly HomelabSuppression[] = [
  {
    chart: 'openclaw',
    kind: 'Role',
    name: 'openclaw-role',
    id: 'HB-RBAC-005',
    finding: '[resource:secrets]',
    severity: 'medium',
    reason:
      'The agent reads its own API keys (openclaw-secret) through kubectl; only the OpenClaw pod runs in ' +
      'the namespace and no other namespace is reachable. Revisit if another workload moves into openclaw.',
  },
  {
    chart: 'openclaw',
    kind: 'Role',
    name: 'openclaw-role',
    id: 'HB-RBAC-006',
    finding: '[resource:pods/exec]',
    severity: 'medium',
    reason:
      'Exec is self-referential, the OpenClaw pod is the only pod in the namespace; exec anywhere else ' +
      'stays forbidden (HB-RBAC-007).',
  },
  ...['deployments', 'statefulsets'].map((resource) => ({
    chart: 'openclaw',
    kind: 'ClusterRole',
    name: 'openclaw-homelab-admin',
    id: 'HB-RBAC-008',
    finding: `[resource:${resource}][verb:patch]`,
    severity: 'medium' as const,
    reason:
      'Patch is for rollout restart and undo across namespaces; creating and deleting workloads stays ' +
      'GitOps-only, ArgoCD self-heal reverts template drift, scaling to 0 needs user confirmation.',
  })),
  {
    chart: 'openclaw',
    kind: 'ClusterRole',
    name: 'openclaw-homelab-admin',
    id: 'HB-RBAC-014',
    finding: '[resource:applications][verb:patch]',
    severity: 'low',
    reason:
      'Patch is for the hard-refresh annotation; Applications cannot be created or deleted, ArgoCD ' +
      'self-heal reverts any change to their spec from git, and each AppProject limits repos, destinations and kinds.',
  },
  {
    chart: 'openclaw',
    kind: 'Service',
    name: 'openclaw',
    id: 'HB-SVC-003',
    finding: '[nodePort:TCP/30789]',
    severity: 'low',
    reason:
      'The OpenClaw gateway UI is published on the node for Tailscale Serve (seed: Network Exposure); the node is ' +
      'reachable only over the tailnet, and no other node port is open.',
  },
  {
    chart: 'openclaw',
    kind: 'Deployment',
    name: 'openclaw',
    id: 'HB-POD-013',
    finding: '[automountServiceAccountToken:true]',
    severity: 'medium',
    reason:
      'The agent runs kubectl as the openclaw ServiceAccount by design; what the token can do is the reviewed ' +
      'RBAC of Role openclaw-role and ClusterRole openclaw-homelab-admin.',
  },
];

/** Adds {@link HOMELAB_SUPPRESSIONS} to the objects built in `charts`. Call it after everything is built. */
export function suppressHomelab(charts: ReadonlyMap<string, Chart>): void {
  for (const { chart: chartName, kind, name, ...props } of HOMELAB_SUPPRESSIONS) {
    const chart = charts.get(chartName);
    if (!chart) continue;
    const target = chart.node.findAll().find((c) => ApiObject.isApiObject(c) && c.kind === kind && c.name === name);
    if (!target) {
      throw new BaselineError(chart, {
        problem: `suppression of ${props.id} names an object the chart does not build`,
        value: `${kind}/${name}`,
        allowed: `an object built in chart "${chartName}"`,
        fix: 'correct kind and name in homelab/suppressions.ts, or remove the suppression if the object is gone',
      });
    }
    Suppressions.add(target, props);
  }
}
