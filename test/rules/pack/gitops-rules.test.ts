import { KubeObject } from '../../../lib';
import { dangerousSyncOptionsRule, deployBranchRule, knownSyncOptionsRule, pruneProtectionRule } from '../../../lib/rules/pack/gitops-rules';
import { noWildcardProject } from '../../../lib/rules/pack/object-rules';
import { findingsOf, namespace } from '../fixtures';

const app = (source: Record<string, unknown>, syncOptions: string[] = [], annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'app', namespace: 'argocd', annotations },
  spec: { project: 'p', source, syncPolicy: { syncOptions } },
});
const git = (targetRevision: string) => ({ repoURL: 'https://example.com/r', path: 'dist/x', targetRevision });

describe('HB-ARGO-004 deploy branch', () => {
  const rule = deployBranchRule('main');
  test.each(['main', 'v1.4.0', '0123456789abcdef0123456789abcdef01234567'])('compliant git revision %s', (rev) => {
    expect(findingsOf(rule, [app(git(rev))])).toEqual([]);
  });
  test.each(['agent/feature', 'develop', 'a1b2c3d', 'HEAD', ''])('violation: git revision %j', (rev) => {
    expect(findingsOf(rule, [app(git(rev))])).toEqual([`[source:0][targetRevision:${rev}]`]);
  });
  test('a chart source needs its exact version; the branch name is no chart version', () => {
    expect(findingsOf(rule, [app({ repoURL: 'https://charts', chart: 'c', targetRevision: '1.2.3' })])).toEqual([]);
    expect(findingsOf(rule, [app({ repoURL: 'https://charts', chart: 'c', targetRevision: 'main' })])).toEqual(['[source:0][targetRevision:main]']);
  });
});

describe('HB-ARGO-005 and HB-ARGO-006 sync options (ArgoCD v2.14)', () => {
  test('unknown options, values and places are refused', () => {
    const o = app(git('main'), ['ServerSideApply=true', 'PruneLast=yes', 'Prune=false'], { 'argocd.argoproj.io/sync-options': 'Prune=false,CreateNamespace=true' });
    expect(findingsOf(knownSyncOptionsRule, [o])).toEqual(['[annotation:CreateNamespace=true]', '[application:Prune=false]', '[application:PruneLast=yes]']);
  });
  test('Replace, Force and CreateNamespace need a reason (suppressible)', () => {
    const o = app(git('main'), ['Replace=true', 'Force=true', 'CreateNamespace=true', 'PruneLast=true']);
    expect(findingsOf(dangerousSyncOptionsRule, [o])).toEqual(['[application:CreateNamespace=true]', '[application:Force=true]', '[application:Replace=true]']);
    expect(dangerousSyncOptionsRule.suppressible).toBe(true);
    const annotated = namespace('x', undefined, { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false,Replace=true' });
    expect(findingsOf(dangerousSyncOptionsRule, [annotated])).toEqual(['[annotation:Replace=true]']);
  });
});

describe('HB-ARGO-007 prune protection', () => {
  const synced = (o: KubeObject) => findingsOf(pruneProtectionRule, [o, app(git('main'))]);
  test('a Namespace without Prune=false and Delete=false, when ArgoCD syncs the app', () => {
    expect(synced(namespace('x', undefined, { 'argocd.argoproj.io/sync-options': 'Delete=false' }))).toEqual(['[missing:Prune=false]']);
    expect(synced(namespace('x'))).toEqual(['[missing:Delete=false]', '[missing:Prune=false]']);
    expect(synced(namespace('x', undefined, { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' }))).toEqual([]);
    // No Application: nothing prunes.
    expect(findingsOf(pruneProtectionRule, [namespace('x')])).toEqual([]);
  });
});

describe('HB-ARGO-003 brace globs', () => {
  test('{a,b} in an AppProject is a wildcard', () => {
    const project: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'p', namespace: 'argocd' },
      spec: { sourceRepos: ['https://github.com/o/{homelab,evil}'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'a' }] },
    };
    expect(findingsOf(noWildcardProject, [project])).toEqual(['[sourceRepos:https://github.com/o/{homelab,evil}]']);
  });
});
