import { AttackCase } from '../attack-case';
import { edit } from '../edits';

const CLASS = 'charts';
const GITOPS = 'homelab/gitops.ts';
const REASON = 'an escape-hatch values edit that slips this object in';
/** The argo-cd release's values gain `values` through the escape hatch (a TypeScript expression). */
const argoUnchecked = (values: string) => [edit(GITOPS, 'values: argoCdValues(ARGOCD_SETTINGS),', `values: argoCdValues(ARGOCD_SETTINGS, { values: ${values}, reason: '${REASON}' }),`)];
/** A ClusterRoleBinding of `role` for the ServiceAccount namespace/name. */
const binding = (name: string, role: string, namespace: string, sa: string) => JSON.stringify({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'ServiceAccount', name: sa, namespace }],
});
const TRIVY_ROLE = 'dist/_chart-trivy-operator/clusterrole-trivy-operator.yaml';
const ARGOCD_CM = 'dist/_chart-argo-cd/argocd-configmap-argocd-cm.yaml';

export const CASES: AttackCase[] = [
  {
    id: 'chart-extraobjects-cluster-admin-openclaw',
    class: CLASS,
    description: "argo-cd's extraObjects bind cluster-admin to the OpenClaw ServiceAccount",
    edits: argoUnchecked(`{ extraObjects: [${binding('openclaw-cluster-admin', 'cluster-admin', 'openclaw', 'openclaw')}] }`),
    stoppedBy: 'synth',
  },
  {
    id: 'chart-extraobjects-cluster-admin-chart-sa',
    class: CLASS,
    description: "argo-cd's extraObjects bind cluster-admin to the chart's own repo-server ServiceAccount",
    edits: argoUnchecked(`{ extraObjects: [${binding('repo-server-cluster-admin', 'cluster-admin', 'argocd', 'argo-cd-argocd-repo-server')}] }`),
    stoppedBy: 'synth',
  },
  {
    id: 'chart-extraobjects-wildcard-clusterrole',
    class: CLASS,
    description: "argo-cd's extraObjects add a ClusterRole of `*` on `*` (the release's accepted wildcards name their objects)",
    edits: argoUnchecked(`{ extraObjects: [${JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'argocd-everything' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    })}] }`),
    stoppedBy: 'synth',
  },
  {
    id: 'chart-values-applicationset-loadbalancer',
    class: CLASS,
    description: "argo-cd's ApplicationSet webhook Service becomes a LoadBalancer through the values",
    edits: argoUnchecked("{ applicationSet: { service: { type: 'LoadBalancer' } } }"),
    stoppedBy: 'synth',
  },
  {
    id: 'chart-values-server-type-twice',
    class: CLASS,
    description: "the argo-cd server's Service type set again through the escape hatch, against the typed ClusterIP",
    edits: argoUnchecked("{ server: { service: { type: 'NodePort' } } }"),
    stoppedBy: 'synth',
  },
  {
    id: 'dist-chart-clusterrole-wildcard',
    class: CLASS,
    description: "dist/ edit: trivy-operator's rendered ClusterRole gains a rule of `*` on `*`",
    edits: [edit(TRIVY_ROLE, 'rules:\n', "rules:\n  - apiGroups:\n      - '*'\n    resources:\n      - '*'\n    verbs:\n      - '*'\n")],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-argocd-anonymous-access',
    class: CLASS,
    description: 'dist/ edit: the rendered argocd-cm turns on anonymous access',
    edits: [edit(ARGOCD_CM, 'users.anonymous.enabled: "false"', 'users.anonymous.enabled: "true"')],
    stoppedBy: 'diff',
  },
];
