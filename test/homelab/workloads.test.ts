import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { buildHomelab } from '../../homelab';
import { GATEWAY_PROXIES, buildWorkloads } from '../../homelab/workloads';
import { Endpoint, NetworkModel, Port, collectManifests, toYaml, workloadEndpoints } from '../../lib';
import { all, find, synthManifests } from '../util';
import { openclawFromConfigMaps } from './openclaw-fixture';

const manifests = synthManifests((app) => buildHomelab(app));
const objects = manifests.map((m) => m.object);
const EXEMPTION = 'baseline.homelab.dev/exemption';
const PROXIES = ['messaging-proxy', 'voice-proxy', 'finance-proxy'];
const WORKLOADS: [string, string][] = [['openclaw', 'openclaw'], ['launchfast', 'launchfast'], ...PROXIES.map((p): [string, string] => ['personal-gateway', p])];

const deployment = (ns: string, name: string) => find(objects, 'Deployment', name, ns);
const podSpec = (ns: string, name: string) => deployment(ns, name).spec.template.spec;
const container = (ns: string, name: string) => podSpec(ns, name).containers[0];

test('snapshot: the workloads as ArgoCD applies them', () => {
  const workloadSa = (o: any) => o.kind === 'ServiceAccount' && ['launchfast', ...PROXIES].includes(o.metadata.name);
  const mine = manifests.filter((m) => ['Deployment', 'Service', 'PersistentVolumeClaim', 'ConfigMap'].includes(m.object.kind) || workloadSa(m.object));
  expect(Object.fromEntries(mine.map((m) => [`${m.folder}/${m.file}`, toYaml(m.object)]))).toMatchSnapshot();
});

test('exactly the workloads of the seed exist, each once', () => {
  expect(all(objects, 'Deployment').map((d) => `${d.metadata.namespace}/${d.metadata.name}`).sort())
    .toEqual(WORKLOADS.map(([ns, name]) => `${ns}/${name}`).sort());
});

describe.each(WORKLOADS)('%s/%s: the hardened container baseline', (ns, name) => {
  test('every container (and init container): no privilege escalation, every capability dropped, not privileged, read-only root', () => {
    const spec = podSpec(ns, name);
    const containers = [...spec.containers, ...(spec.initContainers ?? [])];
    expect(containers.length).toBeGreaterThan(0);
    for (const c of containers) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
      });
    }
  });

  test('pod: non-root, seccomp RuntimeDefault, no host namespaces, token decided explicitly', () => {
    const spec = podSpec(ns, name);
    expect(spec.securityContext.runAsNonRoot).toBe(true);
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) expect(spec[f]).toBeUndefined();
    expect(typeof spec.automountServiceAccountToken).toBe('boolean');
  });

  test('requests and limits for cpu and memory, in every container', () => {
    for (const c of podSpec(ns, name).containers) {
      for (const kind of ['requests', 'limits']) for (const res of ['cpu', 'memory']) expect(c.resources[kind][res]).toBeDefined();
    }
  });

  test('stable selector by name, no hash', () => {
    expect(deployment(ns, name).spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': name } });
  });
});

