import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import {
  DeletionPolicy,
  ExternalSecretBinding,
  ExternalSecretBindingProps,
  HardenedNamespace,
  InfisicalClusterSecretStore,
} from '../../lib';
import { find, synthChart } from '../util';
import { crdSchema, schemaErrors } from './crd-schema';

type BindingInput = Omit<ExternalSecretBindingProps, 'store' | 'name' | 'namespace'> & { name?: string; namespace?: string };

/** One binding `app-secret` in namespace `apps` (unless overridden); `more` may call add-methods. */
function bind(props: BindingInput, more?: (b: ExternalSecretBinding) => void) {
  let binding!: ExternalSecretBinding;
  const objects = synthChart((c: Chart) => {
    const store = new InfisicalClusterSecretStore(c, 'store', { projectSlug: 'homelab', environmentSlug: 'prod' });
    binding = new ExternalSecretBinding(c, 'bind', { store, name: 'app-secret', namespace: 'apps', ...props });
    more?.(binding);
  });
  return { binding, es: find(objects, 'ExternalSecret', props.name ?? 'app-secret', props.namespace ?? 'apps'), objects };
}

const TWO_KEYS = [{ secretKey: 'DB_PASSWORD' }, { secretKey: 'API_TOKEN', remoteKey: 'APP_API_TOKEN' }];
const DEFAULTED_REF = { conversionStrategy: 'Default', decodingStrategy: 'None', metadataPolicy: 'None' };
const ES_SCHEMA = () => crdSchema('external-secrets-v0.20.4/external-secrets.io_externalsecrets.yaml', 'v1');

