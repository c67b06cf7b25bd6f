/** The diff's checks of service exposure, ArgoCD sync options and access settings, and which store keys reach which namespace. */
import { DiffExitCode, Impact, KubeObject, ObjectDiff, diffExitCode, diffObjects } from '../../lib';

const widenings = (d: ObjectDiff): string[] => d.findings.filter((f) => f.impact === Impact.WIDENING).map((f) => `${f.object}: ${f.message}`);
const widened = (before: KubeObject | undefined, after: KubeObject): string[] => widenings(diffObjects(before ? [before] : [], [after]));

const svc = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'apps' },
  spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec },
});

describe('Service exposure', () => {
  test('a wider type, a new node port, external IPs', () => {
    expect(widened(svc({ type: 'ClusterIP' }), svc({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }))).toEqual(['Service apps/web: type ClusterIP → LoadBalancer']);
    expect(widened(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] }))).toEqual([
      'Service apps/web: node port(s) opened on every node: TCP/30081',
    ]);
    expect(widened(svc({}), svc({ externalIPs: ['1.1.1.1'] }))).toEqual([
      'Service apps/web: externalIPs added: 1.1.1.1 (traffic to these addresses is intercepted, CVE-2020-8554)',
    ]);
  });
  test('a new Service is compared with a ClusterIP one; a ClusterIP Service is no widening', () => {
    expect(widened(undefined, svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([
      'Service apps/web: type ClusterIP → NodePort',
      'Service apps/web: node port(s) opened on every node: TCP/30080',
    ]);
    expect(widened(undefined, svc({}))).toEqual([]);
    expect(widened(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), svc({ type: 'ClusterIP' }))).toEqual([]);
  });
  test('loadBalancerSourceRanges: dropped or grown is a widening, narrowed is not', () => {
    const lb = (ranges?: string[]) => svc({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, loadBalancerSourceRanges: ranges });
    expect(widened(lb(['100.64.0.0/10']), lb())).toEqual(['Service apps/web: loadBalancerSourceRanges removed: the load balancer admits every address']);
    expect(widened(lb(['100.64.0.0/10']), lb(['100.64.0.0/10', '0.0.0.0/0']))).toEqual(['Service apps/web: loadBalancerSourceRanges admit 0.0.0.0/0']);
    expect(widened(lb(['100.64.0.0/10', '0.0.0.0/0']), lb(['100.64.0.0/10']))).toEqual([]);
  });
});

describe('ArgoCD sync options', () => {
  const ns = (options?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', annotations: options === undefined ? undefined : { 'argocd.argoproj.io/sync-options': options } } });
  const app = (syncOptions: string[]): KubeObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'argocd' }, spec: { syncPolicy: { syncOptions } } });
  test('removing Prune=false or Delete=false from an object is a widening', () => {
    expect(widened(ns('Prune=false,Delete=false'), ns('Delete=false'))).toEqual(['Namespace apps: annotation sync option(s) removed: Prune=false (ArgoCD may now prune or delete it)']);
    expect(widened(ns('Prune=false,Delete=false'), ns())).toEqual(['Namespace apps: annotation sync option(s) removed: Prune=false, Delete=false (ArgoCD may now prune or delete it)']);
    expect(widened(ns(), ns('Prune=false,Delete=false'))).toEqual([]);
  });
  test('Replace, Force or CreateNamespace added is a widening', () => {
    const d = diffObjects([app(['ServerSideApply=true'])], [app(['ServerSideApply=true', 'Replace=true', 'CreateNamespace=true'])]);
    expect(widenings(d)).toEqual(['Application argocd/a: application sync option(s) added: Replace=true, CreateNamespace=true']);
    expect(diffExitCode(d)).toBe(DiffExitCode.SECURITY_WIDENING);
  });
  test('another branch is a widening; an exact tag or a full commit is a change', () => {
    const git = (targetRevision: string): KubeObject => ({ ...app([]), spec: { source: { repoURL: 'https://x/r', path: 'dist', targetRevision } } });
    expect(widened(git('main'), git('agent/feature'))).toEqual(['Application argocd/a: source targetRevision: main → agent/feature (deploys another branch)']);
    expect(widened(git('main'), git('v1.2.0'))).toEqual([]);
    expect(widened(git('main'), git('0123456789abcdef0123456789abcdef01234567'))).toEqual([]);
  });
});

