import { App, Chart } from 'cdk8s';
import { SECRET_STORE } from '../../homelab/secrets';
import {
  ExternalSecretBinding,
  InfisicalClusterSecretStore,
  ServiceSecretKey,
  ServiceSpec,
  buildServices,
  collectManifests,
} from '../../lib';
import { keyPurposeAnnotation } from '../../lib/annotations';
import { renderSecretKeys, secretKeyRows } from '../../lib/report/external-secrets';
import { ObjectIndex } from '../../lib/report/objects';
import { synthChart } from '../util';
import { smallCluster } from './fixture';

describe('the purpose of every secret key', () => {
  test('one row per fetched key: the purpose from the ExternalSecret, the readers from the workloads', () => {
    const rows = secretKeyRows(new ObjectIndex(smallCluster()));
    // The fixture's ExternalSecret writes Secret site-env, which deployment/site reads with envFrom.
    expect(rows).toEqual([
      { namespace: 'web', externalSecret: 'site-secret', key: 'API_TOKEN', purpose: 'Calls the upstream API', readBy: ['deployment/site (envFrom)'] },
      { namespace: 'web', externalSecret: 'site-secret', key: 'DB_PASSWORD', readBy: ['deployment/site (envFrom)'] },
    ]);
    expect(renderSecretKeys(new ObjectIndex(smallCluster()))).toContain('| `web` | `site-secret` | `DB_PASSWORD` | undocumented (no purpose annotation) |');
  });

  test('ExternalSecretBinding emits each key\'s purpose as an annotation; a bad purpose is refused', () => {
    const objects = synthChart((c: Chart) => {
      const store = new InfisicalClusterSecretStore(c, 'store', { projectSlug: 'homelab', environmentSlug: 'prod' });
      const b = new ExternalSecretBinding(c, 'b', { store, name: 's', namespace: 'n', data: [{ secretKey: 'A_KEY', purpose: 'what key A is for' }] });
      b.addKey('B_KEY', 'B_KEY', 'what key B is for');
      b.addKey('C_KEY');
    });
    const es = objects.find((o) => o.kind === 'ExternalSecret')!;
    expect(es.metadata.annotations).toEqual({
      [keyPurposeAnnotation('A_KEY')]: 'what key A is for',
      [keyPurposeAnnotation('B_KEY')]: 'what key B is for',
    });
    expect(() => synthChart((c: Chart) => {
      const store = new InfisicalClusterSecretStore(c, 'store', { projectSlug: 'homelab', environmentSlug: 'prod' });
      new ExternalSecretBinding(c, 'b', { store, name: 's', namespace: 'n', data: [{ secretKey: 'A_KEY', purpose: 'TODO' }] });
    })).toThrow(/\[test\/b\] secret key A_KEY needs a purpose: "TODO". Allowed: a phrase of at least 10 characters/);
  });

  test('a key too long for its purpose annotation is refused (the API server would refuse the annotation)', () => {
    const key = `K${'E'.repeat(55)}`;
    expect(() => synthChart((c: Chart) => {
      const store = new InfisicalClusterSecretStore(c, 'store', { projectSlug: 'homelab', environmentSlug: 'prod' });
      new ExternalSecretBinding(c, 'b', { store, name: 's', namespace: 'n', data: [{ secretKey: key, purpose: 'what the key is for' }] });
    })).toThrow(new RegExp(`secret key too long to carry its purpose: "${key}". Allowed: a key of at most 55 characters`));
    expect(() => synthChart((c: Chart) => {
      const store = new InfisicalClusterSecretStore(c, 'store', { projectSlug: 'homelab', environmentSlug: 'prod' });
      new ExternalSecretBinding(c, 'b', { store, name: 's', namespace: 'n', data: [{ secretKey: key.slice(1), purpose: 'what the key is for' }] });
    })).not.toThrow();
  });

  test('a service key without a purpose is refused at synth, naming the key and its Secret', () => {
    const service = (keys: ServiceSecretKey[]): ServiceSpec[] => [
      { namespace: 'external-secrets' },
      { namespace: 'media', secrets: [{ name: 'media-secret', keys }] },
    ];
    const app = new App();
    buildServices(app, { services: service([{ name: 'API_KEY', purpose: 'Calls the media API' }]), secretStore: SECRET_STORE });
    const es = collectManifests(app).find((m) => m.object.kind === 'ExternalSecret')!.object;
    expect(es.metadata.annotations?.[keyPurposeAnnotation('API_KEY')]).toBe('Calls the media API');
    expect(() => buildServices(new App(), { services: service([{ name: 'API_KEY' } as ServiceSecretKey]), secretStore: SECRET_STORE }))
      .toThrow(/secret key API_KEY of media-secret needs a purpose: undefined/);
  });
});
