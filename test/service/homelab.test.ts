import { App } from 'cdk8s';
import { SECRET_STORE } from '../../homelab/secrets';
import { ContainerImage, Port, ServiceSpec, buildServices, collectManifests } from '../../lib';

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

describe('fails synth with path, value, allowed and fix', () => {
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
