import * as fs from 'fs';
import * as path from 'path';
import { JsonPatch } from 'cdk8s';
import {
  ContainerImage,
  EnvValue,
  HardenedDeployment,
  HardenedDeploymentProps,
  HardenedStatefulSet,
  HardenedStatefulSetProps,
  LiteralConfigMap,
  Port,
  Probe,
  Volume,
} from '../../lib';
import { find, synthChart, tempDir } from '../util';

// The adoption props of every hardened workload: init containers, env from keys, envFrom ConfigMaps, every probe
// handler, kept selectors and pod labels; and the StatefulSet with claim templates.
const BASE: HardenedDeploymentProps = {
  name: 'app',
  namespace: 'apps',
  image: ContainerImage.fromRegistry('registry.example/app:1.2.3'),
  runAsUser: 1000,
  runAsGroup: 2000,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
};
const INIT = { name: 'init', image: ContainerImage.fromRegistry('busybox:1.36.1'), resources: BASE.resources, command: ['true'] };
const REASON = 'a folder of Markdown files the app only reads';
const HARDENED = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true };

function deployment(props: Partial<HardenedDeploymentProps> = {}, more?: (d: HardenedDeployment) => void): any {
  return find(synthChart((c) => {
    const d = new HardenedDeployment(c, 'app', { ...BASE, ...props });
    more?.(d);
  }), 'Deployment', 'app', 'apps');
}

describe('init containers', () => {
  const d = deployment({
    initContainers: [{ ...INIT, args: ['-x'], env: { A: 'b' }, volumeMounts: [{ volume: Volume.emptyDir('scratch'), mountPath: '/scratch' }] }],
  });
  const init = d.spec.template.spec.initContainers[0];

  test('get the same hardened securityContext, their own command, args, env and mounts', () => {
    expect(init).toMatchObject({ name: 'init', image: 'busybox:1.36.1', command: ['true'], args: ['-x'], env: [{ name: 'A', value: 'b' }] });
    expect(init.securityContext).toEqual(HARDENED);
    expect(init.volumeMounts).toEqual([{ name: 'scratch', mountPath: '/scratch' }]);
    expect(d.spec.template.spec.volumes).toEqual([{ name: 'scratch', emptyDir: {} }]);
    expect(d.spec.template.spec.containers[0].volumeMounts).toBeUndefined();
  });

  test('exemptions name the init container: a writable root or an unpinned image of one container covers only that one', () => {
    const x = deployment({
      initContainers: [{ ...INIT, writableRootFilesystem: { reason: 'the migration tool unpacks itself into /opt' } }],
    });
    expect(x.spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(x.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(x.spec.template.metadata.annotations['baseline.homelab.dev/exemption.writable-root-filesystem']).toBe(JSON.stringify({ init: 'the migration tool unpacks itself into /opt' }));
  });

  test('a hostPath mounted by an init container carries its reason and is read-only', () => {
    const x = deployment({}, (dep) => dep.addInitContainer({ ...INIT, volumeMounts: [{ volume: Volume.hostPath('docs', '/srv/docs', { reason: REASON }), mountPath: '/docs' }] }));
    expect(x.spec.template.spec.initContainers[0].volumeMounts).toEqual([{ name: 'docs', mountPath: '/docs', readOnly: true }]);
    expect(x.metadata.annotations['baseline.homelab.dev/exemption.hostpath']).toBe(JSON.stringify({ docs: REASON }));
  });

  test.each([
    ['an init container named like the workload', { initContainers: [{ ...INIT, name: 'app' }] }, /container name used twice: "app"/],
    ['an unpinned init image', { initContainers: [{ ...INIT, image: ContainerImage.fromRegistry('busybox') }] }, /image is not pinned: "busybox"/],
    ['a hostPath without a reason', { initContainers: [{ ...INIT, volumeMounts: [{ volume: Volume.hostPath('h', '/srv', { reason: '' }), mountPath: '/h' }] }] }, /hostPath volume "h" needs a written reason/],
  ])('fails if %s', (_what, props, message) => {
    expect(() => deployment(props as Partial<HardenedDeploymentProps>)).toThrow(message);
  });

  test('fails at synth if a patch makes an init container privileged', () => {
    expect(() => deployment({ initContainers: [INIT] }, (dep) => dep.apiObject.addJsonPatch(JsonPatch.replace('/spec/template/spec/initContainers/0/securityContext/privileged', true))))
      .toThrow(/container init: privileged is true/);
  });
});

describe('environment', () => {
  test('literals, ConfigMap keys and Secret keys (any Secret key format) by name; envFrom of a ConfigMap and a Secret', () => {
    const d = deployment({
      env: { PLAIN: 'x', FROM_CM: EnvValue.fromConfigMapKey('app-config', 'log.level'), PASSWORD: EnvValue.fromSecretKey('app-secret', 'admin-password') },
      envFrom: [{ configMapName: 'app-config', keys: ['LOG_LEVEL'] }, { secretName: 'app-secret', keys: ['API_TOKEN'] }],
    });
    const c = d.spec.template.spec.containers[0];
    expect(c.env).toEqual([
      { name: 'PLAIN', value: 'x' },
      { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'log.level' } } },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'admin-password' } } },
    ]);
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'app-config' } }, { secretRef: { name: 'app-secret' } }]);
  });

  test.each([
    ['a Secret with a lower-case key is injected whole', { envFrom: [{ secretName: 's', keys: ['admin-password'] }] }, /key of Secret "s" is not an environment variable name: "admin-password".*EnvValue\.fromSecretKey\("s", "admin-password"\)/],
    ['a Secret key reference has an invalid key', { env: { A: EnvValue.fromSecretKey('s', 'a b') } }, /invalid Secret key: "a b"/],
    ['a ConfigMap reference names an invalid ConfigMap', { env: { A: EnvValue.fromConfigMapKey('Bad_Name', 'k') } }, /invalid ConfigMap name: "Bad_Name"/],
    ['one ConfigMap is injected twice', { envFrom: [{ configMapName: 'c', keys: ['A'] }, { configMapName: 'c', keys: ['A'] }] }, /envFrom source added twice/],
  ])('fails if %s', (_what, props, message) => {
    expect(() => deployment(props as Partial<HardenedDeploymentProps>)).toThrow(message);
  });
});

