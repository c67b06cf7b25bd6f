import { ApiObject, Chart } from 'cdk8s';
import { KubeSecret } from 'cdk8s-plus-28/lib/imports/k8s';
import { ExternalSecretBinding, InfisicalClusterSecretStore, forbidSecretValues } from '../../lib';
import { all, synthChart, synthManifests } from '../util';

/** A chart with the store and one binding, so that synth would otherwise succeed. */
function withStore(c: Chart): void {
  const store = new InfisicalClusterSecretStore(c, 'store', { projectSlug: 'p', environmentSlug: 'e' });
  new ExternalSecretBinding(c, 'bind', { store, name: 'app-secret', namespace: 'apps', data: [{ secretKey: 'API_TOKEN' }] });
}

describe('forbidSecretValues', () => {
  test.each([
    ['stringData', (c: Chart) => new KubeSecret(c, 'leak', { metadata: { name: 'leak', namespace: 'apps' }, stringData: { K: 'v' } })],
    ['data', (c: Chart) => new KubeSecret(c, 'leak', { metadata: { name: 'leak', namespace: 'apps' }, data: { K: 'dg==' } })],
    ['data on a raw ApiObject', (c: Chart) => new ApiObject(c, 'leak', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak', namespace: 'apps' }, data: { K: 'dg==' } })],
  ])('the store refuses a Secret with %s anywhere in the app', (_, leak) => {
    expect(() =>
      synthManifests((app) => {
        withStore(new Chart(app, 'eso'));
        leak(new Chart(app, 'other'));
      }),
    ).toThrow(/Secret "leak" \(construct other\/leak\) carries values in data\/stringData\. Allowed: Secrets created by External Secrets from the secret store\. Fix: put the value in the store/);
  });

  test('works without a store too, and a Secret without values passes', () => {
    const objects = synthChart((c) => {
      forbidSecretValues(c);
      forbidSecretValues(c); // idempotent: one validation, not two
      new KubeSecret(c, 'empty', { metadata: { name: 'sa-token', namespace: 'apps' }, type: 'kubernetes.io/service-account-token' });
    });
    expect(all(objects, 'Secret')).toHaveLength(1);
    expect(() =>
      synthChart((c) => {
        forbidSecretValues(c);
        forbidSecretValues(c);
        new KubeSecret(c, 'leak', { metadata: { name: 'leak', namespace: 'apps' }, stringData: { K: 'v' } });
      }),
    ).toThrow(/synth refused: 1 problem\(s\)/);
  });
});
