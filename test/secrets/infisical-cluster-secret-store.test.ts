import { App, Chart } from 'cdk8s';
import { ExternalSecretBinding, InfisicalClusterSecretStore, InfisicalClusterSecretStoreProps } from '../../lib';
import { find, synthManifests } from '../util';
import { crdSchema, schemaErrors } from './crd-schema';

const IN_CLUSTER = 'http://infisical-infisical-standalone-infisical.infisical.svc.cluster.local:8080/api';
const BASE: InfisicalClusterSecretStoreProps = { projectSlug: 'homelab', environmentSlug: 'prod', hostAPI: IN_CLUSTER };

/** A store in chart `eso` and one binding per namespace in `bindIn`, each in its own chart. */
function build(app: App, props: Partial<InfisicalClusterSecretStoreProps> = {}, bindIn: string[] = ['openclaw']) {
  const store = new InfisicalClusterSecretStore(new Chart(app, 'eso'), 'Store', { ...BASE, ...props });
  bindIn.forEach((ns, i) => {
    new ExternalSecretBinding(new Chart(app, `c${i}`), 'Binding', {
      store,
      name: `secret-${i}`,
      namespace: ns,
      data: [{ secretKey: 'API_KEY' }],
    });
  });
  return store;
}

function synthStore(props: Partial<InfisicalClusterSecretStoreProps> = {}, bindIn?: string[]) {
  const manifests = synthManifests((app) => build(app, props, bindIn));
  return { manifests, store: find(manifests.map((m) => m.object), 'ClusterSecretStore', props.name ?? 'infisical') };
}

describe('InfisicalClusterSecretStore', () => {
  test('snapshot', () => {
    expect(synthStore().store).toMatchSnapshot();
  });

  test('a cluster-scoped external-secrets.io/v1 ClusterSecretStore named infisical, in _cluster', () => {
    const { manifests, store } = synthStore();
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.metadata).toEqual({ name: 'infisical' });
    expect(manifests.find((m) => m.object === store)?.folder).toBe('_cluster');
  });

  test('Universal Auth reads clientId/clientSecret from Secret infisical-machine-identity in external-secrets', () => {
    const { store } = synthStore();
    expect(store.spec.provider.infisical.auth).toEqual({
      universalAuthCredentials: {
        clientId: { name: 'infisical-machine-identity', namespace: 'external-secrets', key: 'clientId' },
        clientSecret: { name: 'infisical-machine-identity', namespace: 'external-secrets', key: 'clientSecret' },
      },
    });
  });

  test('scope: project homelab, environment prod, path /, defaults spelled out; hostAPI as given', () => {
    const { store } = synthStore();
    expect(store.spec.provider.infisical.secretsScope).toEqual({
      projectSlug: 'homelab',
      environmentSlug: 'prod',
      secretsPath: '/',
      expandSecretReferences: true,
      recursive: false,
    });
    expect(store.spec.provider.infisical.hostAPI).toBe(IN_CLUSTER);
    expect(Object.keys(store.spec.provider)).toEqual(['infisical']);
  });

  test('hostAPI defaults to Infisical Cloud (ESO default), emitted explicitly', () => {
    expect(synthStore({ hostAPI: undefined }).store.spec.provider.infisical.hostAPI).toBe('https://app.infisical.com/api');
  });

  test('conditions list exactly the namespaces that have a binding, sorted, each once', () => {
    const { store } = synthStore({}, ['openclaw', 'authentik', 'openclaw']);
    expect(store.spec.conditions).toEqual([{ namespaces: ['authentik', 'openclaw'] }]);
  });

  test('an allowlist restricts, but conditions still only list namespaces with a binding', () => {
    const { store } = synthStore({ namespaces: ['openclaw', 'monitoring'] }, ['openclaw']);
    expect(store.spec.conditions).toEqual([{ namespaces: ['openclaw'] }]);
  });

  test('custom name and machine identity Secret', () => {
    const { store } = synthStore({
      name: 'vault',
      universalAuth: { secretName: 'mi', namespace: 'eso', clientIdKey: 'id', clientSecretKey: 'secret' },
    });
    expect(store.spec.provider.infisical.auth.universalAuthCredentials).toEqual({
      clientId: { name: 'mi', namespace: 'eso', key: 'id' },
      clientSecret: { name: 'mi', namespace: 'eso', key: 'secret' },
    });
  });

  test('valid against the ESO v0.20.4 CRD schema (v1), unknown fields included', () => {
    expect(schemaErrors(crdSchema('external-secrets-v0.20.4/external-secrets.io_clustersecretstores.yaml', 'v1'), synthStore().store)).toEqual([]);
  });

  describe('fails if', () => {
    test('a binding is in a namespace the store refuses', () => {
      expect(() => synthStore({ namespaces: ['openclaw'] }, ['openclaw', 'argocd'])).toThrow(
        /\[c1\/Binding\] ClusterSecretStore "infisical" refuses namespace: "argocd"\. Allowed: openclaw\. Fix: add "argocd" to the store's `namespaces`/,
      );
    });

    test('the store has no binding (empty conditions would admit every namespace)', () => {
      expect(() => synthStore({}, [])).toThrow(/\[eso\/Store\] ClusterSecretStore "infisical" has no ExternalSecretBinding\. .*Fix: declare a binding or remove the store/);
    });

    test.each([
      ['http://infisical.example.com/api', 'is not https'],
      ['https://infisical.example.com/api/', 'ends with "/"'],
      ['https://user:pw@infisical.example.com/api', 'carries credentials'],
      ['https://infisical.example.com/api?x=1', 'carries a query or fragment'],
      ['infisical:8080', 'is not https'],
      ['not a url', 'not a URL'],
    ])('hostAPI is unsafe or malformed (%s)', (hostAPI, why) => {
      expect(() => synthStore({ hostAPI })).toThrow(
        new RegExp(`\\[eso/Store\\] invalid hostAPI \\(${why.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\): .*Allowed: an https URL without trailing slash, or http to an in-cluster Service`),
      );
    });

    test.each(['Homelab', 'home lab', ''])('a slug is invalid (%j)', (projectSlug) => {
      expect(() => synthStore({ projectSlug })).toThrow(/\[eso\/Store\] invalid Infisical project slug/);
    });

    test.each(['relative', '/a/../b', '/trailing/'])('secretsPath is invalid (%s)', (secretsPath) => {
      expect(() => synthStore({ secretsPath })).toThrow(/\[eso\/Store\] invalid secretsPath: .*Allowed: an absolute folder path/);
    });

    test('an allowed namespace is not a DNS label', () => {
      expect(() => synthStore({ namespaces: ['Open_Claw'] })).toThrow(/\[eso\/Store\] invalid allowed namespace: "Open_Claw"/);
    });
  });
});
