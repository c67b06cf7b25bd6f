import { parse } from 'yaml';
import { applyDist, applyOrder, distObjects, enforceOf, onlyDeclaredExemptionWarnings, onlyRestrictedWarnings, webhookFiles } from './dist';
import { AS_ARGOCD, dryRunApply, kubectl, liveObject } from './kube';

describe('dist/ on a real API server', () => {
  test('server-side apply of every object, in ArgoCD order, has zero errors', () => {
    const results = applyDist();
    const groups = applyOrder();
    results.forEach((r, i) => {
      // A baseline namespace (the rendered charts' monitoring) warns at restricted for the pods it admits:
      // its reason is on the Namespace and checked in workloads.cluster.test.ts. Anywhere else only the
      // declared openclaw hostPath warning may appear.
      const baseline = i < groups.length && enforceOf(groups[i]) === 'baseline';
      expect({ group: i, ok: baseline ? onlyRestrictedWarnings(r.stderr) : onlyDeclaredExemptionWarnings(r.stderr), stderr: r.stderr }).toMatchObject({ ok: true });
      expect(r.code).toBe(0);
    });
    const appliedLines = results.flatMap((r) => r.stdout.trim().split('\n'));
    expect(appliedLines).toHaveLength(distObjects().length);
    // Admission webhooks are dry-run only (see ADMISSION_WEBHOOK_KINDS): the server runs no pods to serve them.
    const dryRun = appliedLines.filter((l) => / serverside-applied \(server dry run\)$/.test(l));
    expect(dryRun).toHaveLength(webhookFiles().length);
    expect(dryRun.every((l) => /^(validating|mutating)webhookconfiguration\./.test(l))).toBe(true);
    expect(appliedLines.filter((l) => !dryRun.includes(l)).every((l) => / serverside-applied$/.test(l))).toBe(true);
  });

  test('applying again changes nothing (ArgoCD would show Synced): a server-side diff of every object is empty', () => {
    // What ArgoCD's server-side diff does: dry-run apply as the same manager and compare with the live object.
    // (resourceVersion is no proxy: PVC protection admission bumps it on every update of a PVC.)
    for (const files of applyOrder()) {
      const r = kubectl(['diff', '--server-side', AS_ARGOCD, ...files.flatMap((f) => ['-f', f])]);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(0);
    }
  });

  test('canary: the server-side diff does report a changed object', () => {
    const { file, object } = distObjects().find((o) => o.object.kind === 'NetworkPolicy')!;
    const changed = { ...object, metadata: { ...object.metadata, labels: { canary: 'changed' } } };
    const r = kubectl(['diff', '--server-side', AS_ARGOCD, '-f', '-'], JSON.stringify(changed));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\+\s+canary: changed/);
    expect(file).toMatch(/networkpolicy-/);
  });

  test('what the server stored keeps every field we sent (no field silently dropped or defaulted away)', () => {
    // Spot-check the security fields of every NetworkPolicy and Namespace: the server's copy must contain ours.
    for (const { file, object } of distObjects().filter((o) => ['NetworkPolicy', 'Namespace'].includes(o.object.kind))) {
      const live = liveObject(file);
      if (object.kind === 'Namespace') expect(live.metadata.labels).toMatchObject(object.metadata.labels!);
      else expect(live.spec).toMatchObject(parse(JSON.stringify((object as any).spec)));
    }
  });

  test('canary: a schema-invalid manifest is rejected by the same path', () => {
    const bad = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'canary-invalid', namespace: 'default' },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'TCP', port: 70000 }] }] },
    };
    const r = dryRunApply(bad);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/must be between 1 and 65535/);
  });
});