describe('probes', () => {
  test('exec (no port) and grpc (a declared port), with successThreshold', () => {
    const c = deployment({
      ports: { grpc: Port.tcp(9090) },
      livenessProbe: Probe.exec(['/bin/health', '--quick'], { periodSeconds: 30 }),
      readinessProbe: Probe.grpc('grpc', { service: 'app.v1', successThreshold: 2 }),
    }).spec.template.spec.containers[0];
    expect(c.livenessProbe).toEqual({ exec: { command: ['/bin/health', '--quick'] }, periodSeconds: 30 });
    expect(c.readinessProbe).toEqual({ grpc: { port: 9090, service: 'app.v1' }, successThreshold: 2 });
  });

  test.each([
    ['an exec probe has no command', { livenessProbe: Probe.exec([]) }, /livenessProbe runs an empty command/],
    ['a grpc probe targets an undeclared port', { readinessProbe: Probe.grpc('grpc') }, /readinessProbe targets a port the container does not declare over TCP: "grpc"/],
  ])('fails if %s', (_what, props, message) => {
    expect(() => deployment(props)).toThrow(message);
  });
});

describe('selector and pod labels', () => {
  test('default: selects by the name label only', () => {
    const d = deployment();
    expect(d.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'app' } });
  });

  test('selectorLabels keep an existing selector; the pods carry it, the name label and podLabels; a Service selects by it', () => {
    const objects = synthChart((c) => new HardenedDeployment(c, 'app', {
      ...BASE,
      ports: { http: Port.tcp(8080) },
      selectorLabels: { app: 'web', tier: 'front' },
      podLabels: { team: 'media' },
      service: { ports: [{ targetPort: 'http' }] },
    }));
    const d = find(objects, 'Deployment', 'app', 'apps');
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'web', tier: 'front' } });
    expect(d.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'app', team: 'media', app: 'web', tier: 'front' });
    expect(d.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'app' });
    expect(find(objects, 'Service', 'app', 'apps').spec.selector).toEqual({ app: 'web', tier: 'front' });
  });

  test.each([
    ['an empty selector', { selectorLabels: {} }, /empty selector/],
    ['a pod label that contradicts the selector', { selectorLabels: { app: 'web' }, podLabels: { app: 'api' } }, /two values for one pod label: "app: api \/ web"/],
  ])('fails if %s', (_what, props, message) => {
    expect(() => deployment(props)).toThrow(message);
  });
});

