import { App, Chart } from 'cdk8s';
import { AppOfApps, DefaultDenyPolicies, HardenedNamespace, KubeObject, Port, collectManifests } from '../../lib';
import { all, find, synthChart } from '../util';

// Every name the library derives can be set, so an existing cluster's objects are adopted, not pruned and recreated.
describe('DefaultDenyPolicies names', () => {
  test('default: default-deny-all, allow-same-namespace, allow-dns', () => {
    const names = all(synthChart((c) => new DefaultDenyPolicies(c, 'n', { namespace: 'apps' })), 'NetworkPolicy').map((p) => p.metadata.name);
    expect(names.sort()).toEqual(['allow-dns', 'allow-same-namespace', 'default-deny-all']);
  });

  test('the three baseline policies under kept names, with the same content', () => {
    const objects = synthChart((c) => new DefaultDenyPolicies(c, 'n', { namespace: 'apps', names: { defaultDenyAll: 'deny-all', allowSameNamespace: 'same-ns', allowDns: 'dns' } }));
    expect(find(objects, 'NetworkPolicy', 'deny-all', 'apps').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(find(objects, 'NetworkPolicy', 'same-ns', 'apps').spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(find(objects, 'NetworkPolicy', 'dns', 'apps').spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
  });

  test.each([
    ['two baseline names are equal', { names: { defaultDenyAll: 'x', allowDns: 'x' } }, /two baseline policies share a name/],
    ['an allowance takes a kept baseline name', { names: { allowDns: 'dns' }, more: (p: DefaultDenyPolicies) => p.allowTailnetIngress([Port.tcp(80)], { name: 'dns' }) }, /NetworkPolicy name already used in this namespace: "dns"/],
    ['a kept name is not a DNS label', { names: { defaultDenyAll: 'Deny_All' } }, /invalid NetworkPolicy name: "Deny_All"/],
  ])('fails if %s', (_what, props: any, message) => {
    expect(() => synthChart((c) => {
      const p = new DefaultDenyPolicies(c, 'n', { namespace: 'apps', names: props.names });
      props.more?.(p);
    })).toThrow(message);
  });
});

describe('AppOfApps names and the Helm release name', () => {
  function gitops(props: Partial<ConstructorParameters<typeof AppOfApps>[2]> = {}): KubeObject[] {
    const app = new App();
    const chart = new Chart(app, 'apps');
    new DefaultDenyPolicies(chart, 'net', { namespace: new HardenedNamespace(chart, 'ns', { name: 'apps' }) });
    new AppOfApps(new Chart(app, 'gitops'), 'Root', {
      manifests: collectManifests(app),
      repoURL: 'https://github.com/example/homelab.git',
      targetRevision: 'main',
      helmReleases: [{ name: 'exporter-app', repoURL: 'https://charts.example.org', chart: 'exporter', version: '1.0.0', namespace: 'apps' }],
      ...props,
    });
    return collectManifests(app).map((m) => m.object);
  }

  test('default: dist-<folder> Applications, the baseline project names, release name = Application name', () => {
    const objects = gitops();
    expect(all(objects, 'Application').map((a) => a.metadata.name).sort()).toEqual(['dist-apps', 'dist-argocd-root', 'dist-cluster', 'exporter-app']);
    expect(find(objects, 'Application', 'exporter-app', 'argocd').spec.source.helm.releaseName).toBe('exporter-app');
    expect(find(objects, 'Application', 'exporter-app', 'argocd').spec.project).toBe('platform-helm');
  });

  test('kept names: folder Applications (the root too), AppProjects (and the Applications that refer to them), the release name', () => {
    const objects = gitops({
      applicationNames: new Map([['apps', 'apps'], ['_argocd-root', 'root']]),
      projectNames: { helm: 'charts', namespaces: 'namespaces', root: 'root' },
      helmReleases: [{ name: 'exporter-app', releaseName: 'exporter', repoURL: 'https://charts.example.org', chart: 'exporter', version: '1.0.0', namespace: 'apps' }],
    });
    expect(all(objects, 'Application').map((a) => a.metadata.name).sort()).toEqual(['apps', 'dist-cluster', 'exporter-app', 'root']);
    expect(all(objects, 'AppProject').map((a) => a.metadata.name).sort()).toEqual(['baseline-cluster', 'charts', 'namespaces', 'root']);
    expect(find(objects, 'Application', 'apps', 'argocd').spec.project).toBe('namespaces');
    expect(find(objects, 'Application', 'root', 'argocd').spec.source.path).toBe('dist/_argocd-root');
    const helm = find(objects, 'Application', 'exporter-app', 'argocd').spec;
    expect(helm.project).toBe('charts');
    expect(helm.source.helm.releaseName).toBe('exporter');
  });

  test.each([
    ['a kept Application name collides with another', { applicationNames: new Map([['apps', 'exporter-app']]) }, /Application name already used: "exporter-app"/],
    ['a release name is not a DNS name', { helmReleases: [{ name: 'x', releaseName: 'Bad Name', repoURL: 'https://charts.example.org', chart: 'exporter', version: '1.0.0', namespace: 'apps' }] }, /invalid Helm release name: "Bad Name"/],
  ])('fails if %s', (_what, props: any, message) => {
    expect(() => gitops(props)).toThrow(message);
  });
});
