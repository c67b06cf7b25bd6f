import * as path from 'path';
import { KubeObject, podFromTemplate, readManifests } from '../../lib';
import { agentsHomelab } from '../adopt/fixtures/agents-homelab/homelab';
import { mediaHomelab } from '../adopt/fixtures/media-homelab/homelab';
import { onlyDeclaredExemptionWarnings, title } from './dist';
import { AS_ARGOCD, dryRunCreate, kubectl } from './kube';

// The adoption capabilities (init containers, command/args, env from literals, ConfigMap and Secret keys,
// envFrom of both, ConfigMaps from literals and files, every probe handler, kept selectors and pod labels, a
// StatefulSet with claim templates, lower-case Secret keys, fixed NodePorts, kept names of NetworkPolicies,
// Roles, bindings, Applications, AppProjects and the Helm release) as the two fixture homelabs use them after
// adoption, judged by the real API server; and the `immutable` status, proven by the server refusing the change.
const FIXTURES = path.resolve(__dirname, '..', 'adopt', 'fixtures');
const media = mediaHomelab({ keepPolicyNames: true, keepSelector: true, keepArgoNames: true });
const agents = agentsHomelab({ keepRbacNames: true, keepClaimSize: true });
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'];

function ensureNamespace(name: string): void {
  const r = kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  if (r.code !== 0) throw new Error(r.stderr);
}

/** A server-side dry-run apply as ArgoCD does it (its manager, conflicts forced). */
function dryRunAsArgoCd(o: KubeObject) {
  return kubectl(['apply', '--server-side', '--force-conflicts', AS_ARGOCD, '--dry-run=server', '-f', '-'], JSON.stringify(o));
}

/** Applies a fixture's existing manifest as the old pipeline did (its own field manager). */
function applyExisting(file: string, kind: string, name: string): KubeObject {
  const o = readManifests(path.join(FIXTURES, file)).map((s) => s.object).find((x) => x.kind === kind && x.metadata.name === name)!;
  const r = kubectl(['apply', '--server-side', '--field-manager=old-pipeline', '-f', '-'], JSON.stringify(o));
  if (r.code !== 0) throw new Error(`applying the existing ${kind} ${name} failed:\n${r.stderr}`);
  return o;
}

beforeAll(() => {
  // The Namespaces for real (what follows is dry-run), with the fixtures' Pod Security labels.
  for (const ns of [...media, ...agents].filter((o) => o.kind === 'Namespace')) {
    const r = kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify(ns));
    if (r.code !== 0) throw new Error(r.stderr);
  }
  ensureNamespace('argocd');
});

describe.each([['media', media], ['agents', agents]] as const)('%s homelab as adopted', (_name, objects) => {
  test.each(objects.filter((o) => o.kind !== 'Namespace').map((o) => [title(o), o] as const))('%s is admitted (server-side dry-run apply)', (_t, o) => {
    // As ArgoCD: other test files may have applied dist/'s own ClusterSecretStore "infisical".
    const r = dryRunAsArgoCd(o);
    // Pod Security warns about workload objects too: the declared hostPath of media is the only warning allowed.
    expect(onlyDeclaredExemptionWarnings(r.stderr)).toBe(true);
    expect(r.code).toBe(0);
  });

  test.each(objects.filter((o) => WORKLOAD_KINDS.includes(o.kind)).map((o) => [title(o), o] as const))('the pods of %s pass Pod Security admission of their namespace', (_t, o) => {
    const r = dryRunCreate(podFromTemplate(o));
    expect(r.code).toBe(0);
    // The media namespace enforces privileged for the declared hostPath and warns at restricted: that warning only.
    expect(onlyDeclaredExemptionWarnings(r.stderr)).toBe(true);
  });
});

