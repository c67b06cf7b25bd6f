import { HelmReleaseProps, SuppressionProps } from '../lib';

/** One accepted upstream default of a rendered chart: a rule the named objects break, and why. */
export interface ChartRisk extends Omit<SuppressionProps, 'upstreamDefault'> {
  /** The Helm release. */
  readonly release: string;
  /**
   * The rendered objects (kind and `metadata.name`) it covers, each by name: a values change that renders a
   * new object breaking the rule is a new finding, never accepted along with the release's defaults.
   */
  readonly objects: readonly ChartObject[];
}

/** One rendered object of a release, by kind and name. */
export interface ChartObject {
  readonly kind: string;
  readonly name: string;
}

const named = (kind: string) => (...names: string[]): ChartObject[] => names.map((name) => ({ kind, name }));
const clusterRoles = named('ClusterRole');
const deployments = named('Deployment');
const statefulSets = named('StatefulSet');
const ARGO_CONTROLLER = clusterRoles('argo-cd-argocd-application-controller');
const ARGO_SERVER = clusterRoles('argo-cd-argocd-server');
/** argo-cd's pod templates: every component and the redis secret-init hook Job. */
const ARGO_PODS = [
  ...deployments('argo-cd-argocd-applicationset-controller', 'argo-cd-argocd-dex-server', 'argo-cd-argocd-notifications-controller', 'argo-cd-argocd-redis', 'argo-cd-argocd-repo-server', 'argo-cd-argocd-server'),
  ...statefulSets('argo-cd-argocd-application-controller'),
];
const ARGO_INIT_JOB = named('Job')('argo-cd-argocd-redis-secret-init');
const ESO_PODS = deployments('external-secrets', 'external-secrets-cert-controller', 'external-secrets-webhook');
const AUTHENTIK_PODS = deployments('authentik-server', 'authentik-worker');
const TRIVY_OPERATOR = deployments('trivy-operator');
const TRIVY_SERVER = statefulSets('trivy-server');

const UPSTREAM_RESOURCES = 'the chart sets no requests or limits by default; sizing is on the hardening roadmap (typed `resources` values per component)';
const CONTROLLER = (what: string) => `upstream default of the ${what}, which reconciles objects in every namespace by design; the chart's own RBAC is reviewed as rendered in dist/ and shown in the report's cluster-wide powers`;

/**
 * The accepted risks of the rendered charts, in one place: upstream defaults that break a rule and that
 * the typed values do not change (yet), each with its reason and the objects it covers. They become
 * `baseline.homelab.dev/suppress.*` annotations on those rendered objects and rows of the report's risk register. A cluster-admin binding or a
 * grant to every authenticated user can never be accepted this way (HB-RBAC-002, HB-RBAC-012).
 */
