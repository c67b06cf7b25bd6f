import { SERVICES } from '../../homelab/services';
import { KubeObject, podFromTemplate } from '../../lib';
import { openclawFromConfigMaps } from '../homelab/openclaw-fixture';
import { distObjectsOf, ensureDistApplied } from './dist';
import { dryRunCreate, kubectl } from './kube';

/** Namespaces that enforce restricted and baseline, to judge every workload against both levels. */
const RESTRICTED = 'workloads-restricted-check';
const BASELINE = 'workloads-baseline-check';
const HOSTPATH_ONLY = '"workspace-src", "openclaw-skills" use restricted volume type "hostPath")';
/** Every kind of workload, so one added to dist/ is judged here too. */
const workloads = distObjectsOf(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']).map((o) => o.object);
/** Each namespace's enforced Pod Security level, as dist/ labels it. */
const ENFORCE = new Map(distObjectsOf(['Namespace']).map((o) => [o.object.metadata.name, o.object.metadata.labels?.['pod-security.kubernetes.io/enforce']]));
/** Namespaces enforcing less than restricted besides openclaw (its hostPath is checked on its own below). */
const LOOSER = [...ENFORCE].filter(([ns, level]) => level !== 'restricted' && ns !== 'openclaw' && workloads.some((w) => w.metadata.namespace === ns)).map(([ns]) => ns);

function dryRun(workload: KubeObject, namespace: string) {
  const pod = podFromTemplate(workload);
  return dryRunCreate({ ...pod, metadata: { ...pod.metadata, namespace } });
}

beforeAll(() => {
  ensureDistApplied();
  for (const [name, level] of [[RESTRICTED, 'restricted'], [BASELINE, 'baseline']]) {
    const labels: Record<string, string> = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      labels[`pod-security.kubernetes.io/${mode}`] = level;
      labels[`pod-security.kubernetes.io/${mode}-version`] = 'v1.28';
    }
    const r = kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }));
    if (r.code !== 0) throw new Error(r.stderr);
  }
});

test('dist/ has every Deployment the services declare (the ones their build hooks add too)', () => {
  const declared = SERVICES.flatMap((s) => (s.deployments ?? []).map((d) => `${s.namespace}/${d.name}`));
  expect(workloads.map((w) => `${w.metadata.namespace}/${w.metadata.name}`)).toEqual(expect.arrayContaining(declared));
  expect(workloads.length).toBeGreaterThan(0);
});

describe.each(workloads.map((w) => [`${w.metadata.namespace}/${w.metadata.name}`, w]))('%s', (_id, w) => {
  test('is admitted in its own namespace without a Pod Security warning, except the declared openclaw hostPath and namespaces warning at restricted', () => {
    const r = dryRun(w, w.metadata.namespace!);
    expect(r.code).toBe(0);
    if (LOOSER.includes(w.metadata.namespace!)) {
      // A looser namespace warns at restricted: admitted at its enforce level is the fact checked here.
      expect(r.stderr).not.toMatch(/forbidden/);
    } else if (w.metadata.name === 'openclaw') {
      // openclaw enforces privileged but warns at restricted: the only warning is the declared hostPath.
      expect(r.stderr.trim()).toBe(`Warning: would violate PodSecurity "restricted:v1.28": restricted volume types (volumes ${HOSTPATH_ONLY}`);
    } else {
      expect(r.stderr).toBe('');
    }
  });

  if (w.metadata.name === 'openclaw') {
    test('would be refused by restricted and by baseline for its hostPath volumes and nothing else', () => {
      const restricted = dryRun(w, RESTRICTED);
      expect(restricted.code).not.toBe(0);
      expect(restricted.stderr.trim()).toMatch(/ is forbidden: violates PodSecurity "restricted:v1\.28": restricted volume types \(volumes [^:]*$/);
      expect(restricted.stderr.trim().endsWith(HOSTPATH_ONLY)).toBe(true);
      const baseline = dryRun(w, BASELINE);
      expect(baseline.code).not.toBe(0);
      expect(baseline.stderr.trim()).toMatch(/ is forbidden: violates PodSecurity "baseline:v1\.28": hostPath volumes \(volumes "workspace-src", "openclaw-skills"\)$/);
    });
  } else if (!LOOSER.includes(w.metadata.namespace!)) {
    test('is admitted where restricted is enforced', () => {
      const r = dryRun(w, RESTRICTED);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    });
  }
});

test('openclaw with its content from ConfigMaps is admitted where restricted is enforced', () => {
  const variant = openclawFromConfigMaps().objects.find((o) => o.kind === 'Deployment')!;
  const r = dryRun(variant, RESTRICTED);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

/**
 * The Pod Security table's reasons become checked facts: a namespace enforcing less than restricted holds at
 * least one workload (a rendered chart's, typically) that restricted really refuses; otherwise its reason is
 * stale and the namespace should enforce restricted.
 */
describe.each(LOOSER.map((ns) => [ns]))('namespace %s enforces less than restricted', (ns) => {
  test('restricted would refuse at least one of its workloads (the reason is true)', () => {
    const refused = workloads.filter((w) => w.metadata.namespace === ns).filter((w) => dryRun(w, RESTRICTED).code !== 0);
    expect(refused.map((w) => w.metadata.name)).not.toEqual([]);
  });
});
