import { KubeObject, Manifest, Rule, runRules } from '../../lib';

/** Plain synthesized objects for rule tests, compliant by default; each test breaks exactly one thing. */

/** Wraps an object as a Manifest (construct path `test/<kind>-<name>`). */
export function manifest(object: KubeObject, constructPath = `test/${object.kind}-${object.metadata.name}`): Manifest {
  const ns = object.metadata.namespace;
  return { constructPath, folder: ns ?? '_cluster', file: `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`, object };
}

/** The findings `rule` reports on `target` (default: the first object), with `objects` as the whole set. */
export function findingsOf(rule: Rule, objects: readonly KubeObject[], target: KubeObject = objects[0]): string[] {
  const report = runRules(objects.map((o) => manifest(o)), [rule], []);
  const id = `${target.kind}/${target.metadata.namespace ?? ''}/${target.metadata.name}`;
  return report.findings.filter((f) => f.object === id).map((f) => f.finding);
}

export const RESTRICTED_LABELS: Record<string, string> = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'v1.28',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/audit-version': 'v1.28',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/warn-version': 'v1.28',
};

export function namespace(name: string, labels: Record<string, string> = RESTRICTED_LABELS, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } };
}

export function networkPolicy(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector: {}, ...spec } };
}

/** default-deny-all + allow-dns for `ns`, as DefaultDenyPolicies renders them. */
export function baselinePolicies(ns: string): KubeObject[] {
  return [
    networkPolicy(ns, 'default-deny-all', { policyTypes: ['Ingress', 'Egress'] }),
    networkPolicy(ns, 'allow-dns', {
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    }),
  ];
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export function role(name: string, rules: PolicyRule[], ns?: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: ns ? 'Role' : 'ClusterRole',
    metadata: { name, namespace: ns },
    rules,
  };
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

export function binding(name: string, roleRef: { kind: string; name: string }, subjects: Subject[], ns?: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: ns ? 'RoleBinding' : 'ClusterRoleBinding',
    metadata: { name, namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  };
}

export const sa = (name: string, namespace: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

/** A container that passes every workload rule. */
export function container(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'app',
    image: 'ghcr.io/example/app:1.2.3',
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
    },
    ...overrides,
  };
}

/** A pod spec that passes every workload rule; `overrides` replace top-level fields. */
export function podSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container()],
    ...overrides,
  };
}

export function deployment(spec: Record<string, unknown> = podSpec(), annotations?: Record<string, string>, name = 'app'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'apps', annotations },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
  };
}

export function application(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'app', namespace: 'argocd' },
    spec: {
      project: 'homelab',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'apps' },
      source: { repoURL: 'https://github.com/example/homelab.git', path: 'dist/apps', targetRevision: 'main' },
      ...spec,
    },
  };
}
