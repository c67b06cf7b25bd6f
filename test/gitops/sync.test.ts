import { KubeObject, ResourceWave, isPruneProtected, resourceWave, syncAnnotations } from '../../lib';

function policy(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'n' }, spec: { podSelector: {}, ...spec } };
}
const obj = (kind: string, apiVersion = 'v1'): KubeObject => ({ apiVersion, kind, metadata: { name: 'x' } });

describe('resource waves: namespaces and CRDs, then stores, then ExternalSecrets, then everything else', () => {
  test('the order the seed pipeline needs (Infisical -> store -> ExternalSecret -> Secret -> Pod)', () => {
    expect(resourceWave('Namespace')).toBe(-3);
    expect(resourceWave('CustomResourceDefinition')).toBe(-3);
    expect(resourceWave('ClusterSecretStore')).toBe(-2);
    expect(resourceWave('SecretStore')).toBe(-2);
    expect(resourceWave('ExternalSecret')).toBe(-1);
    expect(resourceWave('ClusterExternalSecret')).toBe(-1);
    for (const kind of ['Deployment', 'NetworkPolicy', 'ClusterRole', 'Role', 'Service']) expect(resourceWave(kind)).toBe(ResourceWave.WORKLOADS);
    expect(ResourceWave.WORKLOADS).toBe(0);
  });
});

describe('prune protection', () => {
  test('Namespaces, CRDs and PersistentVolumeClaims are protected', () => {
    expect(isPruneProtected(obj('Namespace'))).toBe(true);
    expect(isPruneProtected(obj('CustomResourceDefinition', 'apiextensions.k8s.io/v1'))).toBe(true);
    expect(isPruneProtected(obj('PersistentVolumeClaim'))).toBe(true);
  });

  test('a NetworkPolicy that denies a direction outright is protected, whatever its name', () => {
    expect(isPruneProtected(policy('default-deny-all', { policyTypes: ['Ingress', 'Egress'] }))).toBe(true);
    expect(isPruneProtected(policy('deny-ingress', { policyTypes: ['Ingress'] }))).toBe(true);
    expect(isPruneProtected(policy('deny-egress', { policyTypes: ['Egress'], egress: [] }))).toBe(true);
    // Ingress allowed from somewhere, egress denied: still a deny for egress.
    expect(isPruneProtected(policy('half', { policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [] }] }))).toBe(true);
  });

  test('allowances are not protected: removing one only takes traffic away', () => {
    expect(isPruneProtected(policy('allow-dns', { policyTypes: ['Egress'], egress: [{ ports: [{ port: 53 }] }] }))).toBe(false);
    expect(isPruneProtected(obj('Deployment', 'apps/v1'))).toBe(false);
  });

  test('annotations: wave only when not 0, Prune=false and Delete=false on protected objects, SkipDryRunOnMissingResource on custom resources', () => {
    expect(syncAnnotations(obj('Namespace'))).toEqual({
      'argocd.argoproj.io/sync-wave': '-3',
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    });
    expect(syncAnnotations(policy('default-deny-all', { policyTypes: ['Ingress', 'Egress'] }))).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    });
    expect(syncAnnotations(obj('ExternalSecret', 'external-secrets.io/v1'))).toEqual({
      'argocd.argoproj.io/sync-wave': '-1',
      'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
    });
    expect(syncAnnotations(obj('Deployment', 'apps/v1'))).toEqual({});
  });
});
