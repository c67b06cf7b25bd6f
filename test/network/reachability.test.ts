import { Chart } from 'cdk8s';
import { DefaultDenyPolicies, Endpoint, KubeObject, NetworkModel, PodEndpoint, Port, workloadEndpoints } from '../../lib';
import { synthChart } from '../util';

let n = 0;
/** A NetworkPolicy object as synthesized. */
function np(namespace: string, spec: any, name = `np-${++n}`): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}
const pod = (ns: string, app: string, extra: Partial<Omit<PodEndpoint, 'kind' | 'namespace' | 'labels'>> = {}) => Endpoint.pod(ns, { app }, extra);
const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
const deny = (namespace: string) => np(namespace, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, 'default-deny-all');
const tcp = Port.tcp;

const A = pod('a', 'client');
const B = pod('b', 'server', { namedPorts: { http: 8080 } });

describe('NetworkModel', () => {
  test('no policy: everything flows, and no side is isolated', () => {
    const v = new NetworkModel([]).check(A, B, tcp(1));
    expect(v).toEqual({ allowed: true, egress: { isolated: false, allowed: true, allowedBy: [] }, ingress: { isolated: false, allowed: true, allowedBy: [] } });
  });

  test('default deny isolates both directions of the selected pods', () => {
    const m = new NetworkModel([deny('b')]);
    expect(m.check(A, B, tcp(80))).toMatchObject({ allowed: false, egress: { isolated: false }, ingress: { isolated: true, allowed: false } });
    expect(m.allowed(B, A, tcp(80))).toBe(false);
    expect(m.allowed(A, pod('a', 'other'), tcp(80))).toBe(true);
  });

  test('a connection needs both the source egress and the destination ingress', () => {
    const ingress = np('b', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [ns('a')], ports: [{ protocol: 'TCP', port: 80 }] }] }, 'in');
    const egress = np('a', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [ns('b')], ports: [{ protocol: 'TCP', port: 80 }] }] }, 'out');
    expect(new NetworkModel([deny('a'), deny('b'), ingress]).allowed(A, B, tcp(80))).toBe(false);
    expect(new NetworkModel([deny('a'), deny('b'), egress]).allowed(A, B, tcp(80))).toBe(false);
    const v = new NetworkModel([deny('a'), deny('b'), ingress, egress]).check(A, B, tcp(80));
    expect(v).toEqual({ allowed: true, egress: { isolated: true, allowed: true, allowedBy: ['out'] }, ingress: { isolated: true, allowed: true, allowedBy: ['in'] } });
  });

  test('namespaceSelector and podSelector in one peer both must hold; in two peers either may', () => {
    const and = np('b', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ...ns('a'), podSelector: { matchLabels: { app: 'client' } } }] }] });
    const or = np('b', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [ns('a'), { podSelector: { matchLabels: { app: 'client' } } }] }] });
    const stranger = pod('a', 'stranger');
    expect(new NetworkModel([and]).allowed(A, B, tcp(1))).toBe(true);
    expect(new NetworkModel([and]).allowed(stranger, B, tcp(1))).toBe(false);
    expect(new NetworkModel([or]).allowed(stranger, B, tcp(1))).toBe(true);
    // A podSelector without namespaceSelector means the policy's own namespace.
    expect(new NetworkModel([or]).allowed(pod('c', 'client'), B, tcp(1))).toBe(false);
    expect(new NetworkModel([or]).allowed(pod('b', 'client'), B, tcp(1))).toBe(true);
  });

  test('a policy applies only to the pods its podSelector picks', () => {
    const m = new NetworkModel([np('b', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] })]);
    expect(m.allowed(A, B, tcp(1))).toBe(true);
    expect(m.allowed(A, pod('b', 'db'), tcp(1))).toBe(false);
  });

  test('matchExpressions: In, NotIn, Exists, DoesNotExist', () => {
    const sel = (op: string, values?: string[]) =>
      new NetworkModel([np('b', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ...ns('a'), podSelector: { matchExpressions: [{ key: 'app', operator: op, values }] } }] }] })]);
    expect(sel('In', ['client']).allowed(A, B, tcp(1))).toBe(true);
    expect(sel('In', ['x']).allowed(A, B, tcp(1))).toBe(false);
    expect(sel('NotIn', ['client']).allowed(A, B, tcp(1))).toBe(false);
    expect(sel('Exists').allowed(A, B, tcp(1))).toBe(true);
    expect(sel('DoesNotExist').allowed(A, B, tcp(1))).toBe(false);
    expect(() => sel('Near').allowed(A, B, tcp(1))).toThrow(/unknown label selector operator "Near"/);
  });

  test('namespace labels beyond the name, from Namespace objects or options', () => {
    const rule = np('b', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] }] });
    expect(new NetworkModel([rule]).allowed(A, B, tcp(1))).toBe(false);
    const nsObject: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { team: 'x' } } };
    expect(new NetworkModel([rule, nsObject]).allowed(A, B, tcp(1))).toBe(true);
    expect(new NetworkModel([rule], { namespaceLabels: { a: { team: 'x' } } }).allowed(A, B, tcp(1))).toBe(true);
  });

  test('ipBlock with except, for addresses and pods with an IP', () => {
    const m = new NetworkModel([
      deny('a'),
      np('a', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ protocol: 'TCP', port: 443 }] }] }),
    ]);
    expect(m.allowed(A, Endpoint.ip('203.0.113.7'), tcp(443))).toBe(true);
    expect(m.allowed(A, Endpoint.ip('10.1.2.3'), tcp(443))).toBe(false);
    expect(m.allowed(A, Endpoint.ip('203.0.113.7'), tcp(80))).toBe(false);
    expect(m.allowed(A, Endpoint.ip('2001:db8::1'), tcp(443))).toBe(false); // another family never matches
    expect(m.allowed(A, B, tcp(443))).toBe(false); // a pod without an IP is not in any block
    expect(m.allowed(A, pod('b', 'server', { ip: '198.51.100.9' }), tcp(443))).toBe(true);
  });

  test('an address outside the cluster is never isolated: only the pod side decides', () => {
    const m = new NetworkModel([deny('b'), np('b', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '100.64.0.0/10' } }] }] })]);
    expect(m.allowed(Endpoint.ip('100.77.144.4'), B, tcp(8080))).toBe(true);
    expect(m.allowed(Endpoint.ip('192.168.1.10'), B, tcp(8080))).toBe(false);
  });

  test('ports: protocol, number, endPort range, named ports of the destination, no ports = all', () => {
    const ing = (ports: any) => new NetworkModel([np('b', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [ns('a')], ports }] })]);
    expect(ing([{ port: 8080 }]).allowed(A, B, tcp(8080))).toBe(true); // protocol defaults to TCP
    expect(ing([{ port: 8080 }]).allowed(A, B, Port.udp(8080))).toBe(false);
    expect(ing([{ protocol: 'TCP', port: 8000, endPort: 8100 }]).allowed(A, B, tcp(8080))).toBe(true);
    expect(ing([{ protocol: 'TCP', port: 8000, endPort: 8100 }]).allowed(A, B, tcp(8101))).toBe(false);
    expect(ing([{ protocol: 'TCP', port: 'http' }]).allowed(A, B, tcp(8080))).toBe(true);
    expect(ing([{ protocol: 'TCP', port: 'http' }]).allowed(A, B, tcp(80))).toBe(false);
    expect(ing([{ protocol: 'TCP', port: 'http' }]).allowed(A, pod('b', 'x'), tcp(8080))).toBe(false);
    expect(ing([{ protocol: 'UDP' }]).allowed(A, B, Port.udp(53))).toBe(true);
    expect(ing(undefined).allowed(A, B, tcp(12345))).toBe(true);
  });

  test('policyTypes default: Ingress, plus Egress when the policy has egress rules', () => {
    const ingressOnly = np('a', { podSelector: {} });
    expect(new NetworkModel([ingressOnly]).check(A, B, tcp(1)).egress.isolated).toBe(false);
    const withEgress = np('a', { podSelector: {}, egress: [{ to: [ns('c')] }] });
    expect(new NetworkModel([withEgress]).allowed(A, B, tcp(1))).toBe(false);
    expect(new NetworkModel([withEgress]).allowed(A, pod('c', 'x'), tcp(1))).toBe(true);
    // `egress: []` is no egress rule: the API server defaults to Ingress only, so egress stays open.
    const emptyEgress = np('a', { podSelector: {}, ingress: [], egress: [] });
    expect(new NetworkModel([emptyEgress]).check(A, B, tcp(1)).egress.isolated).toBe(false);
  });

  test('reads DefaultDenyPolicies output: same namespace, DNS, tailnet, internet', () => {
    const objects = synthChart((c: Chart) => {
      new DefaultDenyPolicies(c, 'net', { namespace: 'apps', tailnetIngress: [tcp(8080)], internetEgress: [tcp(443)] });
    });
    const m = new NetworkModel(objects);
    const web = pod('apps', 'web');
    expect(m.allowed(pod('apps', 'other'), web, tcp(9999))).toBe(true);
    expect(m.allowed(web, pod('kube-system', 'dns'), Port.udp(53))).toBe(true);
    expect(m.allowed(web, pod('kube-system', 'dns'), tcp(80))).toBe(false);
    expect(m.allowed(Endpoint.ip('100.67.153.52'), web, tcp(8080))).toBe(true);
    expect(m.allowed(Endpoint.ip('100.67.153.52'), web, tcp(22))).toBe(false);
    expect(m.allowed(web, Endpoint.ip('140.82.112.3'), tcp(443))).toBe(true);
    expect(m.allowed(web, Endpoint.ip('192.168.1.1'), tcp(443))).toBe(false);
    expect(m.allowed(web, pod('other', 'x'), tcp(443))).toBe(false);
    expect(m.check(web, Endpoint.ip('140.82.112.3'), tcp(443)).egress.allowedBy).toEqual(['allow-internet-egress']);
  });
});