test('every capability is in what the server admitted', () => {
  const rendered = JSON.stringify([...media, ...agents]);
  const find = (kind: string, name: string): any => [...media, ...agents].find((o) => o.kind === kind && o.metadata.name === name);
  const jellyfin = find('Deployment', 'jellyfin').spec;
  expect(jellyfin.template.spec.initContainers[0].volumeMounts.map((m: any) => m.name)).toContain('media');
  expect(jellyfin.selector.matchLabels).toEqual({ app: 'jellyfin', tier: 'media' });
  const agent = find('Deployment', 'agent').spec.template;
  expect(agent.metadata.labels['homelab.example/team']).toBe('agents');
  const c = agent.spec.containers[0];
  expect([c.command, c.args].every(Boolean)).toBe(true);
  expect(c.env.map((e: any) => Object.keys(e.valueFrom ?? { value: 1 })[0])).toEqual(['configMapKeyRef', 'value']);
  expect(Object.keys(c.startupProbe).concat(Object.keys(c.readinessProbe), Object.keys(c.livenessProbe))).toEqual(expect.arrayContaining(['httpGet', 'grpc', 'exec']));
  const pg = find('StatefulSet', 'postgres').spec;
  expect(pg.volumeClaimTemplates[0].metadata.name).toBe('data');
  expect(pg.template.spec.containers[0].envFrom[0].configMapRef.name).toBe('agent-config');
  expect(pg.template.spec.containers[0].env[0].valueFrom.secretKeyRef.key).toBe('password');
  expect(pg.template.spec.containers[0].readinessProbe.tcpSocket).toBeDefined();
  expect(Object.keys(find('ConfigMap', 'agent-config').data)).toEqual(['LOG_LEVEL', 'MODEL', 'prompt.txt']);
  expect(find('ExternalSecret', 'jellyfin-secret').spec.data.map((d: any) => d.secretKey)).toEqual(['api-key', 'admin-password']);
  expect(find('Service', 'jellyfin').spec.ports[0].nodePort).toBe(30096);
  for (const kept of ['"deny-all"', '"allow-dns-egress"', '"agent-reader"', '"agent-reader-binding"', '"media-charts"', '"releaseName":"exporter"']) {
    expect(rendered).toContain(kept);
  }
  expect(find('Application', 'media')).toBeDefined();
});

describe('immutable, as the real API server says', () => {
  test('a Deployment applied with a two-label selector refuses the library\'s default selector, and accepts the kept one', () => {
    applyExisting('media-homelab/existing', 'Deployment', 'jellyfin');
    const byDefault = mediaHomelab().find((o) => o.kind === 'Deployment')!;
    const refused = dryRunAsArgoCd(byDefault);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/spec\.selector: Invalid value: .*field is immutable/);
    const kept = dryRunAsArgoCd(media.find((o) => o.kind === 'Deployment')!);
    expect(onlyDeclaredExemptionWarnings(kept.stderr)).toBe(true);
    expect(kept.code).toBe(0);
  });

  test('a StatefulSet applied with a 5Gi claim template refuses 10Gi, and accepts the kept size', () => {
    applyExisting('agents-homelab/existing', 'StatefulSet', 'postgres');
    const bigger = dryRunAsArgoCd(agentsHomelab().find((o) => o.kind === 'StatefulSet')!);
    expect(bigger.code).not.toBe(0);
    expect(bigger.stderr).toMatch(/updates to statefulset spec for fields other than .* are forbidden/);
    const kept = dryRunAsArgoCd(agents.find((o) => o.kind === 'StatefulSet')!);
    expect(kept.stderr).toBe('');
    expect(kept.code).toBe(0);
  });
});

test('canary: the server refuses a selector the pod labels do not carry, by the same path', () => {
  const d = structuredClone(media.find((o) => o.kind === 'Deployment')!) as any;
  d.metadata.name = 'canary-selector';
  d.spec.selector.matchLabels = { app: 'jellyfin', tier: 'other' };
  const r = dryRunAsArgoCd(d);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);
});