describe('openclaw (seed: Container Security Context, Host Filesystem Access, Network Exposure)', () => {
  const spec = podSpec('openclaw', 'openclaw');
  const c = container('openclaw', 'openclaw');

  test('UID/GID 1000, fsGroup 1000', () => {
    expect(spec.securityContext).toEqual({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('runs as the AgentRbac ServiceAccount openclaw with its token (the agent runs kubectl); no second ServiceAccount', () => {
    expect(spec.serviceAccountName).toBe('openclaw');
    expect(spec.automountServiceAccountToken).toBe(true);
    expect(all(objects, 'ServiceAccount', 'openclaw').map((s) => s.metadata.name)).toEqual(['openclaw']);
  });

  test('volumes: /data on the claim, scratch in emptyDirs, the two host folders read-only', () => {
    expect(spec.volumes).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'openclaw-data' } },
      { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'home', emptyDir: { sizeLimit: '512Mi' } },
      { name: 'workspace-src', hostPath: { path: '/Users/holden.nguyen/homelab/agents/workspaces', type: 'Directory' } },
      { name: 'openclaw-skills', hostPath: { path: '/Users/holden.nguyen/homelab/skills', type: 'Directory' } },
    ]);
    expect(c.volumeMounts).toEqual([
      { name: 'data', mountPath: '/data' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'home', mountPath: '/home/node' },
      { name: 'workspace-src', mountPath: '/workspace-src', readOnly: true },
      { name: 'openclaw-skills', mountPath: '/skills', readOnly: true },
    ]);
    const pvc = find(objects, 'PersistentVolumeClaim', 'openclaw-data', 'openclaw');
    expect(pvc.spec.accessModes).toEqual(['ReadWriteOnce']);
    // The agent workspaces: neither pruned nor deleted with the Application (seed: data survives a removed manifest).
    expect(pvc.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
  });

  test('the locally built image is never pulled; it and the host folders are declared exemptions, nothing else', () => {
    expect(c.image).toBe('openclaw:latest');
    expect(c.imagePullPolicy).toBe('Never');
    for (const meta of [deployment('openclaw', 'openclaw').metadata, deployment('openclaw', 'openclaw').spec.template.metadata]) {
      expect(Object.keys(meta.annotations).sort()).toEqual([`${EXEMPTION}.hostpath`, `${EXEMPTION}.unpinned-image`]);
      expect(meta.annotations[`${EXEMPTION}.hostpath`]).toMatch(/^workspace-src: .*read-only.*; openclaw-skills: .*read-only/);
      // Per container: the local build's exemption never covers a sidecar added later.
      expect(meta.annotations[`${EXEMPTION}.unpinned-image`]).toMatch(/^openclaw: .*Dockerfile\.openclaw/);
    }
  });

  describe('fails if an escape hatch weakens openclaw beyond its exemptions', () => {
    const patched = (...patches: JsonPatch[]) => () => {
      const app = new App();
      const charts = buildHomelab(app);
      const d = charts.get('openclaw')!.node.findAll()
        .find((x) => ApiObject.isApiObject(x) && x.kind === 'Deployment' && x.name === 'openclaw') as ApiObject;
      d.addJsonPatch(...patches);
      collectManifests(app);
    };

    test('a third hostPath volume, not named in the hostpath exemption', () => {
      expect(patched(JsonPatch.add('/spec/template/spec/volumes/-', { name: 'host-etc', hostPath: { path: '/etc' } }))).toThrow(
        /\[openclaw\/[^\]]*\] volume host-etc mounts host path \/etc \(no exemption\): "\[volume:host-etc\]"\. Allowed: hostPath volumes only with a reason, mounted read-only \(HB-POD-009\)\. Fix: use a PersistentVolumeClaim or a ConfigMap, or give the volume a hostPath exemption/,
      );
    });

    test('the workspace-src mount made writable (readOnly removed)', () => {
      const mounts = container('openclaw', 'openclaw').volumeMounts.map((m: any) => m.name);
      const at = `/spec/template/spec/containers/0/volumeMounts/${mounts.indexOf('workspace-src')}/readOnly`;
      expect(patched(JsonPatch.remove(at))).toThrow(
        /\[openclaw\/[^\]]*\] container openclaw mounts host path volume workspace-src writable at \/workspace-src \(no exemption\): "\[volume:workspace-src\]\[mount:openclaw:\/workspace-src\]"\. Allowed: hostPath volumes only with a reason, mounted read-only \(HB-POD-009\)\. Fix: use a PersistentVolumeClaim or a ConfigMap, or give the volume a hostPath exemption/,
      );
    });

    test('a sidecar with an unpinned image, riding on the local build\'s exemption', () => {
      const sidecar = { ...container('openclaw', 'openclaw'), name: 'sidecar', image: 'nginx:latest', volumeMounts: undefined, ports: undefined };
      expect(patched(JsonPatch.add('/spec/template/spec/containers/-', sidecar))).toThrow(/\[openclaw\/[^\]]*\] container sidecar: image "nginx:latest" has no tag, or the tag latest \(no exemption\): "\[container:sidecar\]"\. Allowed: Images pinned by tag or digest \(no latest\) \(HB-POD-010\)\. Fix: pin a version tag or a digest/);
    });
  });

  test('gateway port 18789 with probes, environment from openclaw-secret only', () => {
    expect(c.ports).toEqual([{ name: 'gateway', containerPort: 18789, protocol: 'TCP' }]);
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 18789 });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 18789 });
    expect(c.envFrom).toEqual([{ secretRef: { name: 'openclaw-secret' } }]);
    expect(c.env).toBeUndefined();
  });

  test('Service NodePort 30789 → 18789', () => {
    const svc = find(objects, 'Service', 'openclaw', 'openclaw');
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'openclaw' });
    expect(svc.spec.ports).toEqual([{ name: 'gateway', port: 18789, nodePort: 30789, protocol: 'TCP', targetPort: 'gateway' }]);
  });

  test('never two agents at once on the one volume', () => {
    expect(deployment('openclaw', 'openclaw').spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment('openclaw', 'openclaw').spec.replicas).toBe(1);
  });
});

