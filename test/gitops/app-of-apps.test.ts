import { ApiObject, App, Chart } from 'cdk8s';
import {
  AppOfApps,
  AppOfAppsProps,
  ApplicationWave,
  DefaultDenyPolicies,
  HardenedNamespace,
  HelmReleaseProps,
  KubeObject,
  assignFolder,
  collectManifests,
} from '../../lib';
import { crdSchema, schemaErrors } from '../secrets/crd-schema';
import { all, find, synthManifests } from '../util';

const REPO = 'https://github.com/o/homelab';
const CHARTS = 'https://charts.example.com';
const WAVE = 'argocd.argoproj.io/sync-wave';
const OPTIONS = 'argocd.argoproj.io/sync-options';

interface Build {
  /** Extra objects, built before the AppOfApps reads the manifests. */
  extra?: (app: App) => void;
  props?: Partial<AppOfAppsProps>;
  /** Called with the AppOfApps once it exists. */
  after?: (root: AppOfApps, app: App) => void;
}

/** Namespaces `apps` and `tools` with their default-deny policies, then the AppOfApps over them. */
function synth(b: Build = {}) {
  return synthManifests((app) => {
    for (const name of ['apps', 'tools']) {
      const c = new Chart(app, name);
      new DefaultDenyPolicies(c, 'Network', { namespace: new HardenedNamespace(c, 'Namespace', { name }) });
    }
    b.extra?.(app);
    const root = new AppOfApps(new Chart(app, 'gitops'), 'Root', { manifests: collectManifests(app), repoURL: REPO, targetRevision: 'main', ...b.props });
    b.after?.(root, app);
  });
}
const objects = (b: Build = {}) => synth(b).map((m) => m.object);

function raw(app: App, chart: string, o: KubeObject): ApiObject {
  return new ApiObject(app.node.tryFindChild(chart) as Chart ?? new Chart(app, chart), `${o.kind}-${o.metadata.name}`, o);
}
const externalSecret = (ns: string): KubeObject => ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 's', namespace: ns }, spec: {} });
const release = (r: Partial<HelmReleaseProps> = {}): HelmReleaseProps => ({ name: 'thing', repoURL: CHARTS, chart: 'thing', version: '1.2.3', namespace: 'tools', ...r });

