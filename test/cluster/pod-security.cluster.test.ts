import { ensureDistApplied, distObjects } from './dist';
import { dryRunCreate } from './kube';

// Every workload of dist/ in its own namespace: workloads.cluster.test.ts. Here: what each namespace admits.
const namespaces = distObjects().map((o) => o.object).filter((o) => o.kind === 'Namespace');
const enforceOf = (ns: string): string =>
  namespaces.find((n) => n.metadata.name === ns)!.metadata.labels!['pod-security.kubernetes.io/enforce'];

/** A minimal pod that meets restricted, with `change` applied to its only container or spec. */
function canary(ns: string, name: string, change: (spec: any) => void): object {
  const spec: any = {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'c',
      image: 'registry.example/canary:1.0.0',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    }],
  };
  change(spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec };
}

const privileged = (s: any) => (s.containers[0].securityContext = { privileged: true });
const root = (s: any) => (s.securityContext = { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } });
const hostPath = (s: any) => {
  s.volumes = [{ name: 'host', hostPath: { path: '/etc' } }];
  s.containers[0].volumeMounts = [{ name: 'host', mountPath: '/host', readOnly: true }];
};

beforeAll(() => ensureDistApplied());

describe.each(namespaces.map((n) => [n.metadata.name, enforceOf(n.metadata.name)]))('namespace %s (enforce=%s)', (ns, enforce) => {
  test('a compliant restricted pod is admitted (the canaries below fail for their one reason)', () => {
    const r = dryRunCreate(canary(ns, 'canary-ok', () => undefined));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  const refusedByBaseline = enforce === 'restricted' || enforce === 'baseline';
  test(`a privileged pod is ${refusedByBaseline ? 'rejected' : 'admitted (declared exemption)'}`, () => {
    const r = dryRunCreate(canary(ns, 'canary-privileged', privileged));
    if (refusedByBaseline) {
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(`violates PodSecurity "${enforce}:v1.28": privileged`));
    } else {
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/would violate PodSecurity "restricted:v1.28"/); // warn=restricted still speaks up
    }
  });

  test(`a hostPath pod is ${refusedByBaseline ? 'rejected' : 'admitted (declared exemption)'}`, () => {
    const r = dryRunCreate(canary(ns, 'canary-hostpath', hostPath));
    if (refusedByBaseline) {
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(`violates PodSecurity "${enforce}:v1.28": .*hostPath`));
    } else {
      expect(r.code).toBe(0);
    }
  });

  test(`a root pod is ${enforce === 'restricted' ? 'rejected' : 'admitted (baseline allows root)'}`, () => {
    const r = dryRunCreate(canary(ns, 'canary-root', root));
    if (enforce === 'restricted') {
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/runAsNonRoot|runAsUser=0/);
    } else {
      expect(r.code).toBe(0);
    }
  });
});