describe('workloadEndpoints', () => {
  test('one pod endpoint per pod-template workload, with its template labels and named ports', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'apps' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 9 }] }] } } },
    };
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'apps' }, spec: {} };
    expect(workloadEndpoints([deployment, service])).toEqual([
      { kind: 'pod', namespace: 'apps', labels: { app: 'web' }, namedPorts: { http: 8080 }, name: 'Deployment/apps/web' },
    ]);
  });

  test('a CronJob and a bare Pod make pods too (their job template and their own labels)', () => {
    const podSpec = { containers: [{ name: 'c', ports: [{ name: 'metrics', containerPort: 9090 }] }] };
    const cronJob: KubeObject = {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'apps' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { metadata: { labels: { app: 'backup' } }, spec: podSpec } } } },
    };
    const bare: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'apps', labels: { app: 'debug' } }, spec: podSpec };
    const custom: KubeObject = { apiVersion: 'x/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'apps' }, spec: { template: { spec: podSpec } } };
    expect(workloadEndpoints([cronJob, bare, custom])).toEqual([
      { kind: 'pod', namespace: 'apps', labels: { app: 'backup' }, namedPorts: { metrics: 9090 }, name: 'CronJob/apps/backup' },
      { kind: 'pod', namespace: 'apps', labels: { app: 'debug' }, namedPorts: { metrics: 9090 }, name: 'Pod/apps/debug' },
    ]);
  });
});