describe('launchfast (seed: nginx-unprivileged, UID 101, read-only rootfs)', () => {
  const spec = podSpec('launchfast', 'launchfast');
  const c = container('launchfast', 'launchfast');

  test('UID/GID 101, its own ServiceAccount without a token, no exemption', () => {
    expect(spec.securityContext).toEqual({ runAsUser: 101, runAsGroup: 101, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.serviceAccountName).toBe('launchfast');
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(find(objects, 'ServiceAccount', 'launchfast', 'launchfast').automountServiceAccountToken).toBe(false);
    expect(deployment('launchfast', 'launchfast').metadata.annotations).toBeUndefined();
  });

  test('pinned nginx-unprivileged; /tmp and the nginx cache are the only writable paths', () => {
    expect(c.image).toBe('nginxinc/nginx-unprivileged:1.27.3-alpine');
    expect(spec.volumes.map((v: any) => [v.name, Object.keys(v).filter((k) => k !== 'name')])).toEqual([['tmp', ['emptyDir']], ['nginx-cache', ['emptyDir']]]);
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'nginx-cache', mountPath: '/var/cache/nginx' }]);
  });

  test('port 8080 behind a ClusterIP Service on 8080', () => {
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/', port: 8080 });
    const svc = find(objects, 'Service', 'launchfast', 'launchfast');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 'http' }]);
  });
});

