import { ApiObject, Chart } from 'cdk8s';
import {
  IntOrString,
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeDeployment,
  KubeRole,
  KubeRoleBinding,
  KubeService,
  KubeServiceAccount,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { DefaultDenyPolicies, HardenedNamespace, KubeObject, PodSecurityLevel, Port, exemptionAnnotation } from '../../lib';
import { synthChart } from '../util';

/**
 * A small hand-built cluster with one object of every kind the report reads, written as plain objects where
 * the library has no construct, so the report is tested against Kubernetes shapes, not against our constructs.
 */
export function smallCluster(): KubeObject[] {
  return synthChart((chart: Chart) => {
    const web = new HardenedNamespace(chart, 'web-ns', { name: 'web' });
    new HardenedNamespace(chart, 'legacy-ns', {
      name: 'legacy',
      podSecurity: { enforce: PodSecurityLevel.BASELINE, reason: 'the vendor chart runs its server as root' },
    });
    new HardenedNamespace(chart, 'db-ns', { name: 'db' });
    const net = new DefaultDenyPolicies(chart, 'web-net', {
      namespace: web,
      tailnetIngress: [Port.tcp(8080)],
      internetEgress: [Port.tcp(443)],
      egressTo: [{ namespace: 'db', ports: [Port.tcp(5432)] }],
    });
    net.allowApiServerEgress();
    new DefaultDenyPolicies(chart, 'db-net', {
      namespace: 'db',
      ingressFrom: [{ namespace: 'web', ports: [Port.tcp(5432)], podSelector: { app: 'postgres' } }],
    });
    new DefaultDenyPolicies(chart, 'legacy-net', { namespace: 'legacy', allowSameNamespace: false });

    new KubeServiceAccount(chart, 'sa', { metadata: { name: 'agent', namespace: 'web' }, automountServiceAccountToken: true });
    new KubeServiceAccount(chart, 'sa2', { metadata: { name: 'site', namespace: 'web' }, automountServiceAccountToken: false });
    new KubeRole(chart, 'role', {
      metadata: { name: 'agent-role', namespace: 'web' },
      rules: [{ apiGroups: [''], resources: ['pods/log', 'pods'], verbs: ['get', 'list'] }],
    });
    new KubeRoleBinding(chart, 'rb', {
      metadata: { name: 'agent-role-binding', namespace: 'web' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'agent-role' },
      subjects: [{ kind: 'ServiceAccount', name: 'agent', namespace: 'web' }],
    });
    new KubeClusterRole(chart, 'cr', {
      metadata: {
        name: 'agent-read',
        annotations: {
          [exemptionAnnotation('rbac.no-delete')]: 'the agent removes finished jobs by design',
          // Only the second rule is documented: the first shows as undocumented.
          'baseline.homelab.dev/rule-1.purpose': 'Remove finished jobs',
          'baseline.homelab.dev/rule-1.risk': 'medium: can delete any job',
        },
      },
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'watch'] },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['delete'] },
      ],
    });
    new KubeClusterRoleBinding(chart, 'crb', {
      metadata: { name: 'agent-read-binding' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'agent-read' },
      subjects: [{ kind: 'ServiceAccount', name: 'agent', namespace: 'web' }],
    });

    new ApiObject(chart, 'store', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'vault' },
      spec: {
        conditions: [{ namespaces: ['web'] }],
        provider: { infisical: { auth: { universalAuthCredentials: { clientId: { name: 'creds', key: 'id', namespace: 'eso' } } } } },
      },
    });
    new ApiObject(chart, 'es', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      // Only API_TOKEN says what it is for: DB_PASSWORD shows as undocumented.
      metadata: { name: 'site-secret', namespace: 'web', annotations: { 'baseline.homelab.dev/purpose.API_TOKEN': 'Calls the upstream API' } },
      spec: {
        refreshInterval: '15m',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
        target: { name: 'site-env', creationPolicy: 'Owner' },
        data: [
          { secretKey: 'API_TOKEN', remoteRef: { key: 'API_TOKEN' } },
          { secretKey: 'DB_PASSWORD', remoteRef: { key: 'POSTGRES_PASSWORD' } },
        ],
      },
    });

    new KubeDeployment(chart, 'deploy', {
      metadata: {
        name: 'site',
        namespace: 'web',
        annotations: {
          [exemptionAnnotation('hostpath')]: 'reads the static files the host renders',
          // Per container: it names nginx, so it says nothing about the sidecar's unpinned image.
          [exemptionAnnotation('unpinned-image')]: 'nginx: built on the node from a pinned submodule',
        },
      },
      spec: {
        selector: { matchLabels: { app: 'site' } },
        template: {
          metadata: { labels: { app: 'site' } },
          spec: {
            serviceAccountName: 'site',
            securityContext: { runAsUser: 101, runAsGroup: 101, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'nginx',
                image: 'nginxinc/nginx-unprivileged:1.27.3-alpine',
                ports: [{ name: 'http', containerPort: 8080 }],
                envFrom: [{ secretRef: { name: 'site-env' } }],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                volumeMounts: [{ name: 'static', mountPath: '/usr/share/nginx/html', readOnly: true }],
              },
              { name: 'sidecar', image: 'busybox:latest' },
            ],
            volumes: [{ name: 'static', hostPath: { path: '/srv/site' } }],
          },
        },
      },
    });
    new KubeService(chart, 'svc', {
      metadata: { name: 'site', namespace: 'web' },
      spec: { type: 'NodePort', selector: { app: 'site' }, ports: [{ port: 80, targetPort: IntOrString.fromString('http'), nodePort: 30080 }] },
    });
    new ApiObject(chart, 'app', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'cache', namespace: 'argocd' },
      spec: {
        project: 'platform',
        source: { repoURL: 'https://charts.example.com', chart: 'redis', targetRevision: '^18.0.0' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'web' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  });
}
