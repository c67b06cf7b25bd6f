import { GitOpsProject } from '../../lib';
import { crdSchema, schemaErrors } from '../secrets/crd-schema';
import { find, synthChart } from '../util';

const REPO = 'https://github.com/o/homelab';
const APPPROJECT_SCHEMA = crdSchema('argo-cd-v2.14.21/appproject-crd.yaml', 'v1alpha1');

function project(build: (p: GitOpsProject) => void = () => undefined, props: Partial<ConstructorParameters<typeof GitOpsProject>[2]> = {}) {
  const objects = synthChart((c) => build(new GitOpsProject(c, 'P', { name: 'p', description: 'test', sourceRepos: [REPO], ...props })));
  return find(objects, 'AppProject', props.name ?? 'p', 'argocd');
}

describe('GitOpsProject', () => {
  test('namespaces, kinds and repos, sorted and deduplicated, on the in-cluster server only', () => {
    const p = project((p) => {
      p.allowNamespace('b');
      p.allowNamespace('a');
      p.allowNamespace('b');
      p.allowClusterResource({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' });
      p.allowClusterResource({ group: '', kind: 'Namespace' });
      p.allowNamespacedResource({ group: 'apps', kind: 'Deployment' });
    });
    expect(p.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-3' });
    expect(p.spec).toEqual({
      description: 'test',
      sourceRepos: [REPO],
      destinations: [
        { server: 'https://kubernetes.default.svc', namespace: 'a' },
        { server: 'https://kubernetes.default.svc', namespace: 'b' },
      ],
      clusterResourceWhitelist: [
        { group: '', kind: 'Namespace' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      ],
      namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }],
    });
    expect(schemaErrors(APPPROJECT_SCHEMA, p)).toEqual([]);
  });

  test('without namespaces it deploys cluster-scoped objects only: every namespaced kind is blacklisted', () => {
    const p = project((p) => p.allowClusterResource({ group: '', kind: 'Namespace' }));
    expect(p.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: '*' }]);
    expect(p.spec.namespaceResourceBlacklist).toEqual([{ group: '*', kind: '*' }]);
    expect(p.spec.namespaceResourceWhitelist).toBeUndefined();
    expect(schemaErrors(APPPROJECT_SCHEMA, p)).toEqual([]);
  });

  test('without clusterResources nothing cluster-scoped is allowed (no whitelist rendered)', () => {
    expect(project((p) => p.allowNamespace('a')).spec.clusterResourceWhitelist).toBeUndefined();
  });

  describe('fails if', () => {
    test('it is named default', () => {
      expect(() => project(undefined, { name: 'default' })).toThrow(
        '[test/P] the "default" AppProject cannot be used: "default". Allowed: a dedicated project with its own sources, destinations and kinds.',
      );
    });

    test('a kind is a wildcard', () => {
      expect(() => project((p) => p.allowClusterResource({ group: '*', kind: '*' }))).toThrow(
        '[test/P] resource kinds must be named exactly: "*/*". Allowed: one API group ("" for core) and one Kind, without wildcards.',
      );
    });

    test('a source repo is a wildcard or not HTTPS', () => {
      expect(() => project((p) => p.allowSourceRepo('*'))).toThrow(/\[test\/P\] repository URL must be a plain HTTPS URL: "\*"/);
      expect(() => project((p) => p.allowSourceRepo('http://charts.example.com'))).toThrow(/plain HTTPS URL/);
    });

    test('a destination is not a namespace name', () => {
      expect(() => project((p) => p.allowNamespace('*'))).toThrow(/\[test\/P\] invalid destination namespace: "\*"/);
    });

    test('it has no source repository', () => {
      expect(() => project(undefined, { sourceRepos: [] })).toThrow(/\[test\/P\] AppProject "p" has no sourceRepos/);
    });
  });
});
