import { distObjects, ensureDistApplied } from './dist';
import { kubectl } from './kube';

const ARGO_KINDS = ['Application', 'AppProject'];
const argoObjects = distObjects().filter((o) => ARGO_KINDS.includes(o.object.kind));

beforeAll(() => ensureDistApplied());

describe('ArgoCD Applications and AppProjects on a real API server with the ArgoCD v2.14.21 CRDs', () => {
  test('dist/ holds the root Application, the projects and an Application per folder and chart', () => {
    expect(argoObjects.filter((o) => o.object.kind === 'AppProject').length).toBeGreaterThanOrEqual(4);
    expect(argoObjects.filter((o) => o.object.kind === 'Application').length).toBeGreaterThanOrEqual(16);
  });

  test.each(argoObjects.map((o) => [`${o.object.kind} ${o.object.metadata.namespace}/${o.object.metadata.name}`, o.file]))(
    '%s: stored as argoproj.io/v1alpha1 with exactly our spec and annotations (nothing pruned or defaulted)',
    (_, file) => {
      const sent = argoObjects.find((o) => o.file === file)!.object as any;
      const r = kubectl(['get', '-o', 'json', '-f', file]);
      expect(r.code).toBe(0);
      const live = JSON.parse(r.stdout);
      expect(live.apiVersion).toBe('argoproj.io/v1alpha1');
      expect(live.spec).toEqual(sent.spec);
      expect(live.metadata.annotations ?? {}).toEqual(sent.metadata.annotations ?? {});
    },
  );

  test('canary: the CRD schema rejects an Application without a destination by the same path', () => {
    const bad = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'canary-invalid', namespace: 'argocd' },
      spec: { project: 'baseline-root', source: { repoURL: 'https://example.com/r', path: 'x', targetRevision: 'main' } },
    };
    const r = kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], JSON.stringify(bad));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/spec\.destination: Required value/);
  });
});