export const CHART_RISKS: readonly ChartRisk[] = [
  // argo-cd: the GitOps engine itself.
  { release: 'argo-cd', objects: [...ARGO_CONTROLLER, ...ARGO_SERVER], id: 'HB-RBAC-001', severity: 'critical', reason: CONTROLLER('argo-cd application controller (`*` on `*`) and server (delete/get/patch on `*`): ArgoCD syncs and prunes any kind dist/ holds') },
  { release: 'argo-cd', objects: [...ARGO_CONTROLLER, ...ARGO_SERVER, ...clusterRoles('argo-cd-argocd-notifications-controller')], id: 'HB-RBAC-004', severity: 'high', reason: CONTROLLER('argo-cd controller, server and notifications controller: cluster Secrets and repository credentials live in Secrets') },
  { release: 'argo-cd', objects: [...ARGO_CONTROLLER, ...ARGO_SERVER], id: 'HB-RBAC-007', severity: 'high', reason: CONTROLLER('argo-cd server (pod logs, exec and resource actions through the UI, covered by ArgoCD RBAC)') },
  { release: 'argo-cd', objects: [...ARGO_CONTROLLER, ...ARGO_SERVER], id: 'HB-RBAC-009', severity: 'medium', reason: CONTROLLER('argo-cd controller and server: ArgoCD manages namespaced objects and can delete what it pruned') },
  { release: 'argo-cd', objects: [...ARGO_CONTROLLER, ...ARGO_SERVER], id: 'HB-RBAC-010', severity: 'high', reason: CONTROLLER('argo-cd controller and server: dist/ holds NetworkPolicies, RBAC and webhooks, which ArgoCD applies') },
  { release: 'argo-cd', objects: [...ARGO_CONTROLLER, ...ARGO_SERVER], id: 'HB-RBAC-011', severity: 'high', reason: CONTROLLER('argo-cd controller and server (wildcard rules include serviceaccounts/token)') },
  { release: 'argo-cd', objects: ARGO_PODS, id: 'HB-NS-005', severity: 'low', reason: 'argo-cd mounts its optional TLS Secrets (argocd-repo-server-tls, argocd-dex-server-tls...) that cert tooling may create; absent, the components generate self-signed certificates' },
  { release: 'argo-cd', objects: [...ARGO_PODS, ...ARGO_INIT_JOB], id: 'HB-POD-011', severity: 'low', reason: UPSTREAM_RESOURCES },
  { release: 'argo-cd', objects: ARGO_INIT_JOB, id: 'HB-POD-012', severity: 'low', reason: 'upstream default: the component talks to the API server with its ServiceAccount token' },
  // external-secrets: the controller that writes Secrets.
  { release: 'external-secrets', objects: clusterRoles('external-secrets-controller', 'external-secrets-cert-controller'), id: 'HB-RBAC-004', severity: 'high', reason: CONTROLLER('external-secrets controller (writes the Secrets of every ExternalSecret) and cert controller (its webhook certificate Secret)') },
  { release: 'external-secrets', objects: clusterRoles('external-secrets-controller'), id: 'HB-RBAC-009', severity: 'medium', reason: CONTROLLER('external-secrets controller (namespace finalizers and labels for ClusterExternalSecrets)') },
  { release: 'external-secrets', objects: clusterRoles('external-secrets-cert-controller'), id: 'HB-RBAC-010', severity: 'high', reason: CONTROLLER('external-secrets cert controller: it injects its CA bundle into its ValidatingWebhookConfigurations') },
  { release: 'external-secrets', objects: clusterRoles('external-secrets-controller'), id: 'HB-RBAC-011', severity: 'high', reason: CONTROLLER('external-secrets controller: ServiceAccount-token auth to secret backends') },
  { release: 'external-secrets', objects: ESO_PODS, id: 'HB-POD-011', severity: 'low', reason: UPSTREAM_RESOURCES },
  // authentik: SSO.
  { release: 'authentik', objects: AUTHENTIK_PODS, id: 'HB-POD-011', severity: 'low', reason: UPSTREAM_RESOURCES },
  { release: 'authentik', objects: AUTHENTIK_PODS, id: 'HB-POD-012', severity: 'low', reason: 'upstream default: the outpost integration manages outposts through the API with the ServiceAccount token' },
  // trivy-operator: vulnerability scanning.
  { release: 'trivy-operator', objects: clusterRoles('trivy-operator'), id: 'HB-RBAC-004', severity: 'high', reason: CONTROLLER('trivy-operator (reads image pull Secrets to scan private images, writes its scan job Secrets)') },
  { release: 'trivy-operator', objects: clusterRoles('trivy-operator'), id: 'HB-RBAC-007', severity: 'high', reason: CONTROLLER('trivy-operator node collector (nodes/proxy for the CIS node checks)') },
  { release: 'trivy-operator', objects: named('Secret')('trivy-operator-trivy-config'), id: 'HB-SEC-001', severity: 'minimal', reason: 'the chart renders trivy-operator-trivy-config with empty TRIVY_USERNAME/TRIVY_PASSWORD keys (no registry credentials): no secret value is in dist/' },
  { release: 'trivy-operator', objects: TRIVY_OPERATOR, id: 'HB-POD-001', severity: 'medium', reason: 'upstream default: trivy-operator sets no runAsNonRoot (its image runs as a non-root user); monitoring enforces baseline' },
  { release: 'trivy-operator', objects: TRIVY_SERVER, id: 'HB-POD-002', severity: 'medium', reason: 'upstream default of the built-in trivy server StatefulSet; monitoring enforces baseline' },
  { release: 'trivy-operator', objects: TRIVY_SERVER, id: 'HB-POD-003', severity: 'medium', reason: 'upstream default of the built-in trivy server StatefulSet; monitoring enforces baseline' },
  { release: 'trivy-operator', objects: [...TRIVY_OPERATOR, ...TRIVY_SERVER], id: 'HB-POD-004', severity: 'low', reason: 'upstream default: no seccomp profile on the operator and the trivy server; monitoring enforces baseline' },
  { release: 'trivy-operator', objects: TRIVY_OPERATOR, id: 'HB-POD-011', severity: 'low', reason: UPSTREAM_RESOURCES },
];

/** Binds {@link CHART_RISKS} to the rendered releases; a risk naming an object the chart does not render fails. */
export function suppressCharts(releases: readonly HelmReleaseProps[], risks: readonly ChartRisk[] = CHART_RISKS): void {
  for (const { release, objects, ...props } of risks) {
    releases.find((r) => r.name === release)?.rendered?.acceptUpstreamDefault(props, objects);
  }
}
