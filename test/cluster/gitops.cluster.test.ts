import { distObjectsOf, ensureDistApplied, title } from './dist';
import { dryRunApply, liveObject } from './kube';

const argoObjects = distObjectsOf(['Application', 'AppProject']);

beforeAll(() => ensureDistApplied());

describe('ArgoCD Applications and AppProjects on a real API server with the ArgoCD v2.14.21 CRDs', () => {
  test('dist/ holds the root Application, the projects and an Application per folder and chart', () => {
    expect(argoObjects.filter((o) => o.object.kind === 'AppProject').length).toBeGreaterThanOrEqual(4);
    expect(argoObjects.filter((o) => o.object.kind === 'Application').length).toBeGreaterThanOrEqual(16);
  });

  test.each(argoObjects.map((o) => [title(o.object), o] as const))(
    '%s: stored as argoproj.io/v1alpha1 with exactly our spec and annotations (nothing pruned or defaulted)',
    (_, { file, object }) => {
      const live = liveObject(file);
      expect(live.apiVersion).toBe('argoproj.io/v1alpha1');
      expect(live.spec).toEqual((object as any).spec);
      expect(live.metadata.annotations ?? {}).toEqual(object.metadata.annotations ?? {});
    },
  );

  test('canary: the CRD schema rejects an Application without a destination by the same path', () => {
    const r = dryRunApply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'canary-invalid', namespace: 'argocd' },
      spec: { project: 'baseline-root', source: { repoURL: 'https://example.com/r', path: 'x', targetRevision: 'main' } },
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/spec\.destination: Required value/);
  });
});