describe('External Secrets: which store keys reach which namespace', () => {
  const es = (keys: string[], extra: Record<string, unknown> = {}, store = 'infisical'): KubeObject => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 's', namespace: 'apps' },
    spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: store }, data: keys.map((k) => ({ secretKey: k, remoteRef: { key: k } })), ...extra },
  });
  const store = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'infisical' }, spec: { provider: { infisical: { secretsScope: { secretsPath: '/' } } }, ...spec } });
  test('a key added, a key removed, a dataFrom, another store', () => {
    expect(widened(es(['A']), es(['A', 'B']))).toEqual(['ExternalSecret apps/s: store key(s) now reach namespace apps: B (from ClusterSecretStore/infisical)']);
    expect(widened(es(['A', 'B']), es(['A']))).toEqual(['ExternalSecret apps/s: store key(s) removed from namespace apps: B']);
    expect(widened(es(['A']), es(['A'], { dataFrom: [{ extract: { key: '/' } }] }))).toEqual(['ExternalSecret apps/s: dataFrom pulls keys by path or pattern into apps: extract:/']);
    expect(widened(es(['A']), es(['A'], {}, 'other'))).toEqual(['ExternalSecret apps/s: reads ClusterSecretStore/other instead of ClusterSecretStore/infisical']);
    expect(widened(es(['A']), es(['A'], { refreshInterval: '30m' }))).toEqual([]);
  });
  test('store conditions widened or dropped, or its provider scope changed', () => {
    const named = (...namespaces: string[]) => store({ conditions: [{ namespaces }] });
    expect(widened(named('a'), named('a', 'b'))).toEqual(['ClusterSecretStore infisical: conditions widened: namespace b']);
    expect(widened(named('a', 'b'), named('a'))).toEqual([]);
    expect(widened(named('a'), store({}))).toEqual(['ClusterSecretStore infisical: conditions absent: every namespace may read the store']);
    expect(widened(named('a'), store({ conditions: [{ namespaces: ['a'], namespaceRegexes: ['.*'] }] }))).toEqual(['ClusterSecretStore infisical: conditions widened: namespaces matching .*']);
    const recursive = store({ conditions: [{ namespaces: ['a'] }], provider: { infisical: { secretsScope: { secretsPath: '/', recursive: true } } } });
    expect(widened(named('a'), recursive)).toEqual(['ClusterSecretStore infisical: provider changed (secret path, project, environment, recursion or identity): which keys the store reaches changed']);
  });
});

describe('ArgoCD access settings (argocd-cm)', () => {
  const cm = (data: Record<string, string>, name = 'argocd-cm'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'argocd' }, data });
  test('the local admin, anonymous access or exec turned on is a widening; turned off is not', () => {
    const off = cm({ 'admin.enabled': 'false', 'users.anonymous.enabled': 'false', 'exec.enabled': 'false' });
    expect(widened(off, cm({ 'admin.enabled': 'true', 'users.anonymous.enabled': 'True', 'exec.enabled': '1' }))).toEqual([
      'ConfigMap argocd/argocd-cm: admin.enabled turned on: the local admin account (a password login beside any SSO)',
      'ConfigMap argocd/argocd-cm: users.anonymous.enabled turned on: anonymous access to the ArgoCD API and UI',
      'ConfigMap argocd/argocd-cm: exec.enabled turned on: exec into pods from the ArgoCD UI',
    ]);
    expect(widened(cm({ 'admin.enabled': 'true', 'users.anonymous.enabled': 'true' }), off)).toEqual([]);
  });
  test("an absent or unparsable key means ArgoCD's default: the local admin on, anonymous access and exec off", () => {
    expect(widened(cm({ 'admin.enabled': 'false' }), cm({}))).toEqual(['ConfigMap argocd/argocd-cm: admin.enabled turned on: the local admin account (a password login beside any SSO)']);
    expect(widened(cm({ 'admin.enabled': 'false' }), cm({ 'admin.enabled': 'no' }))).toEqual(['ConfigMap argocd/argocd-cm: admin.enabled turned on: the local admin account (a password login beside any SSO)']);
    expect(widened(cm({ 'users.anonymous.enabled': 'true' }), cm({}))).toEqual([]);
    // A new argocd-cm is compared with the defaults: the admin was already on, anonymous access was not.
    expect(widened(undefined, cm({ 'admin.enabled': 'true', 'users.anonymous.enabled': 'true' }))).toEqual([
      'ConfigMap argocd/argocd-cm: users.anonymous.enabled turned on: anonymous access to the ArgoCD API and UI',
    ]);
  });
  test('other ConfigMaps are not ArgoCD settings', () => {
    expect(widened(cm({}, 'app-config'), cm({ 'users.anonymous.enabled': 'true' }, 'app-config'))).toEqual([]);
  });
});
