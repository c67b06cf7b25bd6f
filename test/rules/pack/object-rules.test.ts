import { MAX_ANNOTATION_BYTES, annotationSizeRule, noDefaultProject, noSecretData, noWildcardProject, pinnedRevisions, skipDryRunPerObject } from '../../../lib/rules/pack/object-rules';
import { application, findingsOf } from '../fixtures';

describe('HB-SEC-001 no Secret data', () => {
  const secret = (fields: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'apps' }, ...fields });

  test('compliant: an empty Secret (e.g. a token Secret the controller fills)', () => {
    expect(findingsOf(noSecretData, [secret({ type: 'kubernetes.io/service-account-token' })])).toEqual([]);
  });

  test('violation: data and stringData, one finding per key (never the value)', () => {
    const findings = findingsOf(noSecretData, [secret({ data: { token: 'c2VjcmV0' }, stringData: { password: 'hunter2' } })]);
    expect(findings).toEqual(['[data:token]', '[stringData:password]']);
    expect(JSON.stringify(findings)).not.toMatch(/hunter2|c2VjcmV0/);
  });
});

describe('HB-ARGO-001 pinned targetRevision', () => {
  test.each(['1.2.3', 'v2.14.21', 'main', '3f2a9c1'])('compliant: %s', (targetRevision) => {
    expect(findingsOf(pinnedRevisions, [application({ source: { repoURL: 'https://x', chart: 'c', targetRevision } })])).toEqual([]);
  });

  test.each(['', 'HEAD', 'head', '1.2.*', '^1.2.0', '~1.2', '>=1.0.0', '1.x', '1.2.X', '1.0.0 - 2.0.0', '1 || 2'])('violation: %p', (targetRevision) => {
    expect(findingsOf(pinnedRevisions, [application({ source: { repoURL: 'https://x', chart: 'c', targetRevision } })])).toEqual(['[source:0]']);
  });

  test('violation: a missing targetRevision (defaults to HEAD), in multi-source applications too', () => {
    const app = application({ source: undefined, sources: [{ repoURL: 'https://x', targetRevision: '1.0.0' }, { repoURL: 'https://y' }] });
    expect(findingsOf(pinnedRevisions, [app])).toEqual(['[source:1]']);
  });

  test('ignores kinds named Application outside argoproj.io', () => {
    expect(findingsOf(pinnedRevisions, [{ ...application({}), apiVersion: 'app.k8s.io/v1beta1', spec: {} }])).toEqual([]);
  });
});

describe('HB-ARGO-002 no default project', () => {
  test('compliant: a named project', () => {
    expect(findingsOf(noDefaultProject, [application({})])).toEqual([]);
  });

  test.each([['default'], [undefined]])('violation: project %p', (project) => {
    expect(findingsOf(noDefaultProject, [application({ project })])).toEqual(['[project:default]']);
  });
});

describe('HB-ARGO-008 SkipDryRunOnMissingResource not in Application syncOptions', () => {
  const withOptions = (syncOptions: string[]) => application({ syncPolicy: { syncOptions } });

  test('compliant: the secure defaults, and the option as an object annotation elsewhere', () => {
    expect(findingsOf(skipDryRunPerObject, [withOptions(['ServerSideApply=true', 'PruneLast=true']), application({})])).toEqual([]);
  });

  test.each(['SkipDryRunOnMissingResource=true', 'SkipDryRunOnMissingResource=false', ' SkipDryRunOnMissingResource=true'])('violation: %p (ArgoCD v2.14.21 ignores any value there)', (option) => {
    expect(findingsOf(skipDryRunPerObject, [withOptions(['ServerSideApply=true', option])])).toEqual([`[syncOptions:${option}]`]);
  });
});

describe('HB-ARGO-003 no wildcard in an AppProject', () => {
  const IN_CLUSTER = 'https://kubernetes.default.svc';
  const project = (spec: Record<string, unknown>) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'apps', namespace: 'argocd' },
    spec: {
      sourceRepos: ['https://github.com/example/homelab.git'],
      destinations: [{ server: IN_CLUSTER, namespace: 'apps' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }],
      ...spec,
    },
  });
  /** What GitOpsProject renders for a project of cluster-scoped objects only. */
  const clusterOnly = { destinations: [{ server: IN_CLUSTER, namespace: '*' }], namespaceResourceWhitelist: undefined, namespaceResourceBlacklist: [{ group: '*', kind: '*' }] };

  test('compliant: exact lists, and denying (!) or blacklist wildcards', () => {
    const spec = { sourceRepos: ['https://github.com/example/homelab.git', '!https://github.com/example/*'], destinations: [{ server: IN_CLUSTER, namespace: 'apps' }, { server: IN_CLUSTER, namespace: '!kube-*' }], clusterResourceBlacklist: [{ group: '*', kind: '*' }] };
    expect(findingsOf(noWildcardProject, [project(spec)])).toEqual([]);
  });

  test('compliant: destination namespace "*" in a project that blacklists every namespaced kind and whitelists none', () => {
    expect(findingsOf(noWildcardProject, [project(clusterOnly)])).toEqual([]);
  });

  test('violation: the same "*" namespace once a namespaced kind is whitelisted or the blacklist is partial', () => {
    expect(findingsOf(noWildcardProject, [project({ ...clusterOnly, namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }] })])).toEqual(['[destination.namespace:*]']);
    expect(findingsOf(noWildcardProject, [project({ ...clusterOnly, namespaceResourceBlacklist: [{ group: '*', kind: 'Secret' }] })])).toEqual(['[destination.namespace:*]']);
  });

  test('violation: a wildcard source, destination or kind, one finding each', () => {
    const wide = project({
      sourceRepos: ['*', 'https://github.com/example/*'],
      sourceNamespaces: ['*'],
      destinations: [{ server: '*', namespace: 'apps' }, { name: 'in-*', namespace: 'team-?' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      namespaceResourceWhitelist: [{ group: 'apps', kind: '*' }],
    });
    expect(findingsOf(noWildcardProject, [wide])).toEqual([
      '[clusterResourceWhitelist:*/*]',
      '[destination.name:in-*]',
      '[destination.namespace:team-?]',
      '[destination.server:*]',
      '[namespaceResourceWhitelist:apps/*]',
      '[sourceNamespaces:*]',
      '[sourceRepos:*]',
      '[sourceRepos:https://github.com/example/*]',
    ]);
  });

  test('ignores kinds named AppProject outside argoproj.io', () => {
    expect(findingsOf(noWildcardProject, [{ ...project({ sourceRepos: ['*'] }), apiVersion: 'example.org/v1' }])).toEqual([]);
  });
});

describe('HB-OBJ-001 annotation size', () => {
  const cm = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'apps', annotations: { 'a.example/reason': value } } });
  test('at the cap passes, one byte over fails (the key counts too)', () => {
    const key = 'a.example/reason'.length;
    expect(findingsOf(annotationSizeRule, [cm('x'.repeat(MAX_ANNOTATION_BYTES - key))])).toEqual([]);
    expect(findingsOf(annotationSizeRule, [cm('x'.repeat(MAX_ANNOTATION_BYTES - key + 1))])).toEqual(['[annotations:size]']);
    expect(findingsOf(annotationSizeRule, [cm('é'.repeat(40000))])).toEqual(['[annotations:size]']);
  });
});
