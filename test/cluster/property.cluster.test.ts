/**
 * Property (real API server): every generated valid homelab (namespaces, network baselines, agents,
 * ExternalSecrets, workloads; the generators of test/property) synthesizes into objects that kube-apiserver
 * 1.28 accepts. Namespaces are created for real (namespaced objects need them), everything else is a
 * server-side dry run; the namespaces are removed afterwards. Replay a failure with FC_SEED/FC_PATH.
 */
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import * as lib from '../../lib';
import { build, homelab } from '../property/gen/homelab';
import { assertProperty } from '../property/settings';
import { kubectl } from './kube';

/** Keeps the generated namespaces apart from dist/'s (applied by the other cluster tests on the same server). */
const PREFIX = 'pbt-';
const created = new Set<string>();

afterAll(() => {
  const names = [...created];
  if (!names.length) return;
  // No kube-controller-manager runs, so nothing would finalize them: they hold no objects (dry runs only),
  // so clearing the finalizer removes them at once.
  kubectl(['delete', 'namespace', '--wait=false', ...names]);
  for (const name of names) {
    const ns = JSON.parse(kubectl(['get', 'namespace', name, '-o', 'json']).stdout || '{}');
    if (!ns.metadata) continue;
    ns.spec = { finalizers: [] };
    kubectl(['replace', '--raw', `/api/v1/namespaces/${name}/finalize`, '-f', '-'], JSON.stringify(ns));
  }
  const left = kubectl(['get', 'namespaces', '-o', 'name']).stdout.split('\n').filter((l) => l.startsWith(`namespace/${PREFIX}`));
  expect(left).toEqual([]);
});

/**
 * Server-side applies `objects` as one List. `--force-conflicts`: a generated cluster-scoped name may equal
 * one dist/ applied for real under ArgoCD's field manager (e.g. the store "infisical"); the dry run then
 * validates the merged object instead of stopping at the ownership conflict.
 */
function serverSideApply(objects: readonly lib.KubeObject[], dryRun: boolean) {
  const list = { apiVersion: 'v1', kind: 'List', items: objects };
  return kubectl(
    ['apply', '--server-side', '--force-conflicts', '--field-manager=property-test', ...(dryRun ? ['--dry-run=server'] : []), '-f', '-'],
    JSON.stringify(list),
  );
}

test('every generated valid homelab is accepted by the real API server', () => {
  assertProperty(
    fc.property(homelab({ prefix: PREFIX }), (spec) => {
      const app = new App();
      build(lib, app, spec);
      const objects = lib.enforceRules(app, lib.collectManifests(app), { rules: lib.baselineRules() }).map((m) => m.object);
      const namespaces = objects.filter((o) => o.kind === 'Namespace');
      namespaces.forEach((n) => created.add(n.metadata.name));
      const real = serverSideApply(namespaces, false);
      expect(real.stderr).toBe('');
      const rest = objects.filter((o) => o.kind !== 'Namespace');
      const dry = serverSideApply(rest, true);
      // Warnings (Pod Security "would violate" on workloads) are fine; errors are not.
      expect(dry.stderr.split('\n').filter((l) => l && !l.startsWith('Warning:'))).toEqual([]);
      expect(dry.code).toBe(0);
      expect(dry.stdout.trim().split('\n')).toHaveLength(rest.length);
    }),
    { numRuns: 40, timeLimitMs: 40_000 },
  );
});

/** A minimal hardened workload in `namespace` with `extra` props. */
function workload(namespace: string, name: string, extra: Partial<lib.HardenedDeploymentProps> = {}) {
  return (c: Chart) =>
    new lib.HardenedDeployment(c, name, {
      name,
      namespace,
      image: lib.ContainerImage.fromRegistry('registry.example/app:1.0.0'),
      runAsUser: 1000,
      runAsGroup: 1000,
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
      ...extra,
    });
}

const GAP_NS = `${PREFIX}gaps`;
const REASON = 'a reason long enough to be accepted';

/**
 * Inputs the property suite found that the library once accepted and the API server rejects. The library now
 * refuses each at synth (the generators of invalid input cover them, test/property/invalid*.ts); should one be
 * accepted again, the server's dry run must accept it too, or this fails. A newly found gap goes into a list of
 * its own under `test.failing` until the library refuses it.
 */
const GAPS: [string, (c: Chart) => void][] = [
  ['environment variable named "." (or "..", "..x")', workload(GAP_NS, 'env-dot', { env: { '.': 'x' } })],
  ['a Service named after a workload whose name starts with a digit (Service names are DNS-1035)', workload(GAP_NS, '1st', {
    ports: { http: lib.Port.tcp(8080) },
    service: { ports: [{ targetPort: 'http' }] },
  })],
  ['two Service ports on the same port number', workload(GAP_NS, 'svc-dup', {
    ports: { a: lib.Port.tcp(8080), b: lib.Port.tcp(8081) },
    service: { ports: [{ targetPort: 'a', port: 80 }, { targetPort: 'b', port: 80 }] },
  })],
  ['a hostPath path with ".."', workload(GAP_NS, 'hostpath-up', {
    volumeMounts: [{ volume: lib.Volume.hostPath('host', '/srv/../etc', { reason: REASON }), mountPath: '/host' }],
  })],
  ['an invalid label on a workload', workload(GAP_NS, 'bad-label', { labels: { 'tier name': 'web' } })],
  ['an invalid label on a namespace', (c) => new lib.HardenedNamespace(c, 'ns', { name: `${PREFIX}gap-label`, labels: { team: 'has space' } })],
  ['an invalid label in a NetworkPolicy pod selector', (c) =>
    new lib.DefaultDenyPolicies(c, 'net', { namespace: GAP_NS }).allowEgressToNamespace({ namespace: 'x', ports: [lib.Port.tcp(1)], peerPodSelector: { app: '-web-' } })],
  ['an ipBlock except as wide as its cidr (the API server wants a strict subset)', (c) =>
    new lib.DefaultDenyPolicies(c, 'net', { namespace: GAP_NS }).allow(lib.Direction.EGRESS, lib.Peer.cidr('10.0.0.0/8', ['10.0.0.0/8']), [lib.Port.tcp(443)], { name: 'x' })],
];

describe('former gaps: what the API server rejects, the library refuses', () => {
  beforeAll(() => {
    created.add(GAP_NS);
    expect(kubectl(['create', 'namespace', GAP_NS]).stderr).toBe('');
  });

  test.each(GAPS)('%s is refused at synth or accepted by the server', (_what, buildIt) => {
    const app = new App();
    let objects: lib.KubeObject[];
    try {
      buildIt(new Chart(app, 'gap'));
      objects = lib.collectManifests(app).map((m) => m.object);
    } catch (e) {
      expect((e as Error).name).toMatch(/BaselineError/); // refused at synth: the gap is closed
      return;
    }
    const r = serverSideApply(objects, true);
    expect(r.stderr).toBe('');
  });
});
