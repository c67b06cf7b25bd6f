// The smallest complete homelab: one service declared in a table, synthesized into dist/ (one folder per
// namespace, one file per object) and a security report generated from the same objects.
import { App } from 'cdk8s';
import {
  AggregateBaselineError,
  BaselineError,
  ContainerImage,
  Port,
  Probe,
  ServiceSpec,
  baselineRules,
  buildServices,
  checkRules,
  collectManifests,
  prepareSecurityReport,
  writeManifests,
} from '@homelab-baseline/lib';

/** The homelab: one entry per namespace. Everything else (policies, ServiceAccounts, Services) follows. */
export const SERVICES: ServiceSpec[] = [
  {
    namespace: 'whoami',
    network: { tailnetIngress: [Port.tcp(8080)] },
    deployments: [{
      name: 'whoami',
      image: ContainerImage.fromRegistry('traefik/whoami:v1.10.3'),
      runAsUser: 10001,
      runAsGroup: 10001,
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
      args: ['--port', '8080'],
      ports: { http: Port.tcp(8080) },
      readinessProbe: Probe.httpGet('http'),
      service: { ports: [{ targetPort: 'http' }] },
    }],
  },
];

function main(): void {
  const app = new App();
  buildServices(app, { services: SERVICES });
  // Validates the tree and runs the rule pack; throws before anything is written.
  const { manifests, report } = checkRules(app, collectManifests(app), { rules: baselineRules() });
  const securityReport = prepareSecurityReport({
    templateFile: 'security.template.md',
    outFile: 'docs/security.md',
    objects: manifests.map((m) => m.object),
    risks: report,
  });
  writeManifests(process.env.CDK8S_OUTDIR ?? 'dist', manifests);
  securityReport.write();
}

try {
  main();
} catch (e) {
  const known = e instanceof BaselineError || e instanceof AggregateBaselineError;
  process.stderr.write(`synth failed, nothing written.\n${known ? (e as Error).message : (e as Error).stack}\n`);
  process.exitCode = 1;
}
