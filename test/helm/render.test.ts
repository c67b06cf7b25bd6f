import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import { ChartValues, RenderedChart, chartCrdFolder, chartFolder, collectManifests } from '../../lib';
import { countingHelm, testRenderer } from './helm-tool';

const CLUSTER_KINDS = ['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'ClusterComplianceReport'].map((kind) => ({
  group: kind === 'ClusterComplianceReport' ? 'aquasecurity.github.io' : kind === 'CustomResourceDefinition' ? 'apiextensions.k8s.io' : 'rbac.authorization.k8s.io', kind,
}));

function trivy(renderer = testRenderer(), values?: ChartValues, clusterKinds = CLUSTER_KINDS) {
  const app = new App();
  const rendered = new RenderedChart(new Chart(app, 'charts'), 'trivy-operator', {
    release: 'trivy-operator', chart: 'trivy-operator', version: '0.32.0', namespace: 'monitoring', values, clusterKinds, renderer,
  });
  return { app, rendered };
}

describe('real helm renders a pinned chart into dist/ folders', () => {
  const helm = countingHelm();
  const renderer = testRenderer(helm);
  const first = trivy(renderer);

  test('helm ran once; CRDs go to the CRD folder, everything else to the release folder, each namespaced object in the release namespace', () => {
    expect(helm.runs()).toBe(1);
    expect(first.rendered.cached).toBe(false);
    const manifests = collectManifests(first.app);
    const crds = manifests.filter((m) => m.object.kind === 'CustomResourceDefinition');
    expect(crds.length).toBeGreaterThan(0);
    expect(new Set(crds.map((m) => m.folder))).toEqual(new Set([chartCrdFolder('trivy-operator')]));
    const rest = manifests.filter((m) => m.object.kind !== 'CustomResourceDefinition');
    expect(new Set(rest.map((m) => m.folder))).toEqual(new Set([chartFolder('trivy-operator')]));
    for (const m of rest.filter((x) => !['ClusterRole', 'ClusterRoleBinding', 'ClusterComplianceReport'].includes(x.object.kind))) expect(m.object.metadata.namespace).toBe('monitoring');
    // A cluster-scoped custom kind (its CRD says scope: Cluster) stays without a namespace.
    expect(rest.filter((m) => m.object.kind === 'ClusterComplianceReport').every((m) => m.object.metadata.namespace === undefined)).toBe(true);
    expect(first.rendered.crdGroups).toEqual(['aquasecurity.github.io']);
  });

  test('a second render with the same chart, values and helm comes from the cache: helm does not run', () => {
    const again = trivy(renderer);
    expect(again.rendered.cached).toBe(true);
    expect(helm.runs()).toBe(1);
    expect(collectManifests(again.app).map((m) => m.object)).toEqual(collectManifests(first.app).map((m) => m.object));
  });

  test('changed values are a cache miss: helm runs again and the change shows in the objects', () => {
    const changed = trivy(renderer, new ChartValues({ typed: { operator: { scanJobsConcurrentLimit: 7 } } }));
    expect(changed.rendered.cached).toBe(false);
    expect(helm.runs()).toBe(2);
    const cm = changed.rendered.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'trivy-operator-config') as any;
    expect(cm.data['scanJob.concurrentLimit'] ?? JSON.stringify(changed.rendered.objects)).toContain('7');
  });
});

describe('bad input fails the release with the chart, what failed and the fix', () => {
  test('a cluster-scoped kind the release does not declare is refused (a values change rendering a forbidden object)', () => {
    expect(() => trivy(testRenderer(), undefined, CLUSTER_KINDS.filter((k) => k.kind !== 'ClusterRoleBinding')))
      .toThrow(/\[charts\/trivy-operator\] release "trivy-operator", chart trivy-operator@0\.32\.0: renders a cluster-scoped ClusterRoleBinding .* the release does not declare.*Fix: change the values/);
  });

  test('an unknown typed values key is refused before helm runs', () => {
    const helm = countingHelm();
    expect(() => trivy(testRenderer(helm), new ChartValues({ typed: { operatr: { replicas: 1 } } }))).toThrow(/typed values key operatr is not a value the chart declares \(did you mean "operator"\?\)/);
    expect(helm.runs()).toBe(0);
  });

  test('helm failing names the release, chart and helm\'s own message', () => {
    // `required` in the chart's templates: an empty image repository makes helm itself fail.
    const values = new ChartValues({ typed: { trivy: { mode: { not: 'a string' } } }, unchecked: { values: { operator: { replicas: 'many' } }, reason: 'deliberately broken values to make helm template fail' } });
    const run = () => trivy(testRenderer(), values);
    expect(run).toThrow(/release "trivy-operator", chart trivy-operator@0\.32\.0: (helm template failed|helm rendered)/);
  });

  test('an object outside the release namespace is refused', () => {
    const values = new ChartValues({ typed: { operator: { namespace: 'kube-system' } } });
    // The chart then also renders the Namespace itself: undeclared, so refused first...
    expect(() => trivy(testRenderer(), values)).toThrow(/renders a cluster-scoped Namespace "kube-system" the release does not declare/);
    // ...and with Namespace declared, the objects inside it are refused.
    expect(() => trivy(testRenderer(), values, [...CLUSTER_KINDS, { group: '', kind: 'Namespace' }])).toThrow(/into namespace "kube-system", outside the release namespace/);
  });
});

test('the render cache lives outside the repository and is keyed, not named after the release', () => {
  const r = testRenderer();
  trivy(r);
  const files = fs.readdirSync(r.cacheDir!);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^[0-9a-f]{64}\.json$/);
});
