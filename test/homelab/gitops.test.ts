import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { buildHomelab } from '../../homelab';
import { KubeObject, inventoryFile, objectId, renderInventory } from '../../lib';
import { all, find, synthManifests } from '../util';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const WAVE = 'argocd.argoproj.io/sync-wave';
const OPTIONS = 'argocd.argoproj.io/sync-options';
const REPO = 'https://github.com/holdennguyen/homelab';

// The seed's Helm-managed services ("Image Provenance", "Vulnerability Scanning", "Pod Security Standards",
// "RBAC"), written out independently of the code: chart, exact version, namespace, official repository.
const HELM: Record<string, { chart: string; version: string; namespace: string; repoURL: string }> = {
  'argo-cd': { chart: 'argo-cd', version: '7.8.0', namespace: 'argocd', repoURL: 'https://argoproj.github.io/argo-helm' },
  'external-secrets': { chart: 'external-secrets', version: '0.20.4', namespace: 'external-secrets', repoURL: 'https://charts.external-secrets.io' },
  'kube-prometheus-stack': { chart: 'kube-prometheus-stack', version: '82.1.0', namespace: 'monitoring', repoURL: 'https://prometheus-community.github.io/helm-charts' },
  authentik: { chart: 'authentik', version: '2025.12.4', namespace: 'authentik', repoURL: 'https://charts.goauthentik.io' },
  infisical: { chart: 'infisical-standalone', version: '1.7.2', namespace: 'infisical', repoURL: 'https://dl.cloudsmith.io/public/infisical/helm-charts/helm/charts/' },
  'trivy-operator': { chart: 'trivy-operator', version: '0.32.0', namespace: 'monitoring', repoURL: 'https://aquasecurity.github.io/helm-charts/' },
};

const manifests = synthManifests((app) => buildHomelab(app));
const objects = manifests.map((m) => m.object);
const applications = all(objects, 'Application');
const app = (name: string) => find(objects, 'Application', name, 'argocd');
const wave = (o: KubeObject) => Number(o.metadata.annotations?.[WAVE] ?? 0);
const folderApp = (folder: string) => applications.find((a) => a.spec.source.path === `dist/${folder}`);
/** The releases that stay Helm-source Applications (homelab/charts.ts NOT_RENDERED), written out here. */
const NOT_RENDERED = ['infisical', 'kube-prometheus-stack'];
const RENDERED = Object.keys(HELM).filter((n) => !NOT_RENDERED.includes(n));
/** The values a release was rendered with, as its Application records them. */
const renderedValues = (name: string) => JSON.parse(app(`dist-chart-${name}`).metadata.annotations['baseline.homelab.dev/rendered-values']);

