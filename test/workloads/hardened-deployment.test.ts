import { JsonPatch } from 'cdk8s';
import {
  ContainerImage,
  DeploymentStrategy,
  HardenedDeployment,
  HardenedDeploymentProps,
  Port,
  Probe,
  ServiceType,
  Volume,
} from '../../lib';
import { all, find, synthChart } from '../util';

const BASE: HardenedDeploymentProps = {
  name: 'app',
  namespace: 'apps',
  image: ContainerImage.fromRegistry('registry.example/app:1.2.3'),
  runAsUser: 1000,
  runAsGroup: 2000,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
};
const REASON = 'a folder of Markdown files the app only reads';
const EXEMPTION = 'baseline.homelab.dev/exemption';

function build(props: Partial<HardenedDeploymentProps> = {}, more?: (d: HardenedDeployment) => void) {
  return synthChart((c) => {
    const d = new HardenedDeployment(c, 'app', { ...BASE, ...props });
    more?.(d);
  });
}
const deploymentOf = (objects: any[]) => find(objects, 'Deployment', 'app', 'apps');
const podOf = (objects: any[]) => deploymentOf(objects).spec.template;
const containerOf = (objects: any[]) => podOf(objects).spec.containers[0];

describe('HardenedDeployment defaults (Pod Security restricted)', () => {
  const objects = build();
  const pod = podOf(objects);
  const container = containerOf(objects);

  test('pod securityContext: non-root with the given ids, seccomp RuntimeDefault, no fsGroup unless asked', () => {
    expect(pod.spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 2000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('container securityContext: no escalation, every capability dropped, never privileged, read-only root', () => {
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
    });
  });

  test('its own ServiceAccount, without a token, and the token not mounted', () => {
    expect(pod.spec.serviceAccountName).toBe('app');
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    const sa = find(objects, 'ServiceAccount', 'app', 'apps');
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  test('no host namespaces, no volumes, no exemption annotations', () => {
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC', 'volumes']) expect(pod.spec[field]).toBeUndefined();
    expect(pod.metadata.annotations).toBeUndefined();
    expect(deploymentOf(objects).metadata.annotations).toBeUndefined();
  });

  test('requests and limits as given; the pinned image pulled if not present', () => {
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(container.image).toBe('registry.example/app:1.2.3');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
  });

  test('stable names and one selector label, no hashes', () => {
    const d = deploymentOf(objects);
    expect(d.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'app' } });
    expect(pod.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'app' });
    expect(d.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'app' });
    expect(container.name).toBe('app');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate' });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Deployment/app', 'ServiceAccount/app']);
  });
});