describe('AppOfApps', () => {
  test('the root folder holds one Application per other folder, the root Application and the projects, all in argocd', () => {
    const manifests = synth();
    const root = manifests.filter((m) => m.folder === '_argocd-root');
    expect(root.map((m) => `${m.object.kind}/${m.object.metadata.name}`).sort()).toEqual([
      'AppProject/baseline-cluster',
      'AppProject/baseline-namespaces',
      'AppProject/baseline-root',
      'Application/dist-apps',
      'Application/dist-argocd-root',
      'Application/dist-cluster',
      'Application/dist-tools',
    ]);
    expect(root.every((m) => m.object.metadata.namespace === 'argocd')).toBe(true);
  });

  test('every folder has exactly one Application, pointing at dist/<folder> at the pinned revision', () => {
    const manifests = synth();
    const apps = all(manifests.map((m) => m.object), 'Application');
    const folders = [...new Set(manifests.map((m) => m.folder))].sort();
    expect(folders).toEqual(['_argocd-root', '_cluster', 'apps', 'tools']);
    for (const folder of folders) {
      const owners = apps.filter((a) => a.spec.source.path === `dist/${folder}`);
      expect(owners).toHaveLength(1);
      expect(owners[0].spec.source).toEqual({ repoURL: REPO, path: `dist/${folder}`, targetRevision: 'main' });
    }
  });

  test('a new namespace gets its Application and a place in the project without any GitOps code', () => {
    const o = objects({ extra: (app) => new HardenedNamespace(new Chart(app, 'new'), 'Namespace', { name: 'newcomer' }) });
    // A Namespace alone lives in _cluster; its first namespaced object opens the folder.
    const withObject = objects({
      extra: (app) => raw(app, 'new', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'newcomer' } }),
    });
    expect(all(o, 'Application').map((a) => a.metadata.name)).not.toContain('dist-newcomer');
    expect(find(withObject, 'Application', 'dist-newcomer').spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'newcomer' });
    expect(find(withObject, 'AppProject', 'baseline-namespaces').spec.destinations.map((d: any) => d.namespace)).toEqual(['apps', 'newcomer', 'tools']);
  });

  test('projects: least privilege computed from what the folders hold', () => {
    const o = objects();
    expect(find(o, 'AppProject', 'baseline-cluster').spec).toEqual({
      description: expect.any(String),
      sourceRepos: [REPO],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }],
      namespaceResourceBlacklist: [{ group: '*', kind: '*' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    });
    expect(find(o, 'AppProject', 'baseline-namespaces').spec).toEqual({
      description: expect.any(String),
      sourceRepos: [REPO],
      destinations: ['apps', 'tools'].map((namespace) => ({ server: 'https://kubernetes.default.svc', namespace })),
      namespaceResourceWhitelist: [{ group: 'networking.k8s.io', kind: 'NetworkPolicy' }],
    });
    expect(find(o, 'AppProject', 'baseline-root').spec).toEqual({
      description: expect.any(String),
      sourceRepos: [REPO],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }],
      namespaceResourceWhitelist: [
        { group: 'argoproj.io', kind: 'AppProject' },
        { group: 'argoproj.io', kind: 'Application' },
      ],
    });
    for (const a of all(o, 'Application')) expect(a.spec.project).not.toBe('default');
  });

  test('waves: projects, then the cluster folder and plain namespace folders, then folders with custom resources', () => {
    const o = objects({ extra: (app) => raw(app, 'apps', externalSecret('apps')) });
    for (const p of all(o, 'AppProject')) expect(p.metadata.annotations[WAVE]).toBe('-3');
    expect(find(o, 'Application', 'dist-cluster').metadata.annotations[WAVE]).toBe('-1');
    expect(find(o, 'Application', 'dist-tools').metadata.annotations[WAVE]).toBe('-1');
    expect(find(o, 'Application', 'dist-apps').metadata.annotations[WAVE]).toBe('0');
    // ArgoCD 2.14 ignores SkipDryRunOnMissingResource in syncOptions: the custom resources carry it (next test).
    for (const a of all(o, 'Application')) expect(a.spec.syncPolicy.syncOptions.join()).not.toContain('SkipDryRunOnMissingResource');
    expect(find(o, 'Application', 'dist-argocd-root').metadata.annotations).toBeUndefined();
  });

  test('objects in the folders get their wave and prune protection', () => {
    const o = objects({ extra: (app) => raw(app, 'apps', externalSecret('apps')) });
    expect(find(o, 'Namespace', 'apps').metadata.annotations).toEqual({ [WAVE]: '-3', [OPTIONS]: 'Prune=false,Delete=false' });
    expect(find(o, 'NetworkPolicy', 'default-deny-all', 'apps').metadata.annotations).toEqual({ [OPTIONS]: 'Prune=false,Delete=false' });
    expect(find(o, 'NetworkPolicy', 'allow-dns', 'apps').metadata.annotations).toBeUndefined();
    // A custom resource skips only its own dry run: its CRD may come from a chart of the same wave.
    expect(find(o, 'ExternalSecret', 's', 'apps').metadata.annotations).toEqual({ [WAVE]: '-1', [OPTIONS]: 'SkipDryRunOnMissingResource=true' });
  });

  test('sync options an object already carries are kept', () => {
    const o = objects({
      extra: (app) => raw(app, 'x', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', annotations: { [OPTIONS]: 'ServerSideApply=true, Prune=false' } } }),
    });
    expect(find(o, 'Namespace', 'x').metadata.annotations[OPTIONS]).toBe('ServerSideApply=true,Prune=false,Delete=false');
  });

  test('a Helm release: its own Application at an exact version, in platform-helm with its repo, namespace and kinds', () => {
    const o = objects({
      props: {
        helmReleases: [
          release({
            clusterResources: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', reason: 'watches the things in every namespace' }],
          }),
        ],
      },
    });
    const app = find(o, 'Application', 'thing', 'argocd');
    expect(app.spec.project).toBe('platform-helm');
    expect(app.spec.source).toEqual({ repoURL: CHARTS, chart: 'thing', targetRevision: '1.2.3', helm: { releaseName: 'thing' } });
    expect(app.spec.destination.namespace).toBe('tools');
    expect(app.metadata.annotations).toEqual({
      [WAVE]: String(ApplicationWave.HELM_WORKLOADS),
      'baseline.homelab.dev/exemption.cluster-resources': '{"rbac.authorization.k8s.io/ClusterRole":"watches the things in every namespace"}',
    });
    expect(find(o, 'AppProject', 'platform-helm').spec).toEqual({
      description: expect.any(String),
      sourceRepos: [CHARTS],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'tools' }],
      clusterResourceWhitelist: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }],
    });
  });

  test('every Application and AppProject is valid for the pinned ArgoCD CRDs (nothing the API server would prune)', () => {
    const o = objects({ props: { helmReleases: [release()] } });
    const schemas = {
      Application: crdSchema('argo-cd-v2.14.21/application-crd.yaml', 'v1alpha1'),
      AppProject: crdSchema('argo-cd-v2.14.21/appproject-crd.yaml', 'v1alpha1'),
    };
    for (const kind of ['Application', 'AppProject'] as const) {
      for (const x of all(o, kind)) expect(schemaErrors(schemas[kind], x)).toEqual([]);
    }
  });

  describe('fails if', () => {
    test('the git revision is HEAD or empty', () => {
      for (const targetRevision of ['HEAD', '']) {
        expect(() => synth({ props: { targetRevision } })).toThrow(`[gitops/Root] git targetRevision must be an explicit branch, tag or commit: ${JSON.stringify(targetRevision)}.`);
      }
    });

    test('a Helm version is a range (the message names the Application)', () => {
      expect(() => synth({ props: { helmReleases: [release({ version: '^1.2.0' })] } })).toThrow(
        '[gitops/Root/thing] Helm chart version must be exact: "^1.2.0".',
      );
    });

    test('a hand-written Application syncs a folder the generated Applications already sync (its pinning and project: HB-ARGO-*)', () => {
      const source = { repoURL: `${REPO}.git`, path: 'dist/tools/', targetRevision: 'main' };
      expect(() =>
        synth({ extra: (a) => raw(a, 'apps', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'e', namespace: 'apps' }, spec: { project: 'p', source } }) }),
      ).toThrow(/\[apps\/Application-e\] Application "e" syncs dist\/tools\/, which the generated Application of that folder already syncs/);
    });

    test('an object is written to two folders (two Applications would claim it)', () => {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'apps' } };
      expect(() =>
        synth({
          extra: (app) => {
            raw(app, 'apps', cm);
            assignFolder(raw(app, 'copy', cm), '_copy');
          },
        }),
      ).toThrow(/\[apps\/ConfigMap-c\] ConfigMap\/apps\/c is also written to dist\/_copy by copy\/ConfigMap-c, so two Applications would claim it/);
    });

    test('a folder mixes scopes or namespaces', () => {
      expect(() => synth({ extra: (app) => assignFolder(new HardenedNamespace(new Chart(app, 'odd'), 'Namespace', { name: 'odd' }), 'apps') })).toThrow(
        /dist\/apps mixes cluster-scoped \(Namespace\) and namespaced objects/,
      );
      expect(() =>
        synth({
          extra: (app) => {
            const c = new Chart(app, 'shared');
            assignFolder(c, '_shared');
            raw(app, 'shared', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'apps' } });
            raw(app, 'shared', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'tools' } });
          },
        }),
      ).toThrow(/dist\/_shared holds objects of several namespaces \(apps, tools\)/);
    });

    test('something else is sent to the root folder', () => {
      expect(() => synth({ extra: (app) => assignFolder(raw(app, 'apps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'argocd' } }), '_argocd-root') })).toThrow(
        /\[apps\/ConfigMap-c\] ConfigMap "c" is in the root folder dist\/_argocd-root/,
      );
    });

    test('an object is added after the AppOfApps read the manifests', () => {
      expect(() => synth({ after: (_, app) => raw(app, 'apps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'apps' } }) })).toThrow(
        /apps\/ConfigMap-late was added after the AppOfApps read the manifests.*Fix: build it before buildGitOps\(\)/,
      );
    });

    test('an object sets a wave or sync option that contradicts the baseline', () => {
      const ns = (annotations: Record<string, string>) => (app: App) => raw(app, 'x', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', annotations } });
      expect(() => synth({ extra: ns({ [WAVE]: '5' }) })).toThrow(
        /\[x\/Namespace-x\] Namespace "x" sets argocd.argoproj.io\/sync-wave: "5"\. Allowed: "-3"/,
      );
      expect(() => synth({ extra: ns({ [OPTIONS]: 'Prune=true' }) })).toThrow(/sets argocd.argoproj.io\/sync-options: "Prune=true"\. Allowed: "Prune=false,Delete=false"/);
    });

    test('a Helm release installs into a namespace dist/ does not create', () => {
      expect(() => synth({ props: { helmReleases: [release({ namespace: 'nowhere' })] } })).toThrow(
        '[gitops/Root/thing] Helm release installs into a namespace dist/ does not create: "nowhere". Allowed: one of the namespaces in dist/: apps, tools.',
      );
    });

    test('a Helm release syncs before its namespace exists', () => {
      expect(() => synth({ props: { helmReleases: [release({ wave: ApplicationWave.PROJECTS })] } })).toThrow(
        '[gitops/Root/thing] Helm release syncs before its namespace (created by dist/_cluster in wave -1): -3. Allowed: a wave of at least -1.',
      );
    });

    test('a Helm release installs CRDs that a folder uses in an earlier wave', () => {
      expect(() => synth({ extra: (app) => raw(app, 'apps', externalSecret('apps')), props: { helmReleases: [release({ crdGroups: ['external-secrets.io'] })] } })).toThrow(
        '[gitops/Root/thing] Helm release installs the CRDs of external-secrets.io, which dist/apps uses in an earlier wave (0): 1. Allowed: a wave of at most 0. Fix: set wave: ApplicationWave.CUSTOM_RESOURCES (or lower) on the release',
      );
    });

    test('a cluster-scoped kind of a chart has no real reason', () => {
      expect(() => synth({ props: { helmReleases: [release({ clusterResources: [{ group: '', kind: 'Namespace', reason: 'TODO' }] })] } })).toThrow(
        /\[gitops\/Root\] cluster resource \/Namespace of thing needs a written reason: "TODO"/,
      );
    });

    test('two Applications would share a name', () => {
      expect(() => synth({ props: { helmReleases: [release({ name: 'dist-apps' })] } })).toThrow(
        '[gitops/Root/dist-apps] Application name already used: "dist-apps".',
      );
    });

    test('the root folder could be a namespace or is the cluster folder', () => {
      for (const folder of ['argocd-root', '_cluster', '_Root']) {
        expect(() => synth({ props: { folder } })).toThrow(`[gitops/Root] invalid root folder: ${JSON.stringify(folder)}.`);
      }
    });
  });
});
