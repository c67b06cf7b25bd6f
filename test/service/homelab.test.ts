import { App } from 'cdk8s';
import { SECRET_STORE } from '../../homelab/secrets';
import { ContainerImage, Port, SecretScope, ServiceSpec, baselineRules, buildServices, collectManifests, runRules } from '../../lib';

const ESO: ServiceSpec = { namespace: 'external-secrets' };
const media = (extra: Partial<ServiceSpec> = {}): ServiceSpec => ({
  namespace: 'jellyfin',
  network: { tailnetIngress: [Port.tcp(8096)], internetEgress: [Port.tcp(443)] },
  secrets: [{ name: 'jellyfin-secret', keys: [{ name: 'JELLYFIN_API_KEY', purpose: 'Jellyfin API for the media agent' }] }],
  claims: [{ name: 'jellyfin-config', size: '10Gi' }],
  deployments: [{
    name: 'jellyfin',
    image: ContainerImage.fromRegistry('jellyfin/jellyfin:10.10.3'),
    runAsUser: 10001,
    runAsGroup: 10001,
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '2', memory: '2Gi' } },
    ports: { http: Port.tcp(8096) },
    envFrom: ['jellyfin-secret'],
    service: { ports: [{ targetPort: 'http' }] },
  }],
  ...extra,
});
const build = (services: ServiceSpec[]) => buildServices(new App(), { services, secretStore: SECRET_STORE });

test('one declaration builds the namespace, its policies, its ExternalSecret, claim, Deployment, ServiceAccount and Service', () => {
  const app = new App();
  buildServices(app, { services: [ESO, media()], secretStore: SECRET_STORE });
  const ids = collectManifests(app).filter((m) => m.object.metadata.namespace === 'jellyfin' || m.object.metadata.name === 'jellyfin')
    .map((m) => `${m.object.kind}/${m.object.metadata.name}`).sort();
  expect(ids).toEqual([
    'Deployment/jellyfin', 'ExternalSecret/jellyfin-secret', 'Namespace/jellyfin', 'NetworkPolicy/allow-dns', 'NetworkPolicy/allow-internet-egress',
    'NetworkPolicy/allow-same-namespace', 'NetworkPolicy/allow-tailnet-ingress', 'NetworkPolicy/default-deny-all',
    'PersistentVolumeClaim/jellyfin-config', 'Service/jellyfin', 'ServiceAccount/jellyfin',
  ]);
});

test('per-namespace secret scope: one store per namespace, its own folder, identity and condition', () => {
  const app = new App();
  const other: ServiceSpec = { namespace: 'music', secrets: [{ name: 'music-secret', keys: [{ name: 'JELLYFIN_API_KEY', purpose: 'Jellyfin API access for the music service' }] }] };
  buildServices(app, { services: [ESO, media(), other], secretStore: { ...SECRET_STORE, scope: SecretScope.PER_NAMESPACE } });
  const manifests = collectManifests(app);
  const stores = manifests.map((m) => m.object).filter((o) => o.kind === 'ClusterSecretStore') as any[];
  expect(stores.map((o) => [
    o.metadata.name,
    o.spec.conditions,
    o.spec.provider.infisical.secretsScope.secretsPath,
    o.spec.provider.infisical.auth.universalAuthCredentials.clientId.name,
  ])).toEqual([
    ['infisical-jellyfin', [{ namespaces: ['jellyfin'] }], '/jellyfin', 'infisical-machine-identity-jellyfin'],
    ['infisical-music', [{ namespaces: ['music'] }], '/music', 'infisical-machine-identity-music'],
  ]);
  const es = manifests.map((m) => m.object).filter((o) => o.kind === 'ExternalSecret') as any[];
  expect(es.map((o) => `${o.metadata.namespace}:${o.spec.secretStoreRef.name}`)).toEqual(['jellyfin:infisical-jellyfin', 'music:infisical-music']);
  // The same key name in two namespaces is two keys, in two folders: HB-ESO-001 has nothing to say.
  expect(runRules(manifests, baselineRules(), []).findings.filter((f) => f.ruleId.startsWith('HB-ESO'))).toEqual([]);
  // With one shared store it is one key reaching two namespaces.
  const shared = new App();
  buildServices(shared, { services: [ESO, media(), other], secretStore: SECRET_STORE });
  expect(runRules(collectManifests(shared), baselineRules(), []).findings.filter((f) => f.ruleId === 'HB-ESO-001').map((f) => `${f.object} ${f.finding}`)).toEqual([
    'ExternalSecret/jellyfin/jellyfin-secret [key:JELLYFIN_API_KEY]',
    'ExternalSecret/music/music-secret [key:JELLYFIN_API_KEY]',
  ]);
});

describe('fails synth with path, value, allowed and fix', () => {
  test('a name declared twice in one service: the library\'s message, not the constructs stack trace', () => {
    const twice = media({ deployments: [...media().deployments!, ...media().deployments!] });
    expect(() => build([ESO, twice])).toThrow(/\[jellyfin\] declared twice: "jellyfin"\. Allowed: each Deployment, claim, Secret and construct id once per service.*Fix: remove or rename the second declaration of "jellyfin" in service jellyfin/);
  });

  test('two services claiming one namespace', () => {
    expect(() => build([ESO, media(), media()])).toThrow(/\[services\[2\] \(jellyfin\)\] two services claim one namespace: "jellyfin"\. Allowed: one service per namespace.*Fix: merge/);
  });
  test('a Deployment reading a Secret its service does not declare, with the nearest name', () => {
    const bad = media({ deployments: [{ ...media().deployments![0], envFrom: ['jellyfin-secrt'] }] });
    expect(() => build([ESO, bad])).toThrow(/workload reads a Secret its service does not declare: "jellyfin-secrt"\. Allowed: a Secret of service jellyfin: jellyfin-secret\. Fix: .*did you mean "jellyfin-secret"/);
  });
  test('an allowance to a namespace no service declares (a typo), with the nearest name', () => {
    const bad = media({ network: { egressTo: [{ namespace: 'extrenal-secrets', ports: [Port.tcp(443)] }] } });
    expect(() => build([ESO, bad])).toThrow(/names a namespace that is not a service of the homelab: "extrenal-secrets".*did you mean "external-secrets"/);
  });
  test('a reserved namespace', () => {
    expect(() => build([{ namespace: 'kube-system' }])).toThrow(/\[kube-system\/Namespace\] reserved namespace name: "kube-system"/);
  });
  test('two services on one NodePort', () => {
    const np = (ns: string): ServiceSpec => ({ ...media({ namespace: ns, secrets: [], deployments: [{ ...media().deployments![0], envFrom: [], service: { type: 'NodePort' as any, ports: [{ targetPort: 'http', nodePort: 30100 }] } }] }) });
    expect(() => build([ESO, np('a'), np('b')])).toThrow(/two Services claim one NodePort: 30100\. Allowed: each NodePort once in the cluster\. Fix: choose another port in 30000-32767: Service a\/jellyfin already uses 30100/);
  });
  test('secrets without a store', () => {
    expect(() => buildServices(new App(), { services: [media()] })).toThrow(/service declares secrets but the homelab has no secret store/);
  });
});
