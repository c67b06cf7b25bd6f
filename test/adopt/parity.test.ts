import * as path from 'path';
import { KubeObject, ParityRow, ParityStatus, compareParity, parityExitCode, readManifests } from '../../lib';
import { agentsHomelab } from './fixtures/agents-homelab/homelab';
import { mediaHomelab } from './fixtures/media-homelab/homelab';

const FIXTURES = path.join(__dirname, 'fixtures');
const existing = (name: string): KubeObject[] => readManifests(path.join(FIXTURES, name, 'existing')).map((s) => s.object);

/** The one row of `kind namespace/name`; fails when there is none or more. */
function rowOf(rows: readonly ParityRow[], kind: string, namespace: string | null, name: string): ParityRow {
  const hits = rows.filter((r) => r.kind === kind && r.namespace === namespace && r.name === name);
  if (hits.length !== 1) throw new Error(`expected one row for ${kind} ${namespace}/${name}, found ${hits.length}`);
  return hits[0];
}

describe('media homelab (plain multi-document YAML) against the library defaults', () => {
  const rows = compareParity(existing('media-homelab'), mediaHomelab());

  test('a changed two-label Deployment selector is immutable, and says to keep it with selectorLabels', () => {
    const r = rowOf(rows, 'Deployment', 'media', 'jellyfin');
    expect(r.status).toBe(ParityStatus.IMMUTABLE);
    expect(r.detail).toContain('spec.selector: {"matchLabels":{"app":"jellyfin","tier":"media"}} → {"matchLabels":{"app.kubernetes.io/name":"jellyfin"}}');
    expect(r.detail).toContain('selectorLabels');
  });

  test.each([
    ['deny-all', 'default-deny-all', "DefaultDenyPolicies `names.defaultDenyAll`: 'deny-all'"],
    ['allow-dns-egress', 'allow-dns', "DefaultDenyPolicies `names.allowDns`: 'allow-dns-egress'"],
  ])('policy %s is renamed to %s (ports in another order too), with the name to set', (old, now, fix) => {
    const r = rowOf(rows, 'NetworkPolicy', 'media', old);
    expect(r.status).toBe(ParityStatus.RENAMED);
    expect(r.detail).toContain(`ArgoCD would prune "${old}" and create "${now}"`);
    expect(r.detail).toContain(`Fix: set ${fix}`);
    // The renamed object is not also reported as extra.
    expect(rows.some((x) => x.kind === 'NetworkPolicy' && x.name === now)).toBe(false);
  });

  test('the typo\'d policy that selects no pod today is looser in dist/, where it selects Jellyfin', () => {
    const r = rowOf(rows, 'NetworkPolicy', 'media', 'allow-tailnet-jellyfin');
    expect(r.status).toBe(ParityStatus.LOOSER);
    expect(r.detail).toContain('selects no pod of the existing workloads (a typo?)');
  });

  test('Pod Security labels dist/ adds (audit and warn restricted, pinned versions) make the namespace stricter', () => {
    const r = rowOf(rows, 'Namespace', null, 'media');
    expect(r.status).toBe(ParityStatus.STRICTER);
    expect(r.detail).toContain('audit lowered from restricted to unset');
  });

  test('an object dist/ lacks is missing; objects only dist/ has are extra; identical ones match', () => {
    expect(rowOf(rows, 'ConfigMap', 'media', 'jellyfin-legacy-env').status).toBe(ParityStatus.MISSING);
    expect(rowOf(rows, 'AppProject', 'argocd', 'baseline-root').status).toBe(ParityStatus.EXTRA);
    expect(rowOf(rows, 'NetworkPolicy', 'media', 'allow-same-namespace').status).toBe(ParityStatus.MATCH);
  });

  test('the Helm Application under another release name and project is different there', () => {
    const r = rowOf(rows, 'Application', 'argocd', 'media-exporter');
    expect(r.status).toBe(ParityStatus.DIFFERENT);
    expect(r.detail).toBe('differs at spec.project, spec.source.helm.releaseName');
  });

  test('the AppProject under another name is renamed, with the AppOfApps prop to set', () => {
    const r = rowOf(rows, 'AppProject', 'argocd', 'media-charts');
    expect(r.status).toBe(ParityStatus.RENAMED);
    expect(r.detail).toContain("Fix: set AppOfApps `projectNames`: 'media-charts'");
  });

  test('exit code 1: something is looser, missing or immutable', () => {
    expect(parityExitCode(rows)).toBe(1);
  });
});

describe('media homelab after applying the report\'s fixes', () => {
  const rows = compareParity(existing('media-homelab'), mediaHomelab({ keepPolicyNames: true, keepSelector: true, keepArgoNames: true }));

  test('the kept names match instead of being renamed', () => {
    expect(rowOf(rows, 'NetworkPolicy', 'media', 'deny-all').status).toBe(ParityStatus.MATCH);
    expect(rowOf(rows, 'NetworkPolicy', 'media', 'allow-dns-egress').status).toBe(ParityStatus.MATCH);
    expect(rows.filter((r) => r.status === ParityStatus.RENAMED)).toEqual([]);
  });

  test('the kept selector makes the Deployment applicable: it is stricter (the init container\'s hostPath becomes read-only)', () => {
    const r = rowOf(rows, 'Deployment', 'media', 'jellyfin');
    expect(r.status).toBe(ParityStatus.STRICTER);
    expect(r.detail).toContain('container "index-library" mounts hostPath volume "media" (/srv/media) writable at /media');
  });

  test('the kept release and project names make the Helm Application and its AppProject match', () => {
    expect(rowOf(rows, 'Application', 'argocd', 'media-exporter').status).toBe(ParityStatus.MATCH);
    expect(rowOf(rows, 'AppProject', 'argocd', 'media-charts').status).toBe(ParityStatus.MATCH);
  });
});