describe('homelab GitOps root', () => {
  test('every Helm-managed service at its exact chart version, from its official repository', () => {
    const helmApps = applications.filter((a) => a.spec.source.chart);
    expect(helmApps.map((a) => a.metadata.name).sort()).toEqual(NOT_RENDERED);
    for (const name of NOT_RENDERED) {
      const [a, h] = [app(name), HELM[name]];
      expect(a.spec.source).toMatchObject({ repoURL: h.repoURL, chart: h.chart, targetRevision: h.version, helm: { releaseName: name } });
      expect(a.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: h.namespace });
      expect(a.spec.project).toBe('platform-helm');
      expect(a.metadata.annotations['baseline.homelab.dev/exemption.not-rendered']).toMatch(/.{40,}/);
    }
    for (const name of RENDERED) {
      const [a, h] = [app(`dist-chart-${name}`), HELM[name]];
      expect(a.spec.source).toMatchObject({ repoURL: REPO, targetRevision: 'main', path: `dist/_chart-${name}` });
      expect(a.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: h.namespace });
      expect(a.spec.project).toBe(`chart-${name}`);
      expect(a.metadata.annotations['baseline.homelab.dev/rendered-chart']).toMatch(new RegExp(`^${h.chart}@${h.version.replace(/\./g, '\\.')} from ${h.repoURL.replace(/[./]/g, '\\$&')}, sha256:[0-9a-f]{64} \\(SHA256SUMS lines\\), helm v3\\.17\\.3 `));
    }
  });

  test('Trivy: ClientServer with the built-in server, 3 concurrent scan jobs, openclaw excluded (the report\'s "Vulnerability Scanning")', () => {
    expect(renderedValues('trivy-operator')).toEqual({
      trivy: { mode: 'ClientServer' },
      operator: { builtInTrivyServer: true, scanJobsConcurrentLimit: 3 },
      excludeNamespaces: 'openclaw',
    });
  });

  test('ArgoCD waits for child Applications between waves, tracks by annotation, keeps its CRDs', () => {
    const values = renderedValues('argo-cd');
    expect(values.configs.cm['resource.customizations.health.argoproj.io_Application']).toMatch(/hs.status = obj.status.health.status/);
    expect(values.configs.cm['application.resourceTrackingMethod']).toBe('annotation');
    expect(values.crds).toEqual({ install: true, keep: true });
    expect(renderedValues('external-secrets')).toEqual({ installCRDs: true });
  });

  test('git sources: the public repository over HTTPS at the protected branch main, never HEAD', () => {
    const gitApps = applications.filter((a) => !a.spec.source.chart);
    expect(gitApps.length).toBeGreaterThan(5);
    for (const a of gitApps) expect(a.spec.source).toMatchObject({ repoURL: REPO, targetRevision: 'main' });
  });

  test('every Application: automated prune + self-heal, server-side apply, one owner per object, named project', () => {
    for (const a of applications) {
      expect(a.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(a.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['ServerSideApply=true', 'FailOnSharedResource=true']));
      expect(a.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
      expect(['baseline-root', 'baseline-cluster', 'baseline-namespaces', 'platform-helm', ...RENDERED.map((r) => `chart-${r}`)]).toContain(a.spec.project);
      expect(a.metadata.finalizers).toBeUndefined();
    }
  });

  test('projects: the Helm project allows only the chart repositories, their namespaces and the kinds listed with reasons', () => {
    const helm = find(objects, 'AppProject', 'platform-helm', 'argocd').spec;
    expect(helm.sourceRepos).toEqual(NOT_RENDERED.map((n) => HELM[n].repoURL).sort());
    expect(helm.destinations.map((d: any) => d.namespace)).toEqual(['infisical', 'monitoring']);
    expect(helm.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`)).toEqual([
      'admissionregistration.k8s.io/MutatingWebhookConfiguration',
      'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
      'apiextensions.k8s.io/CustomResourceDefinition',
      'networking.k8s.io/IngressClass',
      'rbac.authorization.k8s.io/ClusterRole',
      'rbac.authorization.k8s.io/ClusterRoleBinding',
    ]);
    for (const name of [...NOT_RENDERED, ...RENDERED.map((r) => `dist-chart-${r}`)]) {
      const reasons = app(name).metadata.annotations['baseline.homelab.dev/exemption.cluster-resources'];
      expect(JSON.parse(reasons)['rbac.authorization.k8s.io/ClusterRole']).toMatch(/.{20,}/);
    }
    // A rendered chart's project: this repository, its namespace, exactly the kinds its folders hold.
    for (const name of RENDERED) {
      const spec = find(objects, 'AppProject', `chart-${name}`, 'argocd').spec;
      const held = manifests.filter((m) => m.folder === `_chart-${name}` || m.folder === `_chart-${name}-crds`);
      expect(spec.sourceRepos).toEqual([REPO]);
      expect(spec.destinations.map((d: any) => d.namespace)).toEqual([HELM[name].namespace]);
      const kinds = (namespaced: boolean) => [...new Set(held.filter((m) => !!m.object.metadata.namespace === namespaced).map((m) => `${m.object.apiVersion.includes('/') ? m.object.apiVersion.split('/')[0] : ''}/${m.object.kind}`))].sort();
      expect((spec.clusterResourceWhitelist ?? []).map((k: any) => `${k.group}/${k.kind}`).sort()).toEqual(kinds(false));
      expect((spec.namespaceResourceWhitelist ?? []).map((k: any) => `${k.group}/${k.kind}`).sort()).toEqual(kinds(true));
    }
    // The dist/ projects never grant a wildcard and never reach outside the repository.
    for (const name of ['baseline-root', 'baseline-cluster', 'baseline-namespaces']) {
      const spec = find(objects, 'AppProject', name, 'argocd').spec;
      expect(spec.sourceRepos).toEqual([REPO]);
      expect(JSON.stringify(spec.clusterResourceWhitelist ?? [])).not.toContain('*');
    }
    const cluster = find(objects, 'AppProject', 'baseline-cluster', 'argocd').spec;
    expect(cluster.namespaceResourceBlacklist).toEqual([{ group: '*', kind: '*' }]);
    expect(cluster.clusterResourceWhitelist).toContainEqual({ group: 'external-secrets.io', kind: 'ClusterSecretStore' });
    expect(find(objects, 'AppProject', 'baseline-namespaces', 'argocd').spec.clusterResourceWhitelist).toBeUndefined();
  });

  test('order: namespaces and CRDs, then the store, then ExternalSecrets, then workloads', () => {
    const store = find(objects, 'ClusterSecretStore', 'infisical');
    const clusterApp = folderApp('_cluster')!;
    // Inside dist/_cluster: Namespaces before the store.
    for (const ns of all(objects, 'Namespace')) expect(wave(ns)).toBeLessThan(wave(store));
    // ESO (the CRDs) syncs no later than the folder holding the store; the store's folder before every ExternalSecret's.
    expect(wave(app('dist-chart-external-secrets-crds'))).toBeLessThan(wave(clusterApp));
    expect(wave(app('infisical'))).toBeLessThanOrEqual(wave(clusterApp));
    const externalSecrets = manifests.filter((m) => m.object.kind === 'ExternalSecret');
    expect(externalSecrets.length).toBeGreaterThan(2);
    for (const es of externalSecrets) {
      expect(wave(folderApp(es.folder)!)).toBeGreaterThan(wave(clusterApp));
      // Inside each folder: ExternalSecrets before the workloads that read their Secrets.
      for (const w of manifests.filter((m) => m.folder === es.folder && ['Deployment', 'StatefulSet'].includes(m.object.kind))) {
        expect(wave(es.object)).toBeLessThan(wave(w.object));
      }
    }
    // Helm workloads that read an ExternalSecret of their namespace (authentik-secret, grafana-secret) come after it.
    for (const [name, ns] of [['dist-chart-authentik', 'authentik'], ['kube-prometheus-stack', 'monitoring']]) {
      expect(wave(app(name))).toBeGreaterThan(wave(folderApp(ns)!));
    }
    // Projects before every Application.
    for (const p of all(objects, 'AppProject')) for (const a of applications) expect(wave(p)).toBeLessThan(wave(a));
  });

  test('prune safety: every Namespace and every default-deny policy is neither pruned nor deleted with its Application', () => {
    const protectedObjects = [...all(objects, 'Namespace'), ...all(objects, 'NetworkPolicy').filter((p) => p.metadata.name === 'default-deny-all')];
    expect(protectedObjects.length).toBeGreaterThanOrEqual(16);
    for (const o of protectedObjects) expect(o.metadata.annotations[OPTIONS].split(',')).toEqual(expect.arrayContaining(['Prune=false', 'Delete=false']));
  });
});

describe('dist/ on disk', () => {
  const folders = fs.readdirSync(DIST).filter((f) => fs.statSync(path.join(DIST, f)).isDirectory()).sort();
  const rootApps = fs
    .readdirSync(path.join(DIST, '_argocd-root'))
    .map((f) => parse(fs.readFileSync(path.join(DIST, '_argocd-root', f), 'utf8')))
    .filter((o) => o.kind === 'Application');

  test('every folder has exactly one owning Application, and every git Application points at an existing folder', () => {
    for (const folder of folders) {
      expect([folder, rootApps.filter((a) => a.spec.source.path === `dist/${folder}`).length]).toEqual([folder, 1]);
    }
    for (const a of rootApps.filter((x) => !x.spec.source.chart)) {
      expect(fs.existsSync(path.join(ROOT, a.spec.source.path))).toBe(true);
    }
  });

  test('no object is in two folders', () => {
    const ids = folders.flatMap((folder) =>
      fs.readdirSync(path.join(DIST, folder)).map((f) => objectId(parse(fs.readFileSync(path.join(DIST, folder, f), 'utf8')))),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('the committed inventory is what synth produces (a removed object must show up in the same change)', () => {
    const committed = fs.readFileSync(path.join(ROOT, inventoryFile('dist')), 'utf8');
    expect(committed).toBe(renderInventory(manifests));
  });
});

describe('projects are exactly least privilege (derived from what each folder holds, not copied from output)', () => {
  const project = (name: string) => find(objects, 'AppProject', name, 'argocd').spec;
  const byKind = (a: any, b: any) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`);
  const kindsIn = (folders: (f: string) => boolean) =>
    [...new Set(manifests.filter((m) => folders(m.folder)).map((m) => {
      const group = m.object.apiVersion.includes('/') ? m.object.apiVersion.split('/')[0] : '';
      return JSON.stringify({ group, kind: m.object.kind });
    }))].map((k) => JSON.parse(k)).sort(byKind);
  const sortKinds = (l: any[]) => [...l].sort(byKind);
  const SERVER = 'https://kubernetes.default.svc';
  const namespaceFolders = [...new Set(manifests.map((m) => m.folder))].filter((f) => !f.startsWith('_')).sort();

  test('baseline-root: only Applications and AppProjects, only in argocd', () => {
    const spec = project('baseline-root');
    expect(spec.destinations).toEqual([{ namespace: 'argocd', server: SERVER }]);
    expect(sortKinds(spec.namespaceResourceWhitelist)).toEqual(kindsIn((f) => f === '_argocd-root'));
    expect(spec.clusterResourceWhitelist).toBeUndefined();
  });

  test('baseline-cluster: exactly the cluster-scoped kinds of _cluster, and no namespaced kind at all', () => {
    const spec = project('baseline-cluster');
    expect(sortKinds(spec.clusterResourceWhitelist)).toEqual(kindsIn((f) => f === '_cluster'));
    expect(spec.destinations).toEqual([{ namespace: '*', server: SERVER }]);
    expect(spec.namespaceResourceBlacklist).toEqual([{ group: '*', kind: '*' }]);
    expect(spec.namespaceResourceWhitelist).toBeUndefined();
  });

  test('baseline-namespaces: exactly the namespaces with a folder and the kinds those folders hold', () => {
    const spec = project('baseline-namespaces');
    expect(spec.destinations).toEqual(namespaceFolders.map((namespace) => ({ namespace, server: SERVER })));
    expect(sortKinds(spec.namespaceResourceWhitelist)).toEqual(kindsIn((f) => namespaceFolders.includes(f)));
    expect(spec.clusterResourceWhitelist).toBeUndefined();
  });

  test('each Application is in the one project its source implies', () => {
    for (const a of applications) {
      const p = a.spec.source.path as string | undefined;
      const chart = /^dist\/_chart-(.+?)(-crds)?$/.exec(p ?? '');
      const expected = a.spec.source.chart ? 'platform-helm'
        : chart ? `chart-${chart[1]}`
        : p === 'dist/_argocd-root' ? 'baseline-root'
          : p === 'dist/_cluster' ? 'baseline-cluster'
            : 'baseline-namespaces';
      expect(`${a.metadata.name}:${a.spec.project}`).toBe(`${a.metadata.name}:${expected}`);
    }
  });
});