describe.each([
  ['messaging-proxy', 8081, 'messaging-proxy-secret'],
  ['voice-proxy', 8082, 'voice-proxy-secret'],
  ['finance-proxy', 8083, 'finance-proxy-secret'],
])('personal-gateway %s (seed: Kubernetes controls for the personal-gateway namespace)', (name, port, secret) => {
  const spec = podSpec('personal-gateway', name);
  const c = container('personal-gateway', name);

  test('its own ServiceAccount, no token, no Role or binding anywhere', () => {
    expect(spec.serviceAccountName).toBe(name);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(find(objects, 'ServiceAccount', name, 'personal-gateway').automountServiceAccountToken).toBe(false);
    for (const b of [...all(objects, 'RoleBinding'), ...all(objects, 'ClusterRoleBinding')]) {
      expect(b.subjects.filter((s: any) => s.name === name)).toEqual([]);
    }
  });

  test('only its own Secret: as files for finance (the Plaid token stays out of the env), as env otherwise', () => {
    const fromEnv = (c.envFrom ?? []).map((e: any) => e.secretRef.name);
    const fromFiles = spec.volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName);
    expect([...fromEnv, ...fromFiles]).toEqual([secret]);
    if (name === 'finance-proxy') {
      expect(fromEnv).toEqual([]);
      expect(c.volumeMounts).toContainEqual({ name: 'credentials', mountPath: '/etc/secrets', readOnly: true });
      expect(spec.volumes).toContainEqual({ name: 'credentials', secret: { secretName: secret, defaultMode: 0o440 } });
    }
  });

  test('no hostPath, only an emptyDir /tmp (and its Secret)', () => {
    expect(spec.volumes.filter((v: any) => !v.secret)).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(deployment('personal-gateway', name).metadata.annotations).toBeUndefined();
  });

  test('a pinned image given as a parameter, its port, a ClusterIP Service on the same port', () => {
    expect(c.image).toBe(`ghcr.io/holdennguyen/${name}:0.1.0`);
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
    const svc = find(objects, 'Service', name, 'personal-gateway');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'http', port, protocol: 'TCP', targetPort: 'http' }]);
  });
});

describe('personal-gateway reachability (seed: Network flow diagram), computed from the NetworkPolicies', () => {
  const model = new NetworkModel(objects);
  const pods = new Map(workloadEndpoints(objects).map((e) => [e.labels['app.kubernetes.io/name'], e]));
  const openclaw = pods.get('openclaw')!;
  // An address of each backend (inside the placeholder ranges of homelab/workloads.ts).
  const BACKEND_IP: Record<string, string> = { 'messaging-proxy': '192.0.2.10', 'voice-proxy': '203.0.113.10', 'finance-proxy': '198.51.100.10' };
  const proxies = GATEWAY_PROXIES.map((p) => ({ ...p, pod: pods.get(p.name)!, backendIp: Endpoint.ip(BACKEND_IP[p.name]) }));
  // The seed's backends: host daemon :9090, Twilio :443, Plaid :443.
  const backendPorts = [Port.tcp(9090), Port.tcp(443)];

  test('the backends are the seed\'s: messaging → host daemon :9090, voice → :443, finance → :443', () => {
    expect(proxies.map((p) => `${p.name} ${p.port} → ${p.backend.port}`)).toEqual([
      'messaging-proxy TCP/8081 → TCP/9090',
      'voice-proxy TCP/8082 → TCP/443',
      'finance-proxy TCP/8083 → TCP/443',
    ]);
  });

  test.each(proxies.map((p) => [p.name, p]))('openclaw → %s on its port only', (_n, p) => {
    expect(model.allowed(openclaw, p.pod, p.port)).toBe(true);
    for (const other of proxies.filter((o) => o !== p)) expect(model.allowed(openclaw, p.pod, other.port)).toBe(false);
    expect(model.allowed(openclaw, p.pod, Port.tcp(80))).toBe(false);
  });

  test('proxy → proxy is denied on every proxy port', () => {
    for (const a of proxies) for (const b of proxies) for (const q of proxies) {
      if (a !== b) expect(model.allowed(a.pod, b.pod, q.port)).toBe(false);
    }
  });

  test('openclaw → the proxies\' backends is denied (no bypass)', () => {
    for (const p of proxies) for (const port of backendPorts) expect(model.allowed(openclaw, p.backendIp, port)).toBe(false);
  });

  test.each(proxies.map((p) => [p.name, p]))('%s → only its own backend', (_n, p) => {
    expect(model.allowed(p.pod, p.backendIp, p.backend.port)).toBe(true);
    for (const other of proxies.filter((o) => o !== p)) {
      for (const port of backendPorts) expect(model.allowed(p.pod, other.backendIp, port)).toBe(false);
    }
    expect(model.allowed(p.pod, Endpoint.ip('140.82.112.3'), Port.tcp(443))).toBe(false); // the rest of the internet
    expect(model.allowed(p.pod, openclaw, Port.tcp(18789))).toBe(false);
  });

  test('nothing else reaches the proxies: not the tailnet, not launchfast, not the host', () => {
    for (const p of proxies) {
      expect(model.allowed(Endpoint.ip('100.77.144.4'), p.pod, p.port)).toBe(false);
      expect(model.allowed(pods.get('launchfast')!, p.pod, p.port)).toBe(false);
      expect(model.allowed(Endpoint.ip('192.168.1.2'), p.pod, p.port)).toBe(false);
    }
  });

  test('openclaw keeps the rest of the seed\'s egress: HTTPS to the internet, the API server', () => {
    expect(model.allowed(openclaw, Endpoint.ip('140.82.112.3'), Port.tcp(443))).toBe(true);
    expect(model.allowed(openclaw, Endpoint.pod('kube-system', { component: 'kube-apiserver' }), Port.tcp(6443))).toBe(true);
  });
});

