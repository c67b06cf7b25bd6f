import { App, Chart } from 'cdk8s';
import { DefaultDenyPolicies, HardenedNamespace } from '../lib';
import { buildGitOps } from './gitops';
import { NAMESPACES, NamespaceSpec } from './namespaces';
import { buildRbac } from './rbac';
import { buildSecrets } from './secrets';
import { suppressHomelab } from './suppressions';
import { buildWorkloads } from './workloads';

/** Builds the homelab into `app`: one chart per namespace, returned by namespace name. */
export function buildHomelab(app: App, namespaces: readonly NamespaceSpec[] = NAMESPACES): Map<string, Chart> {
  const charts = new Map<string, Chart>();
  for (const spec of namespaces) {
    const chart = new Chart(app, spec.name);
    charts.set(spec.name, chart);
    const ns = new HardenedNamespace(chart, 'Namespace', { name: spec.name, podSecurity: spec.podSecurity });
    const network = new DefaultDenyPolicies(chart, 'Network', { namespace: ns, ...spec.network });
    for (const a of spec.allow ?? []) network.allow(a.direction, a.peer, a.ports, a);
  }
  buildRbac(charts);
  buildWorkloads(charts, buildSecrets(charts));
  suppressHomelab(charts); // suppressions bind to the objects built above
  buildGitOps(app); // keep last: one ArgoCD Application per dist/ folder of everything above
  return charts;
}