describe('agents homelab (`kubectl kustomize` output) against the library', () => {
  const rows = compareParity(existing('agents-homelab'), agentsHomelab());

  test('a changed StatefulSet volumeClaimTemplate is immutable', () => {
    const r = rowOf(rows, 'StatefulSet', 'agents', 'postgres');
    expect(r.status).toBe(ParityStatus.IMMUTABLE);
    expect(r.detail).toMatch(/^spec\.volumeClaimTemplates: .*"storage":"5Gi".* → .*"storage":"10Gi"/);
  });

  test('a renamed Role and the binding that refers to it are both renamed, each with its prop', () => {
    expect(rowOf(rows, 'Role', 'agents', 'agent-reader')).toMatchObject({ status: ParityStatus.RENAMED, detail: expect.stringContaining("AgentRbac `roleName`: 'agent-reader'") });
    expect(rowOf(rows, 'RoleBinding', 'agents', 'agent-reader-binding')).toMatchObject({
      status: ParityStatus.RENAMED,
      detail: expect.stringContaining("AgentRbac `roleBindingName`: 'agent-reader-binding'"),
    });
  });

  test.each([
    ['ClusterRole', null, 'agents-agent', 'grants get, list, watch on nodes'],
    ['ExternalSecret', 'agents', 'agent-secret', 'ExternalSecret keys GITHUB_TOKEN'],
    ['Service', 'agents', 'agent', 'Service type ClusterIP → NodePort; Service exposes node port TCP/30080'],
  ])('%s %s/%s is looser: %s', (kind, namespace, name, detail) => {
    const r = rowOf(rows, kind, namespace, name);
    expect(r.status).toBe(ParityStatus.LOOSER);
    expect(r.detail).toContain(detail);
  });

  test('the hardened Deployment is stricter than the running one (seccomp, read-only root)', () => {
    const r = rowOf(rows, 'Deployment', 'agents', 'agent');
    expect(r.status).toBe(ParityStatus.STRICTER);
    expect(r.detail).toContain('today only: container "agent" has no seccomp filter');
  });

  test('a policy with other content under another name is missing (not renamed), with the candidates named', () => {
    const r = rowOf(rows, 'NetworkPolicy', 'agents', 'allow-https-egress');
    expect(r.status).toBe(ParityStatus.MISSING);
    expect(r.detail).toContain('"allow-internet-egress"');
    expect(rowOf(rows, 'NetworkPolicy', 'agents', 'allow-internet-egress').status).toBe(ParityStatus.EXTRA);
  });

  test('the ConfigMap from literals and a file matches the running one', () => {
    expect(rowOf(rows, 'ConfigMap', 'agents', 'agent-config').status).toBe(ParityStatus.MATCH);
  });

  test('after keeping the names and the claim size, Role, RoleBinding and StatefulSet are applicable', () => {
    const fixed = compareParity(existing('agents-homelab'), agentsHomelab({ keepRbacNames: true, keepClaimSize: true }));
    expect(rowOf(fixed, 'Role', 'agents', 'agent-reader').status).toBe(ParityStatus.MATCH);
    expect(rowOf(fixed, 'RoleBinding', 'agents', 'agent-reader-binding').status).toBe(ParityStatus.MATCH);
    expect(rowOf(fixed, 'StatefulSet', 'agents', 'postgres').status).not.toBe(ParityStatus.IMMUTABLE);
  });
});

test('the fixtures show every status', () => {
  const shown = new Set([...compareParity(existing('media-homelab'), mediaHomelab()), ...compareParity(existing('agents-homelab'), agentsHomelab())].map((r) => r.status));
  expect([...shown].sort()).toEqual(Object.values(ParityStatus).sort());
});

test('dist/ compared with itself matches everywhere and exits 0', () => {
  const dist = agentsHomelab();
  const rows = compareParity(dist, dist);
  expect(rows.length).toBe(dist.length);
  expect(rows.every((r) => r.status === ParityStatus.MATCH)).toBe(true);
  expect(parityExitCode(rows)).toBe(0);
});

test('a rename is found regardless of labels and list order; content that differs is not a rename', () => {
  const policy = (name: string, labels: Record<string, string> | undefined, ports: number[]): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'x', labels },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: ports.map((port) => ({ port, protocol: 'TCP' })) }] },
  } as KubeObject);
  const renamed = compareParity([policy('old', undefined, [80, 443])], [policy('new', { team: 'a' }, [443, 80])]);
  expect(renamed.map((r) => [r.name, r.status])).toEqual([['old', ParityStatus.RENAMED]]);
  const other = compareParity([policy('old', undefined, [80])], [policy('new', undefined, [80, 443])]);
  expect(other.map((r) => [r.name, r.status])).toEqual([['old', ParityStatus.MISSING], ['new', ParityStatus.EXTRA]]);
});
