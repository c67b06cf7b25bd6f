import { App, Chart } from 'cdk8s';
import { DefaultDenyPolicies, HardenedNamespace } from '../lib';
import { NAMESPACES, NamespaceSpec } from './namespaces';

/** Builds the homelab into `app`: one chart per namespace. */
export function buildHomelab(app: App, namespaces: readonly NamespaceSpec[] = NAMESPACES): void {
  for (const spec of namespaces) {
    const chart = new Chart(app, spec.name);
    const ns = new HardenedNamespace(chart, 'Namespace', { name: spec.name, podSecurity: spec.podSecurity });
    new DefaultDenyPolicies(chart, 'Network', { namespace: ns, ...spec.network });
  }
}
