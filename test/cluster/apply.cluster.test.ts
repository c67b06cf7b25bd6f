import { parse } from 'yaml';
import { applyDist, applyOrder, distObjects } from './dist';
import { kubectl } from './kube';

function resourceVersions(): Record<string, string> {
  const files = applyOrder().flat();
  const r = kubectl(['get', '-o', 'json', ...files.flatMap((f) => ['-f', f])]);
  expect(r.stderr).toBe('');
  const list = JSON.parse(r.stdout);
  const items: any[] = list.kind === 'List' ? list.items : [list];
  return Object.fromEntries(items.map((i) => [`${i.kind}/${i.metadata.namespace ?? ''}/${i.metadata.name}`, i.metadata.resourceVersion]));
}

describe('dist/ on a real API server', () => {
  test('server-side apply of every object, in ArgoCD order, has zero errors', () => {
    const results = applyDist();
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const appliedLines = results.flatMap((r) => r.stdout.trim().split('\n'));
    expect(appliedLines).toHaveLength(distObjects().length);
    expect(appliedLines.every((l) => / serverside-applied$/.test(l))).toBe(true);
  });

  test('applying again changes nothing (ArgoCD would show Synced)', () => {
    const before = resourceVersions();
    expect(Object.keys(before)).toHaveLength(distObjects().length);
    for (const r of applyDist()) expect(r.code).toBe(0);
    expect(resourceVersions()).toEqual(before);
  });

  test('what the server stored keeps every field we sent (no field silently dropped or defaulted away)', () => {
    // Spot-check the security fields of every NetworkPolicy and Namespace: the server's copy must contain ours.
    for (const { file, object } of distObjects().filter((o) => ['NetworkPolicy', 'Namespace'].includes(o.object.kind))) {
      const r = kubectl(['get', '-o', 'json', '-f', file]);
      const live = JSON.parse(r.stdout);
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
    const r = kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], JSON.stringify(bad));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/must be between 1 and 65535/);
  });
});
