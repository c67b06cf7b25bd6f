import { App } from 'cdk8s';
import { ARGOCD_SETTINGS, HELM_RELEASES } from '../../homelab/gitops';
import { buildHomelab } from '../../homelab/index';
import { synthesizeHomelab } from '../../homelab/synthesis';
import { SERVICES } from '../../homelab/services';
import {
  DiffExitCode, HelmReleaseProps, KubeObject, RENDERED_VALUES_ANNOTATION, argoCdValues, baselineRules, checkRules, collectManifests, diffExitCode, diffObjects,
} from '../../lib';
import { renderSections } from '../../lib/report/security-report';
import { find } from '../util';

const CLUSTER_ADMIN_FOR_OPENCLAW = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'openclaw-cluster-admin' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'ServiceAccount', name: 'openclaw', namespace: 'openclaw' }],
};

/** The homelab's releases with argo-cd's values given an escape-hatch `extraObjects`. */
function withArgoExtraObjects(extraObjects: unknown[]): HelmReleaseProps[] {
  return HELM_RELEASES.map((r) => (r.name === 'argo-cd'
    ? { ...r, values: argoCdValues(ARGOCD_SETTINGS, { values: { extraObjects }, reason: 'attack: a values edit that slips a binding in' }) }
    : r));
}

const homelab = synthesizeHomelab();
const objects = homelab.manifests.map((m) => m.object);

describe('a cluster-admin binding slipped in through a chart\'s values is stopped', () => {
  test('for the OpenClaw ServiceAccount: synth refuses it, naming the rendered binding in the argo-cd chart', () => {
    // The AppOfApps reads every manifest while the homelab is built: that is where synth stops.
    expect(() => buildHomelab(new App(), SERVICES, withArgoExtraObjects([CLUSTER_ADMIN_FOR_OPENCLAW]))).toThrow(/cluster-admin.*ServiceAccount openclaw\/openclaw \(construct charts\/argo-cd\/objects\/ClusterRoleBinding--openclaw-cluster-admin\)/);
  });

  describe('for any other ServiceAccount (here argo-cd\'s own server)', () => {
    const toArgo = { ...CLUSTER_ADMIN_FOR_OPENCLAW, metadata: { name: 'argocd-server-cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'argo-cd-argocd-server', namespace: 'argocd' }] };
    const app = new App();
    buildHomelab(app, SERVICES, withArgoExtraObjects([toArgo]));
    const manifests = collectManifests(app);

    test('the binding is rendered into the argo-cd chart folder, so everything downstream sees it', () => {
      expect(manifests.find((x) => x.object.metadata.name === 'argocd-server-cluster-admin')?.folder).toBe('_chart-argo-cd');
    });

    test('synth refuses it: the rule pack (HB-RBAC-002, never acceptable as an upstream default) names it', () => {
      expect(() => checkRules(app, manifests, { rules: baselineRules() })).toThrow(/HB-RBAC-002[\s\S]*argocd-server-cluster-admin/);
    });

    test('npm run diff: the same change is a security widening (exit 2)', () => {
      const d = diffObjects(objects, manifests.map((x) => x.object));
      expect(diffExitCode(d)).toBe(DiffExitCode.SECURITY_WIDENING);
      expect(d.findings.some((f) => f.object.includes('argocd-server-cluster-admin') && f.impact === 'widening')).toBe(true);
    });
  });

  test('canary: the homelab as it is passes the rule pack (it was synthesized above) and diffs as no change against itself', () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(diffExitCode(diffObjects(objects, objects))).toBe(DiffExitCode.NO_CHANGE);
  });
});

describe('the rendered releases and the gaps are visible', () => {
  const sections = renderSections({ objects, risks: homelab.risks });

  test('infisical and kube-prometheus-stack stay Helm-source Applications, each with its reason in the report', () => {
    const releases = sections.get('chart-releases')!;
    expect(releases).toMatch(/`infisical` \| infisical-standalone@1\.7\.2 \| \*\*not rendered\*\*.*not available offline/);
    expect(releases).toMatch(/`kube-prometheus-stack` \| kube-prometheus-stack@82\.1\.0 \| \*\*not rendered\*\*.*fails its SHA256SUMS/);
    for (const r of ['argo-cd', 'external-secrets', 'authentik', 'trivy-operator']) {
      expect(releases).toMatch(new RegExp(`\`dist-chart-${r}\` \\| .* \\| rendered into \`dist/_chart-${r}\``));
    }
  });

  test('the rendered values are on the Application, exactly as helm rendered them', () => {
    const app = find(objects, 'Application', 'dist-chart-argo-cd', 'argocd');
    expect(JSON.parse(app.metadata.annotations[RENDERED_VALUES_ANNOTATION])).toEqual(argoCdValues(ARGOCD_SETTINGS).render(new App()));
  });

  test('the cluster-admin statement is computed: the argo-cd application controller has cluster-admin\'s powers and wildcards', () => {
    const powers = sections.get('cluster-powers')!;
    expect(powers).toMatch(/\*\*\d+ ServiceAccount\(s\) are effectively cluster-admin\*\*[^\n]*`argocd\/argocd-application-controller`/);
    expect(powers).toMatch(/\| `argocd\/argocd-application-controller` \| argo-cd \(argo-cd@7\.8\.0\) \| \*\*yes\*\* \| [^|]*`\* \*\/\*`[^|]* \| \*\*yes\*\* \|/);
  });

  test('canary: without the chart objects the statement says no ServiceAccount is cluster-admin', () => {
    const own = objects.filter((o: KubeObject) => !o.metadata.annotations?.['baseline.homelab.dev/rendered-from']);
    expect(renderSections({ objects: own }).get('cluster-powers')).toMatch(/^\*\*No ServiceAccount is effectively cluster-admin\*\*/);
  });
});
