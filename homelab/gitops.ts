import { App, Chart } from 'cdk8s';
import {
  AppOfApps,
  ApplicationWave,
  ArgoCdSettings,
  ClusterResourceGrant,
  GroupKind,
  HelmReleaseProps,
  TrivyMode,
  argoCdValues,
  authentikValues,
  collectManifests,
  externalSecretsValues,
  renderReleases,
  trivyOperatorValues,
} from '../lib';
import { suppressCharts } from './chart-risks';
import { NOT_RENDERED, homelabChartRenderer } from './charts';

/**
 * The one branch ArgoCD deploys: `main` is the protected branch, every change reached it through a reviewed PR.
 * The rule pack (HB-ARGO-004) refuses an Application on any other branch; changing this is a diff widening.
 */
export const DEPLOY_BRANCH = 'main';

/**
 * Where ArgoCD reads dist/ ("Supply Chain Security": unauthenticated HTTPS clone of the public repo, no
 * credentials stored), at the deploy branch.
 */
export const GIT = { repoURL: 'https://github.com/holdennguyen/homelab', targetRevision: DEPLOY_BRANCH };

const CRD: GroupKind = { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' };
const CLUSTER_ROLE: GroupKind = { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' };
const CLUSTER_ROLE_BINDING: GroupKind = { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' };
const VALIDATING_WEBHOOK: GroupKind = { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' };
const MUTATING_WEBHOOK: GroupKind = { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' };

/** The chart's ClusterRole and its binding, for the reason given (the seed's "RBAC" table). */
function clusterRbac(reason: string): ClusterResourceGrant[] {
  return [CLUSTER_ROLE, CLUSTER_ROLE_BINDING].map((gk) => ({ ...gk, reason }));
}

/**
 * ArgoCD's settings: the local admin stays until an identity provider signs people in (the seed wires none
 * to ArgoCD; Authentik could be its OIDC provider).
 */
export const ARGOCD_SETTINGS: ArgoCdSettings = {
  localAdmin: { reason: 'no SSO is configured for ArgoCD yet, so the admin account is the only login; it is reached only over the tailnet, and turning it off waits for Authentik as its OIDC provider' },
};

/**
 * The seed's Helm-managed services ("Image Provenance", "Supply Chain Security", "Vulnerability Scanning",
 * "RBAC"), each at the exact chart version it runs, from the official chart repository, with the
 * cluster-scoped kinds it creates and why.
 */
export const HELM_RELEASES: readonly HelmReleaseProps[] = [
  {
    name: 'argo-cd',
    repoURL: 'https://argoproj.github.io/argo-helm',
    chart: 'argo-cd',
    version: '7.8.0',
    namespace: 'argocd',
    values: argoCdValues(ARGOCD_SETTINGS),
    // ArgoCD manages itself; its CRDs must exist before any Application.
    wave: ApplicationWave.FOUNDATION,
    crdGroups: ['argoproj.io'],
    clusterResources: [
      { ...CRD, reason: 'installs and upgrades the Application, AppProject and ApplicationSet CRDs' },
      ...clusterRbac('the application controller needs cluster-wide access to sync resources'),
    ],
  },
  {
    name: 'external-secrets',
    repoURL: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    version: '0.20.4',
    namespace: 'external-secrets',
    values: externalSecretsValues(),
    // Its CRDs (ClusterSecretStore, ExternalSecret) come before the store and the ExternalSecrets.
    wave: ApplicationWave.FOUNDATION,
    crdGroups: ['external-secrets.io', 'generators.external-secrets.io'],
    clusterResources: [
      { ...CRD, reason: 'installs the ClusterSecretStore, ExternalSecret and generator CRDs (installCRDs)' },
      ...clusterRbac('the controller creates Secrets in any namespace from the ClusterSecretStore'),
      { ...VALIDATING_WEBHOOK, reason: 'the webhook validates SecretStores and ExternalSecrets on admission' },
    ],
  },
  {
    name: 'infisical',
    repoURL: 'https://dl.cloudsmith.io/public/infisical/helm-charts/helm/charts/',
    chart: 'infisical-standalone',
    version: '1.7.2',
    namespace: 'infisical',
    // The source of truth of every secret: up before the ClusterSecretStore that reads it.
    wave: ApplicationWave.FOUNDATION,
    clusterResources: [
      ...clusterRbac('the bundled ingress-nginx controller watches Ingresses, Services and Endpoints cluster-wide'),
      { group: 'networking.k8s.io', kind: 'IngressClass', reason: 'the bundled ingress-nginx controller registers its IngressClass' },
      { ...VALIDATING_WEBHOOK, reason: 'the bundled ingress-nginx admission webhook validates Ingresses' },
    ],
  },
  {
    name: 'kube-prometheus-stack',
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '82.1.0',
    namespace: 'monitoring',
    crdGroups: ['monitoring.coreos.com'],
    clusterResources: [
      { ...CRD, reason: 'installs the Prometheus operator CRDs (Prometheus, ServiceMonitor, PrometheusRule...)' },
      ...clusterRbac('Prometheus scrapes metrics cluster-wide; kube-state-metrics and the operator watch every namespace'),
      { ...VALIDATING_WEBHOOK, reason: 'the Prometheus operator admission webhook validates PrometheusRules' },
      { ...MUTATING_WEBHOOK, reason: 'the Prometheus operator admission webhook defaults PrometheusRules' },
    ],
  },
  {
    name: 'authentik',
    repoURL: 'https://charts.goauthentik.io',
    chart: 'authentik',
    version: '2025.12.4',
    namespace: 'authentik',
    values: authentikValues({ existingSecret: 'authentik-secret' }),
    clusterResources: clusterRbac('the outpost integration manages outpost Deployments, Services and Ingresses'),
  },
  {
    name: 'trivy-operator',
    repoURL: 'https://aquasecurity.github.io/helm-charts/',
    chart: 'trivy-operator',
    version: '0.32.0',
    namespace: 'monitoring',
    // The seed's "Vulnerability Scanning" settings.
    values: trivyOperatorValues({
      mode: TrivyMode.CLIENT_SERVER,
      builtInServer: true,
      scanJobsConcurrentLimit: 3,
      excludeNamespaces: ['openclaw'],
    }),
    crdGroups: ['aquasecurity.github.io'],
    clusterResources: [
      { ...CRD, reason: 'installs the VulnerabilityReport, ConfigAuditReport and related report CRDs' },
      { group: 'aquasecurity.github.io', kind: 'ClusterComplianceReport', reason: 'the chart ships the CIS, NSA and pod-security-standards compliance report specs it evaluates' },
      ...clusterRbac('the operator watches workloads in every namespace and runs scan jobs for them'),
    ],
  },
];

/**
 * Adds the GitOps root: the Helm releases rendered into dist/ by real helm (those with a verified source),
 * then one Application per dist/ folder of everything built so far, the Helm-source releases and their
 * projects. Call it last: it reads the manifests of everything else.
 */
export function buildGitOps(app: App, unsyncedFolders?: ReadonlyMap<string, string>, releases: readonly HelmReleaseProps[] = HELM_RELEASES): AppOfApps {
  const helmReleases = renderReleases(new Chart(app, 'charts'), releases, homelabChartRenderer(), NOT_RENDERED);
  suppressCharts(helmReleases);
  return new AppOfApps(new Chart(app, 'gitops'), 'Root', { manifests: collectManifests(app), ...GIT, helmReleases, unsyncedFolders });
}