describe('ExternalSecretBinding', () => {
  test('snapshot', () => {
    expect(bind({ data: TWO_KEYS }).es).toMatchSnapshot();
  });

  test('an external-secrets.io/v1 ExternalSecret from ClusterSecretStore/infisical to a Secret of the same name', () => {
    const { es } = bind({ data: TWO_KEYS });
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.metadata).toEqual({ name: 'app-secret', namespace: 'apps' });
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'infisical' });
    expect(es.spec.target).toEqual({ name: 'app-secret', creationPolicy: 'Owner', deletionPolicy: 'Retain' });
    expect(es.spec.refreshInterval).toBe('1h');
    expect(es.spec.dataFrom).toBeUndefined();
  });

  test('every key: secretKey ← remote key (default: the same name), with the server defaults spelled out', () => {
    const { es, binding } = bind({ data: TWO_KEYS });
    expect(es.spec.data).toEqual([
      { secretKey: 'DB_PASSWORD', remoteRef: { key: 'DB_PASSWORD', ...DEFAULTED_REF } },
      { secretKey: 'API_TOKEN', remoteRef: { key: 'APP_API_TOKEN', ...DEFAULTED_REF } },
    ]);
    expect(binding.keys).toEqual(['DB_PASSWORD', 'API_TOKEN']);
    expect(binding.secretName).toBe('app-secret');
  });

  test('the binding registers its namespace with the store', () => {
    const { objects } = bind({ data: TWO_KEYS, namespace: 'monitoring' });
    expect(find(objects, 'ClusterSecretStore', 'infisical').spec.conditions).toEqual([{ namespaces: ['monitoring'] }]);
  });

  test('addKey is the same path as data; a HardenedNamespace is accepted', () => {
    const objects = synthChart((c) => {
      const store = new InfisicalClusterSecretStore(c, 'store', { projectSlug: 'p', environmentSlug: 'e' });
      const ns = new HardenedNamespace(c, 'ns', { name: 'apps' });
      new ExternalSecretBinding(c, 'bind', { store, name: 'app-secret', namespace: ns }).addKey('DB_PASSWORD');
    });
    const es = find(objects, 'ExternalSecret', 'app-secret', 'apps');
    expect(es.spec.data).toEqual([{ secretKey: 'DB_PASSWORD', remoteRef: { key: 'DB_PASSWORD', ...DEFAULTED_REF } }]);
  });

  test('refreshInterval and deletionPolicy are taken as given', () => {
    const { es } = bind({ data: TWO_KEYS, refreshInterval: '30m', deletionPolicy: DeletionPolicy.DELETE });
    expect(es.spec.refreshInterval).toBe('30m');
    expect(es.spec.target.deletionPolicy).toBe('Delete');
  });

  test('templated keys: ESO v2 template merged beside the fetched keys, listed in keys', () => {
    const { es, binding } = bind({
      data: [{ secretKey: 'DB_PASSWORD' }],
      templatedKeys: { DATABASE_URL: 'postgres://app:{{ .DB_PASSWORD }}@db:5432/app' },
    });
    expect(es.spec.target.template).toEqual({
      engineVersion: 'v2',
      mergePolicy: 'Merge',
      data: { DATABASE_URL: 'postgres://app:{{ .DB_PASSWORD }}@db:5432/app' },
    });
    expect(binding.keys).toEqual(['DB_PASSWORD', 'DATABASE_URL']);
  });

  test('envFrom and envVar point at the Secret', () => {
    const { binding } = bind({ data: TWO_KEYS });
    expect(binding.envFrom()).toEqual({ secretRef: { name: 'app-secret' } });
    expect(binding.envVar('API_TOKEN')).toEqual({ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'API_TOKEN' } } });
    expect(binding.envVar('DB_PASSWORD', 'PGPASSWORD')).toEqual({
      name: 'PGPASSWORD',
      valueFrom: { secretKeyRef: { name: 'app-secret', key: 'DB_PASSWORD' } },
    });
  });

  test('keys in any Secret key format (charts read `admin-password`); only envFrom needs env-var names', () => {
    const { binding, es } = bind({ data: [{ secretKey: 'admin-password' }, { secretKey: 'tls.key', remoteKey: 'TLS_KEY' }] });
    expect(es.spec.data.map((d: any) => d.secretKey)).toEqual(['admin-password', 'tls.key']);
    expect(binding.envVar('admin-password', 'ADMIN_PASSWORD').valueFrom?.secretKeyRef).toEqual({ name: 'app-secret', key: 'admin-password' });
    expect(() => binding.envFrom()).toThrow(/\[test\/bind\] key of Secret "app-secret" is not an environment variable name: "admin-password"\. Allowed: upper-case letters, digits and "_"/);
  });

  test.each([
    ['plain', {}],
    ['templated, Delete, 15m', { templatedKeys: { URL: 'x{{ .DB_PASSWORD }}' }, deletionPolicy: DeletionPolicy.DELETE, refreshInterval: '15m' }],
  ])('valid against the ESO v0.20.4 CRD schema (v1): %s', (_, extra) => {
    expect(schemaErrors(ES_SCHEMA(), bind({ data: TWO_KEYS, ...extra }).es)).toEqual([]);
  });

  test('refreshInterval: every Go duration from 1m to 24h is accepted, anything beyond is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), (h, m, s) => {
        const seconds = h * 3600 + m * 60 + s;
        const text = `${h}h${m}m${s}s`;
        const ok = seconds >= 60 && seconds <= 24 * 3600;
        const run = () => bind({ data: TWO_KEYS, refreshInterval: text });
        if (ok) expect(run().es.spec.refreshInterval).toBe(text);
        else expect(run).toThrow(/refreshInterval out of range/);
      }),
      { numRuns: 60 },
    );
  });

  describe('fails if', () => {
    test('a key is declared twice', () => {
      expect(() => bind({ data: [{ secretKey: 'API_TOKEN' }, { secretKey: 'API_TOKEN', remoteKey: 'OTHER' }] })).toThrow(
        /\[test\/bind\] duplicate secret key: "API_TOKEN"\. Allowed: each key once per Secret\. Fix: remove the second declaration/,
      );
    });

    test('a templated key repeats a fetched key', () => {
      expect(() => bind({ data: [{ secretKey: 'URL' }], templatedKeys: { URL: '{{ .URL }}' } })).toThrow(/duplicate secret key: "URL"/);
    });

    test.each(['A B', '', 'a/b', 'pass:word', 'ü'])('a key name is not a Secret key (%j)', (secretKey) => {
      expect(() => bind({ data: [{ secretKey }] })).toThrow(
        /\[test\/bind\] invalid secret key: .*Allowed: a Secret key: 1-253 letters, digits, "-", "_" or "."\. Fix: rename it/,
      );
    });

    test('the rename suggestion is a valid Secret key', () => {
      expect(() => bind({ data: [{ secretKey: 'api key' }] })).toThrow(/Fix: rename it, e\.g\. "api_key"/);
    });

    test.each(['has space', '', 'x'.repeat(257)])('a remote key is malformed (%j)', (remoteKey) => {
      expect(() => bind({ data: [{ secretKey: 'API_TOKEN', remoteKey }] })).toThrow(/\[test\/bind\] invalid remote key: /);
    });

    test.each(['0', '0s', '30s', '25h', '1d', '-1h', '1 h', 'h', '', '1.5'])('refreshInterval is bad or out of 1m..24h (%j)', (refreshInterval) => {
      expect(() => bind({ data: TWO_KEYS, refreshInterval })).toThrow(
        /\[test\/bind\] (invalid refreshInterval|refreshInterval out of range): .*Allowed: a Go duration from 1m to 24h/,
      );
    });

    test.each(['Bad_Name', 'a'.repeat(254), ''])('the name is not a DNS subdomain (%j)', (name) => {
      expect(() => bind({ data: TWO_KEYS, name })).toThrow(/\[test\/bind\] invalid ExternalSecret name/);
    });

    test('the namespace is not a DNS label', () => {
      expect(() => bind({ data: TWO_KEYS, namespace: 'My.Apps' })).toThrow(/\[test\/bind\] invalid namespace: "My.Apps"/);
    });

    test('deletionPolicy is not Retain or Delete', () => {
      expect(() => bind({ data: TWO_KEYS, deletionPolicy: 'Merge' as DeletionPolicy })).toThrow(
        /\[test\/bind\] unknown deletionPolicy: "Merge"\. Allowed: Retain, Delete/,
      );
    });

    test('a template references a key that is not fetched, or none at all', () => {
      expect(() => bind({ data: TWO_KEYS, templatedKeys: { URL: 'x{{ .MISSING }}' } })).toThrow(
        /\[test\/bind\] template of URL must reference fetched keys only: .*Fix: fetch MISSING with addKey\(\) first/,
      );
      expect(() => bind({ data: TWO_KEYS, templatedKeys: { URL: 'literal' } })).toThrow(/literal values belong in the store/);
    });

    test('the binding has no keys', () => {
      expect(() => bind({})).toThrow(/\[test\/bind\] ExternalSecret "app-secret" has no keys\. .*Fix: pass `data` or call addKey\(\)/);
    });

    test('envVar names a key the Secret does not have', () => {
      expect(() => bind({ data: TWO_KEYS }).binding.envVar('NOPE')).toThrow(
        /\[test\/bind\] Secret "app-secret" has no such key: "NOPE"\. Allowed: DB_PASSWORD, API_TOKEN\./,
      );
    });
  });
});
