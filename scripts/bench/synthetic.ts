import { App, Chart } from 'cdk8s';
import {
  AgentRbac,
  DefaultDenyPolicies,
  ExternalSecretBinding,
  HardenedNamespace,
  InfisicalClusterSecretStore,
  Port,
  Resource,
  baselineRules,
  collectManifests,
  enforceRules,
  writeManifests,
} from '../../lib';

/**
 * A synthetic homelab of `count` namespaces built from the same constructs as the real one: per namespace
 * a HardenedNamespace, DefaultDenyPolicies with a few allowances (6 NetworkPolicies), an AgentRbac
 * (ServiceAccount, Role, RoleBinding) and an ExternalSecretBinding from one shared ClusterSecretStore.
 * 10 objects per namespace, like the perf notes' workload.
 */
export function buildSynthetic(app: App, count: number): void {
  const name = (i: number): string => `ns-${String(i).padStart(4, '0')}`;
  const store = new InfisicalClusterSecretStore(new Chart(app, 'store'), 'Store', {
    projectSlug: 'synthetic',
    environmentSlug: 'prod',
  });
  for (let i = 0; i < count; i++) {
    const ns = name(i);
    const chart = new Chart(app, ns);
    const namespace = new HardenedNamespace(chart, 'Namespace', { name: ns });
    new DefaultDenyPolicies(chart, 'Network', {
      namespace,
      tailnetIngress: [Port.tcp(8080)],
      internetEgress: [Port.tcp(443)],
      egressTo: [{ namespace: name((i + 1) % count), ports: [Port.tcp(8080)] }],
    });
    const rbac = new AgentRbac(chart, 'Rbac', { name: 'app', namespace, automountServiceAccountToken: false });
    rbac.grantRead('namespace', [Resource.core('configmaps')], { purpose: 'reads its own configuration', risk: { level: 'low', note: 'read-only' } });
    new ExternalSecretBinding(chart, 'Secret', {
      store,
      name: 'app-secret',
      namespace,
      // Each namespace reads its own store key: a key two namespaces share is refused (HB-ESO-001).
      data: [{ secretKey: 'APP_TOKEN', remoteKey: `APP_TOKEN_${String(i).padStart(4, '0')}` }],
    });
  }
}

// `node build/scripts/bench/synthetic.js N [--rules]`: synthesizes N namespaces into $CDK8S_OUTDIR through
// the same collectManifests + writeManifests path as main.ts; with --rules the rule pack runs in between.
if (require.main === module) {
  const count = Number(process.argv[2]);
  const outdir = process.env.CDK8S_OUTDIR;
  if (!Number.isInteger(count) || count < 1 || !outdir) {
    process.stderr.write('usage: CDK8S_OUTDIR=DIR node build/scripts/bench/synthetic.js N [--rules] (N >= 1)\n');
    process.exit(2);
  }
  const app = new App({ outdir });
  buildSynthetic(app, count);
  const manifests = collectManifests(app);
  writeManifests(outdir, process.argv.includes('--rules') ? enforceRules(app, manifests, { rules: baselineRules() }) : manifests);
}