describe('openclaw from ConfigMaps (the roadmap\'s way to enforce restricted)', () => {
  const { root, objects: variant } = openclawFromConfigMaps();
  const d = find(variant, 'Deployment', 'openclaw', 'openclaw');

  test('no hostPath: the folders are ConfigMaps mounted read-only at the same paths', () => {
    const volumes = d.spec.template.spec.volumes;
    expect(volumes.filter((v: any) => v.hostPath)).toEqual([]);
    expect(volumes).toContainEqual({
      name: 'workspace-src',
      configMap: { name: 'openclaw-workspace-src', defaultMode: 0o444, items: [{ key: 'homelab-admin__SOUL.md', path: 'homelab-admin/SOUL.md' }] },
    });
    expect(volumes).toContainEqual({
      name: 'openclaw-skills',
      configMap: { name: 'openclaw-skills', defaultMode: 0o444, items: [{ key: 'gitops__SKILL.md', path: 'gitops/SKILL.md' }] },
    });
    expect(d.spec.template.spec.containers[0].volumeMounts).toEqual(expect.arrayContaining([
      { name: 'workspace-src', mountPath: '/workspace-src', readOnly: true },
      { name: 'openclaw-skills', mountPath: '/skills', readOnly: true },
    ]));
    expect(find(variant, 'ConfigMap', 'openclaw-skills', 'openclaw').data).toEqual({ 'gitops__SKILL.md': '# gitops\n' });
  });

  test('only the image exemption is left: nothing Pod Security restricted forbids', () => {
    expect(Object.keys(d.spec.template.metadata.annotations)).toEqual([`${EXEMPTION}.unpinned-image`]);
    const restrictedVolumes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
    for (const v of d.spec.template.spec.volumes) {
      expect(Object.keys(v).filter((k) => k !== 'name').every((k) => restrictedVolumes.includes(k))).toBe(true);
    }
  });

  test('fails clearly if a folder is missing', () => {
    const other = new App();
    const c = new Map([['openclaw', new Chart(other, 'openclaw')]]);
    expect(() => buildWorkloads(c, { 'openclaw-secret': { secretName: 'openclaw-secret', keys: ['K'] } }, {
      openclawContent: { source: 'configMap', workspaceSrc: path.join(root, 'missing'), skills: path.join(root, 'skills') },
    })).toThrow(/\[openclaw\/WorkspaceSrc\] ConfigMap source folder does not exist: ".*missing"/);
  });
});

test('fails if a workload\'s ExternalSecret binding is missing', () => {
  const app = new App();
  expect(() => buildWorkloads(new Map([['personal-gateway', new Chart(app, 'personal-gateway')]]), {})).toThrow(
    /\[personal-gateway\] no ExternalSecret binding for a workload's environment: "messaging-proxy-secret"\. Allowed: \(no bindings\)\. Fix: add the ExternalSecret "messaging-proxy-secret" to homelab\/secrets.ts/,
  );
});