describe('HardenedStatefulSet', () => {
  const SET: HardenedStatefulSetProps = {
    ...BASE,
    name: 'db',
    volumeClaimTemplates: [{ name: 'data', size: '10Gi', storageClassName: 'local-path' }],
    volumeMounts: [{ volume: Volume.claimTemplate('data'), mountPath: '/data' }],
  };
  const set = (props: Partial<HardenedStatefulSetProps> = {}): any => find(synthChart((c) => new HardenedStatefulSet(c, 'db', { ...SET, ...props })), 'StatefulSet', 'db', 'apps');

  test('the hardened pod, serviceName defaulting to the name, one claim per template, mounted without a pod volume', () => {
    const s = set();
    expect(s.spec.serviceName).toBe('db');
    expect(s.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '10Gi' } } },
    }]);
    const pod = s.spec.template.spec;
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(pod.volumes).toBeUndefined();
    expect(pod.containers[0].securityContext).toEqual(HARDENED);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
  });

  test.each([
    ['a mounted claim template is not declared', { volumeClaimTemplates: [] }, /mount of claim template "data" that the workload does not declare/],
    ['a claim template size is not a quantity', { volumeClaimTemplates: [{ name: 'data', size: 'big' }] }, /invalid size of volumeClaimTemplate "data": "big"/],
    ['a claim template is declared twice', { volumeClaimTemplates: [{ name: 'data', size: '1Gi' }, { name: 'data', size: '2Gi' }] }, /volumeClaimTemplate declared twice: "data"/],
  ])('fails if %s', (_what, props, message) => {
    expect(() => set(props)).toThrow(message);
  });

  test('fails if a Deployment mounts a claim template', () => {
    expect(() => deployment({ volumeMounts: [{ volume: Volume.claimTemplate('data'), mountPath: '/data' }] }))
      .toThrow(/claim templates only in a HardenedStatefulSet/);
  });
});

describe('LiteralConfigMap', () => {
  const dir = tempDir('baseline-literal-cm-');
  fs.writeFileSync(path.join(dir, 'app.conf'), 'listen 8080\n');
  fs.writeFileSync(path.join(dir, 'logo.bin'), Buffer.from([0, 1, 2, 255]));

  test('literals and files (text to data, binary to binaryData), keys sorted, consumable as env and volume', () => {
    let cm!: LiteralConfigMap;
    const objects = synthChart((c) => {
      cm = new LiteralConfigMap(c, 'cm', { name: 'app-config', namespace: 'apps', literals: { LOG_LEVEL: 'info' }, files: { 'app.conf': path.join(dir, 'app.conf'), 'logo.bin': path.join(dir, 'logo.bin') } });
    });
    const o = find(objects, 'ConfigMap', 'app-config', 'apps');
    expect(o.data).toEqual({ LOG_LEVEL: 'info', 'app.conf': 'listen 8080\n' });
    expect(o.binaryData).toEqual({ 'logo.bin': Buffer.from([0, 1, 2, 255]).toString('base64') });
    expect(cm.keys).toEqual(['LOG_LEVEL', 'app.conf', 'logo.bin']);
    expect(cm.volume('cfg').source).toEqual({ configMap: { name: 'app-config', defaultMode: 0o444 } });
    expect(() => cm.envValue('MISSING')).toThrow(/ConfigMap "app-config" has no such key: "MISSING"\. Allowed: LOG_LEVEL, app\.conf, logo\.bin/);
  });

  test.each([
    ['a file does not exist', { files: { a: path.join(dir, 'nope') } }, /file of ConfigMap key "a" does not exist/],
    ['a key is invalid', { literals: { 'a b': 'x' } }, /invalid ConfigMap key: "a b"/],
    ['a key is both a literal and a file', { literals: { 'app.conf': 'x' }, files: { 'app.conf': path.join(dir, 'app.conf') } }, /ConfigMap key given twice: "app\.conf"/],
    ['there is no key', {}, /ConfigMap without keys/],
  ])('fails if %s', (_what, props, message) => {
    expect(() => synthChart((c) => new LiteralConfigMap(c, 'cm', { name: 'app-config', namespace: 'apps', ...props }))).toThrow(message);
  });
});