describe('HardenedDeployment options', () => {
  test('an existing ServiceAccount is used as is (none created), with the token when the workload calls the API', () => {
    const objects = build({ serviceAccountName: 'agent', automountServiceAccountToken: true });
    expect(all(objects, 'ServiceAccount')).toEqual([]);
    expect(podOf(objects).spec.serviceAccountName).toBe('agent');
    expect(podOf(objects).spec.automountServiceAccountToken).toBe(true);
  });

  test('volumes: emptyDir and claims writable, ConfigMaps and Secrets read-only with restrictive modes', () => {
    const objects = build({
      fsGroup: 3000,
      volumeMounts: [
        { volume: Volume.emptyDir('tmp', { sizeLimit: '64Mi' }), mountPath: '/tmp' },
        { volume: Volume.persistentVolumeClaim('data', 'app-data'), mountPath: '/data' },
        { volume: Volume.configMap('config', 'app-config'), mountPath: '/etc/app' },
        { volume: Volume.secret('creds', 'app-secret'), mountPath: '/etc/secrets' },
      ],
    });
    const pod = podOf(objects);
    expect(pod.spec.securityContext.fsGroup).toBe(3000);
    expect(pod.spec.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'app-data' } },
      { name: 'config', configMap: { name: 'app-config', defaultMode: 0o444 } },
      { name: 'creds', secret: { secretName: 'app-secret', defaultMode: 0o440 } },
    ]);
    expect(pod.spec.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/data' },
      { name: 'config', mountPath: '/etc/app', readOnly: true },
      { name: 'creds', mountPath: '/etc/secrets', readOnly: true },
    ]);
    expect(pod.metadata.annotations).toBeUndefined();
  });

  test('hostPath: read-only, type Directory, one reasoned exemption on the Deployment and the pod template', () => {
    let exemptions: ReadonlyMap<string, string> = new Map();
    const objects = build({
      volumeMounts: [
        { volume: Volume.hostPath('docs', '/srv/docs', { reason: REASON }), mountPath: '/docs' },
        { volume: Volume.hostPath('skills', '/srv/skills', { reason: 'skill definitions, Markdown only' }), mountPath: '/skills' },
      ],
    }, (d) => (exemptions = d.exemptions));
    const pod = podOf(objects);
    expect(pod.spec.volumes).toEqual([
      { name: 'docs', hostPath: { path: '/srv/docs', type: 'Directory' } },
      { name: 'skills', hostPath: { path: '/srv/skills', type: 'Directory' } },
    ]);
    expect(pod.spec.containers[0].volumeMounts.map((m: any) => m.readOnly)).toEqual([true, true]);
    const expected = { [`${EXEMPTION}.hostpath`]: JSON.stringify({ docs: REASON, skills: 'skill definitions, Markdown only' }) };
    expect(pod.metadata.annotations).toEqual(expected);
    expect(deploymentOf(objects).metadata.annotations).toEqual(expected);
    expect(Object.fromEntries(exemptions)).toEqual(expected);
  });

  test('a writable hostPath mount needs its own second reason', () => {
    const writable = 'the app writes its export here for the host backup job';
    const objects = build({
      volumeMounts: [{ volume: Volume.hostPath('out', '/srv/out', { reason: REASON, writable: { reason: writable } }), mountPath: '/out', readOnly: false }],
    });
    expect(containerOf(objects).volumeMounts).toEqual([{ name: 'out', mountPath: '/out' }]);
    expect(podOf(objects).metadata.annotations).toEqual({
      [`${EXEMPTION}.hostpath`]: JSON.stringify({ out: REASON }),
      [`${EXEMPTION}.hostpath-writable`]: JSON.stringify({ out: writable }),
    });
  });

  test('a writable root filesystem with a reason', () => {
    const reason = 'the vendor image rewrites its config at start';
    const objects = build({ writableRootFilesystem: { reason } });
    expect(containerOf(objects).securityContext.readOnlyRootFilesystem).toBe(false);
    // Per container: `<container>: <reason>`, so the exemption never covers a container added later.
    expect(podOf(objects).metadata.annotations).toEqual({ [`${EXEMPTION}.writable-root-filesystem`]: JSON.stringify({ app: reason }) });
  });

  test('a local build is never pulled; unpinned it carries its reason, pinned it needs none', () => {
    const reason = 'built on the node from a pinned submodule, never pushed';
    const unpinned = build({ image: ContainerImage.localBuild('app:latest', { reason }) });
    expect(containerOf(unpinned)).toMatchObject({ image: 'app:latest', imagePullPolicy: 'Never' });
    expect(podOf(unpinned).metadata.annotations).toEqual({ [`${EXEMPTION}.unpinned-image`]: JSON.stringify({ app: reason }) });
    const pinned = build({ image: ContainerImage.localBuild('app:1.0.0') });
    expect(containerOf(pinned).imagePullPolicy).toBe('Never');
    expect(podOf(pinned).metadata.annotations).toBeUndefined();
  });

  test('named ports, typed probes, environment from Secrets and plain values, command and args', () => {
    const objects = build({
      ports: { http: Port.tcp(8080), metrics: Port.tcp(9090) },
      readinessProbe: Probe.httpGet('http', { path: '/healthz', periodSeconds: 5 }),
      livenessProbe: Probe.tcpSocket('http', { initialDelaySeconds: 10 }),
      startupProbe: Probe.httpGet('metrics', { failureThreshold: 30 }),
      envFrom: [{ secretName: 'app-secret', keys: ['API_TOKEN'] }],
      env: { LOG_LEVEL: 'info' },
      command: ['/app'],
      args: ['--serve'],
    });
    const c = containerOf(objects);
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 });
    expect(c.livenessProbe).toEqual({ tcpSocket: { port: 8080 }, initialDelaySeconds: 10 });
    expect(c.startupProbe).toEqual({ httpGet: { path: '/', port: 9090 }, failureThreshold: 30 });
    expect(c.envFrom).toEqual([{ secretRef: { name: 'app-secret' } }]);
    expect(c.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(c.command).toEqual(['/app']);
    expect(c.args).toEqual(['--serve']);
  });

  test('add methods render through the same path as props', () => {
    const objects = build({}, (d) => {
      d.addPort('http', Port.tcp(8080));
      d.addVolumeMount({ volume: Volume.emptyDir('tmp'), mountPath: '/tmp' });
      d.addEnvFrom({ secretName: 's', keys: ['K'] });
      d.addService({ ports: [{ targetPort: 'http' }] });
    });
    const c = containerOf(objects);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(c.envFrom).toEqual([{ secretRef: { name: 's' } }]);
    expect(find(objects, 'Service', 'app', 'apps').spec.type).toBe('ClusterIP');
  });

  test('labels, replicas and strategy', () => {
    const objects = build({ labels: { tier: 'web' }, replicas: 2, strategy: DeploymentStrategy.RECREATE });
    const d = deploymentOf(objects);
    expect(d.spec.template.metadata.labels).toEqual({ tier: 'web', 'app.kubernetes.io/name': 'app' });
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'app' });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(find(objects, 'ServiceAccount', 'app').metadata.labels).toEqual({ tier: 'web', 'app.kubernetes.io/name': 'app' });
  });
});

