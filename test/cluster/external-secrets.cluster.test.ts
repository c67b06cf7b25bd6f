import { distObjects, ensureDistApplied } from './dist';
import { kubectl } from './kube';

const ESO_KINDS = ['ClusterSecretStore', 'ExternalSecret'];
const esoObjects = distObjects().filter((o) => ESO_KINDS.includes(o.object.kind));

beforeAll(() => ensureDistApplied());

describe('External Secrets CRs on a real API server with the ESO v0.20.4 CRDs', () => {
  test('dist/ holds the store and the ExternalSecrets', () => {
    expect(esoObjects.filter((o) => o.object.kind === 'ClusterSecretStore')).toHaveLength(1);
    expect(esoObjects.filter((o) => o.object.kind === 'ExternalSecret').length).toBeGreaterThanOrEqual(3);
  });

  test.each(esoObjects.map((o) => [`${o.object.kind} ${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`, o.file]))(
    '%s: stored as external-secrets.io/v1 with exactly our spec (no defaulted field: ArgoCD shows no drift)',
    (_, file) => {
      const sent = esoObjects.find((o) => o.file === file)!.object as any;
      const r = kubectl(['get', '-o', 'json', '-f', file]);
      expect(r.code).toBe(0);
      const live = JSON.parse(r.stdout);
      expect(live.apiVersion).toBe('external-secrets.io/v1');
      expect(live.spec).toEqual(sent.spec);
    },
  );

  test('canary: the CRD schema rejects an invalid ExternalSecret by the same path', () => {
    const bad = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'canary-invalid', namespace: 'default' },
      spec: {
        secretStoreRef: { kind: 'Vault', name: 'infisical' },
        data: [{ secretKey: 'not a key!', remoteRef: { key: 'X' } }],
      },
    };
    const r = kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], JSON.stringify(bad));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/spec\.secretStoreRef\.kind: Unsupported value: "Vault"/);
    expect(r.stderr).toMatch(/spec\.data\[0\]\.secretKey in body should match/);
  });
});
