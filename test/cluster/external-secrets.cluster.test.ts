import { distObjectsOf, ensureDistApplied, title } from './dist';
import { dryRunApply, liveObject } from './kube';

const esoObjects = distObjectsOf(['ClusterSecretStore', 'ExternalSecret']);

beforeAll(() => ensureDistApplied());

describe('External Secrets CRs on a real API server with the ESO v0.20.4 CRDs', () => {
  test('dist/ holds the store and the ExternalSecrets', () => {
    expect(esoObjects.filter((o) => o.object.kind === 'ClusterSecretStore')).toHaveLength(1);
    expect(esoObjects.filter((o) => o.object.kind === 'ExternalSecret').length).toBeGreaterThanOrEqual(3);
  });

  test.each(esoObjects.map((o) => [title(o.object), o] as const))(
    '%s: stored as external-secrets.io/v1 with exactly our spec (no defaulted field: ArgoCD shows no drift)',
    (_, { file, object }) => {
      const live = liveObject(file);
      expect(live.apiVersion).toBe('external-secrets.io/v1');
      expect(live.spec).toEqual((object as any).spec);
    },
  );

  test('canary: the CRD schema rejects an invalid ExternalSecret by the same path', () => {
    const r = dryRunApply({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'canary-invalid', namespace: 'default' },
      spec: {
        secretStoreRef: { kind: 'Vault', name: 'infisical' },
        data: [{ secretKey: 'not a key!', remoteRef: { key: 'X' } }],
      },
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/spec\.secretStoreRef\.kind: Unsupported value: "Vault"/);
    expect(r.stderr).toMatch(/spec\.data\[0\]\.secretKey in body should match/);
  });
});