describe('HardenedDeployment fails if', () => {
  const fails = (props: Partial<HardenedDeploymentProps> | any, message: RegExp, more?: (d: HardenedDeployment) => void) =>
    expect(() => build(props, more)).toThrow(message);

  test('a container is made privileged through the escape hatch (re-checked at synth)', () => {
    fails({}, /\[test\/app\] container app: privileged is true: "\[container:app\]"\. Allowed: No privileged containers \(HB-POD-005\)\. Fix: remove securityContext\.privileged/, (d) =>
      d.apiObject.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true)));
  });

  test.each([
    ['privilege escalation', '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation', true, /\[test\/app\] container app: allowPrivilegeEscalation is true: "\[container:app\]"\. Allowed: allowPrivilegeEscalation is false \(HB-POD-002\)\. Fix: set securityContext\.allowPrivilegeEscalation: false/],
    ['a root user', '/spec/template/spec/securityContext/runAsUser', 0, /\[test\/app\] pod: runAsUser is 0 \(root\): "\[pod\]"\. Allowed: runAsUser is not 0 \(HB-POD-014\)\. Fix: set runAsUser to a non-zero uid[\s\S]*\[test\/app\] pod securityContext\.runAsUser is root: 0\. Allowed: a non-zero id\. Fix: use the workload props/],
    ['host networking', '/spec/template/spec/hostNetwork', true, /\[test\/app\] hostNetwork is true: "\[hostNetwork\]"\. Allowed: No hostNetwork, hostPID or hostIPC \(HB-POD-006\)\. Fix: remove hostNetwork/],
    ['a hostPath volume', '/spec/template/spec/volumes', [{ name: 'h', hostPath: { path: '/' } }], /\[test\/app\] volume h mounts host path \/ \(no exemption\): "\[volume:h\]"\. Allowed: hostPath volumes only with a reason, mounted read-only \(HB-POD-009\)\. Fix: use a PersistentVolumeClaim or a ConfigMap, or give the volume a hostPath exemption/],
    ['an unpinned image', '/spec/template/spec/containers/0/image', 'app:latest', /\[test\/app\] container app: image "app:latest" has no tag, or the tag latest \(no exemption\): "\[container:app\]"\. Allowed: Images pinned by tag or digest \(no latest\) \(HB-POD-010\)\. Fix: pin a version tag or a digest/],
    ['no limits', '/spec/template/spec/containers/0/resources', {}, /\[test\/app\] container app has no limits\.cpu: "\[container:app\]\[limits\.cpu\]"\. Allowed: Resource requests and limits set \(HB-POD-011\)\. Fix: set resources\.requests and resources\.limits/],
    ['a hostPort', '/spec/template/spec/containers/0/ports', [{ containerPort: 8080, hostPort: 8080 }],
      /\[test\/app\] container app binds host port 8080: "\[container:app\]\[hostPort:8080\]"\. Allowed: No hostPort \(HB-POD-007\)\. Fix: remove hostPort/],
    ['a capability', '/spec/template/spec/containers/0/securityContext/capabilities/add', ['SYS_ADMIN'],
      /\[test\/app\] container app adds capability SYS_ADMIN: "\[container:app\]\[add:SYS_ADMIN\]"\. Allowed: Capabilities drop ALL \(add at most NET_BIND_SERVICE\) \(HB-POD-003\)\. Fix: set securityContext\.capabilities\.drop/],
    // Stricter than HB-POD-003: the constructs add no capability at all.
    ['NET_BIND_SERVICE', '/spec/template/spec/containers/0/securityContext/capabilities/add', ['NET_BIND_SERVICE'],
      /\[test\/app\] container "app" adds capabilities: \["NET_BIND_SERVICE"\]\. Allowed: none\. Fix: use the workload props/],
    ['an unconfined container seccomp profile', '/spec/template/spec/containers/0/securityContext/seccompProfile', { type: 'Unconfined' },
      /\[test\/app\] container app: seccompProfile is "Unconfined": "\[container:app\]"\. Allowed: Seccomp profile RuntimeDefault or Localhost \(HB-POD-004\)\. Fix: set securityContext\.seccompProfile\.type: RuntimeDefault/],
    // Stricter than HB-POD-004: a Localhost profile is a file on the node nothing here can check.
    ['a Localhost pod seccomp profile', '/spec/template/spec/securityContext/seccompProfile', { type: 'Localhost', localhostProfile: 'p.json' },
      /\[test\/app\] pod seccompProfile is not RuntimeDefault: \{"localhostProfile":"p\.json","type":"Localhost"\}\. Allowed: \{ type: RuntimeDefault \}\. Fix: use the workload props/],
    ['a token automount that is not a boolean', '/spec/template/spec/automountServiceAccountToken', 'false',
      /\[test\/app\] automountServiceAccountToken is "false", not a boolean \(defaults to true\): "\[automountServiceAccountToken\]"\. Allowed: automountServiceAccountToken set explicitly \(HB-POD-012\)\. Fix: set automountServiceAccountToken: false/],
  ])('the escape hatch adds %s', (_what, path, value, message) => {
    fails({}, message, (d) => d.apiObject.addJsonPatch(JsonPatch.add(path, value)));
  });

  describe('the escape hatch weakens an exempted workload (each exemption covers only what it names)', () => {
    const hostPath = { volumeMounts: [{ volume: Volume.hostPath('docs', '/srv/docs', { reason: REASON }), mountPath: '/docs' }] };
    const sidecar = (overrides: Record<string, unknown>) => ({
      name: 'sidecar',
      image: 'registry.example/sidecar:1.0.0',
      resources: BASE.resources,
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
      ...overrides,
    });

    test('a second hostPath volume is not covered by the first one\'s exemption', () => {
      fails(hostPath, /\[test\/app\] volume etc mounts host path \/etc \(no exemption\): "\[volume:etc\]"\. Allowed: hostPath volumes only with a reason, mounted read-only \(HB-POD-009\)\. Fix: use a PersistentVolumeClaim or a ConfigMap, or give the volume a hostPath exemption/, (d) =>
        d.apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/volumes/-', { name: 'etc', hostPath: { path: '/etc' } })));
    });

    test('a hostPath mount loses readOnly', () => {
      fails(hostPath, /\[test\/app\] container app mounts host path volume docs writable at \/docs \(no exemption\): "\[volume:docs\]\[mount:app:\/docs\]"\. Allowed: hostPath volumes only with a reason, mounted read-only \(HB-POD-009\)\. Fix: use a PersistentVolumeClaim or a ConfigMap, or give the volume a hostPath exemption/, (d) =>
        d.apiObject.addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/volumeMounts/0/readOnly')));
    });

    test('a hostPath exemption entry is a placeholder', () => {
      fails(hostPath, /\[test\/app\] volume docs mounts host path \/srv\/docs \(no exemption\): "\[volume:docs\]"\. Allowed: hostPath volumes only with a reason, mounted read-only \(HB-POD-009\)\. Fix: use a PersistentVolumeClaim or a ConfigMap, or give the volume a hostPath exemption/, (d) =>
        d.apiObject.addJsonPatch(JsonPatch.replace('/spec/template/metadata/annotations/baseline.homelab.dev~1exemption.hostpath', '{"docs":"TODO"}')));
    });

    test('a sidecar with an unpinned image rides on the local build\'s exemption', () => {
      const local = { image: ContainerImage.localBuild('app:latest', { reason: 'built on the node from a pinned submodule, never pushed' }) };
      fails(local, /\[test\/app\] container sidecar: image "nginx:latest" has no tag, or the tag latest \(no exemption\): "\[container:sidecar\]"\. Allowed: Images pinned by tag or digest \(no latest\) \(HB-POD-010\)\. Fix: pin a version tag or a digest/, (d) =>
        d.apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/-', sidecar({ image: 'nginx:latest', imagePullPolicy: 'Never' }))));
    });

    // Stricter than HB-POD-010: the unpinned-image exemption is for a local build, which is never pulled.
    test('a local build is pulled after all', () => {
      const local = { image: ContainerImage.localBuild('app:latest', { reason: 'built on the node from a pinned submodule, never pushed' }) };
      fails(local, /\[test\/app\] container "app" pulls its unpinned image: "IfNotPresent"\. Allowed: imagePullPolicy: Never for an unpinned local build\. Fix: use the workload props/, (d) =>
        d.apiObject.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/imagePullPolicy', 'IfNotPresent')));
    });

    test('a sidecar with a writable root filesystem rides on the main container\'s exemption', () => {
      const writable = { writableRootFilesystem: { reason: 'the vendor image rewrites its config at start' } };
      fails(writable, /\[test\/app\] container sidecar: root filesystem is writable \(no exemption\): "\[container:sidecar\]"\. Allowed: readOnlyRootFilesystem is true \(HB-POD-008\)\. Fix: set securityContext\.readOnlyRootFilesystem: true/, (d) =>
        d.apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/-', sidecar({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: false } }))));
    });
  });

  test('a hostPath volume has no reason', () => {
    fails(
      { volumeMounts: [{ volume: Volume.hostPath('docs', '/srv/docs', {} as any), mountPath: '/docs' }] },
      /\[test\/app\] hostPath volume "docs" needs a written reason: undefined\. Allowed: a sentence of at least 20 characters.*Fix: pass `reason/,
    );
  });

  test('a hostPath reason is a placeholder', () => {
    fails({ volumeMounts: [{ volume: Volume.hostPath('docs', '/srv/docs', { reason: 'TODO explain this later please' }), mountPath: '/docs' }] },
      /hostPath volume "docs" needs a written reason: "TODO explain this later please"/);
  });

  test('a hostPath volume is mounted writable without the second reason', () => {
    fails({ volumeMounts: [{ volume: Volume.hostPath('docs', '/srv/docs', { reason: REASON }), mountPath: '/docs', readOnly: false }] },
      /\[test\/app\] writable hostPath mount of "docs" needs a written reason: undefined/);
  });

  test.each([
    ['latest', 'registry.example/app:latest'],
    ['no tag', 'registry.example/app'],
    ['a registry port but no tag', 'localhost:5000/app'],
  ])('a registry image is unpinned (%s)', (_what, reference) => {
    fails({ image: ContainerImage.fromRegistry(reference) },
      new RegExp(`\\[test/app\\] image is not pinned: "${reference}"\\. Allowed: a tag other than "latest" or a digest \\(@sha256:\\.\\.\\.\\)\\. Fix: pin the version`));
  });

  test('an unpinned local build has no reason', () => {
    fails({ image: ContainerImage.localBuild('app:latest') }, /\[test\/app\] unpinned local image "app:latest" needs a written reason: undefined/);
  });

  test('an image reference is malformed', () => {
    fails({ image: ContainerImage.fromRegistry('Registry/App:1') }, /invalid image reference: "Registry\/App:1"/);
  });

  test.each([
    ['limits', { requests: { cpu: '100m', memory: '64Mi' } }, /\[test\/app\] limits\.cpu is missing: undefined\. Allowed: a CPU quantity.*Fix: set resources\.limits\.cpu: both requests and limits are required/],
    ['requests.memory', { requests: { cpu: '100m' }, limits: { cpu: '1', memory: '1Gi' } }, /requests\.memory is missing/],
    ['everything', undefined, /requests\.cpu is missing/],
  ])('resources are missing (%s)', (_what, resources, message) => {
    fails({ resources }, message);
  });

  test.each([
    [{ requests: { cpu: 'lots', memory: '64Mi' }, limits: { cpu: '1', memory: '1Gi' } }, /requests\.cpu is not a positive quantity: "lots"/],
    [{ requests: { cpu: '0', memory: '64Mi' }, limits: { cpu: '1', memory: '1Gi' } }, /requests\.cpu is not a positive quantity: "0"/],
    [{ requests: { cpu: '2', memory: '64Mi' }, limits: { cpu: '1', memory: '1Gi' } }, /requests\.cpu exceeds limits\.cpu: "2 > 1"/],
    [{ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '1500Mi' } }, /requests\.memory exceeds limits\.memory/],
  ])('resources are malformed or inverted (%#)', (resources, message) => {
    fails({ resources }, message);
  });

  test.each([
    ['runAsUser', { runAsUser: 0 }],
    ['runAsGroup', { runAsGroup: 0 }],
    ['fsGroup', { fsGroup: 0 }],
    ['runAsUser', { runAsUser: 1.5 }],
  ])('%s is root or not an id', (field, props) => {
    fails(props, new RegExp(`\\[test/app\\] ${field} must be a non-root id: [0-9.]+\\. Allowed: an integer from 1 to 2147483647 \\(0 is root\\)`));
  });

  test('a writable root filesystem has no real reason', () => {
    fails({ writableRootFilesystem: { reason: 'needed' } }, /\[test\/app\] writable root filesystem needs a written reason: "needed"/);
  });

  test.each([
    ['a ConfigMap', Volume.configMap('cfg', 'app-config')],
    ['a Secret', Volume.secret('creds', 'app-secret')],
    ['a read-only claim', Volume.persistentVolumeClaim('data', 'app-data', { readOnly: true })],
  ])('%s is mounted writable', (_what, volume) => {
    fails({ volumeMounts: [{ volume, mountPath: '/x', readOnly: false }] }, /mounted writable: "\/x"\. Allowed: read-only mounts of ConfigMaps, Secrets and read-only claims/);
  });

  test.each(['tmp', '/', '/a/../etc', 'C:/x'])('a mount path is not an absolute path (%s)', (mountPath) => {
    fails({ volumeMounts: [{ volume: Volume.emptyDir('tmp'), mountPath }] }, /invalid mount path/);
  });

  test('a mount path is used twice, or two volumes share a name', () => {
    fails({ volumeMounts: [{ volume: Volume.emptyDir('a'), mountPath: '/x' }, { volume: Volume.emptyDir('b'), mountPath: '/x' }] }, /mount path used twice: "\/x"/);
    fails({ volumeMounts: [{ volume: Volume.emptyDir('a'), mountPath: '/x' }, { volume: Volume.configMap('a', 'c'), mountPath: '/y' }] }, /two different volumes share a name: "a"/);
  });

  test('a probe names a port the container does not declare', () => {
    fails({ ports: { http: Port.tcp(8080) }, readinessProbe: Probe.httpGet('web') }, /\[test\/app\] readinessProbe targets a port the container does not declare over TCP: "web"\. Allowed: one of: http/);
  });

  test.each([
    ['a bad name', { HTTP: Port.tcp(80) }, /invalid container port name: "HTTP"/],
    ['a name longer than 15', { 'a-very-long-port-name': Port.tcp(80) }, /invalid container port name/],
    ['an invalid number', { http: Port.tcp(70000) }, /invalid port: 70000/],
  ])('a port has %s', (_what, ports, message) => {
    fails({ ports }, message);
  });

  test('a port is declared twice', () => {
    fails({ ports: { http: Port.tcp(80), web: Port.tcp(80) } }, /container port declared twice: "web TCP\/80"/);
  });

  test('a Secret key or variable cannot be an environment variable name', () => {
    fails({ envFrom: [{ secretName: 's', keys: ['OK', '1BAD'] }] }, /invalid key of Secret "s": "1BAD"/);
    fails({ env: { 'A B': 'x' } }, /invalid environment variable name: "A B"/);
    fails({ envFrom: [{ secretName: 's', keys: [] }] }, /Secret without keys used as environment: "s"/);
  });

  test.each(['.', '..', '..x', '...'])('an environment variable name is "." or starts with ".." (the API server refuses %j)', (name) => {
    const escaped = name.replace(/\./g, '\\.');
    fails({ env: { [name]: 'x' } }, new RegExp(`^\\[test/app\\] invalid environment variable name: "${escaped}"\\. Allowed: .*not starting with a digit or "\\.\\.", and not "\\."\\. Fix: rename it`));
    fails({ envFrom: [{ secretName: 's', keys: [name] }] }, new RegExp(`invalid key of Secret "s": "${escaped}"`));
  });

  test.each([
    ['/srv/../etc', /\[test\/app\] invalid hostPath path of volume "docs": "\/srv\/\.\.\/etc"\. Allowed: an absolute path on the node without "\.\."/],
    ['..', /invalid hostPath path of volume "docs": "\.\."/],
    ['srv/docs', /invalid hostPath path of volume "docs": "srv\/docs"\..*Fix: write the folder's real absolute path/],
    ['', /invalid hostPath path of volume "docs": ""/],
  ])('a hostPath path is relative or has ".." (%j)', (hostPath, message) => {
    fails({ volumeMounts: [{ volume: Volume.hostPath('docs', hostPath, { reason: REASON }), mountPath: '/docs' }] }, message);
  });

  test.each([
    [{ 'tier name': 'web' }, /\[test\/app\] invalid label key: "tier name"\. Allowed: an optional DNS-1123 subdomain prefix/],
    [{ tier: 'front end' }, /\[test\/app\] invalid value of label "tier": "front end"\. Allowed: empty, or 1-63 letters.*Fix: change it, e\.g\. to "front-end"/],
  ])('a label is not one the API server accepts (%j)', (labels, message) => {
    fails({ labels }, message);
  });

  test('labels try to override the name label', () => {
    fails({ labels: { 'app.kubernetes.io/name': 'other' } }, /the app.kubernetes.io\/name label is the workload name: "other"/);
  });

  test('a NodePort Service has no explicit nodePort, or a ClusterIP one has one', () => {
    const ports = { http: Port.tcp(8080) };
    fails({ ports, service: { type: ServiceType.NODE_PORT, ports: [{ targetPort: 'http' }] } },
      /\[test\/app\/Service-app\] NodePort Service without an explicit nodePort: undefined\. Allowed: an explicit integer from 30000 to 32767/);
    fails({ ports, service: { type: ServiceType.NODE_PORT, ports: [{ targetPort: 'http', nodePort: 8080 }] } }, /nodePort outside the node port range: 8080/);
    fails({ ports, service: { ports: [{ targetPort: 'http', nodePort: 30080 }] } }, /nodePort on a Service that is not a NodePort: 30080/);
    fails({ ports, service: { type: 'LoadBalancer' as ServiceType, ports: [{ targetPort: 'http' }] } }, /unsupported Service type: "LoadBalancer"/);
  });

  test('a Service targets an undeclared port or has none', () => {
    fails({ service: { ports: [{ targetPort: 'http' }] } }, /Service targets a container port the workload does not declare: "http"/);
    fails({ ports: { http: Port.tcp(1) }, service: { ports: [] } }, /Service without ports/);
  });
});
