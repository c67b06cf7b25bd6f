/**
 * The one reading of NetworkPolicies (lib/network/policy.ts) against what the real API server stores: each
 * spec is created with server dry-run, and the `policyTypes`, rules and ports the server returns must be
 * what readNetworkPolicy says of the spec as written.
 */
import { KubeObject, readNetworkPolicy } from '../../lib';
import { kubectl } from './kube';

const NS = 'netpol-defaulting-check';

beforeAll(() => {
  const r = kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }));
  if (r.code !== 0) throw new Error(r.stderr);
});

/** The object the server would store for `spec` (dry-run create, no storage). */
function stored(spec: object): KubeObject {
  const o = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: NS }, spec };
  const r = kubectl(['create', '--dry-run=server', '-o', 'json', '-f', '-'], JSON.stringify(o));
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const written = (spec: object): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: NS }, spec });

const V4 = { ipBlock: { cidr: '203.0.113.0/24' } };
test.each<[string, object, string[]]>([
  ['no policyTypes, no rules', { podSelector: {} }, ['Ingress']],
  ['no policyTypes, egress: [] (the rewritten default-deny)', { podSelector: {}, ingress: [], egress: [] }, ['Ingress']],
  ['policyTypes: [], egress: []', { podSelector: {}, policyTypes: [], egress: [] }, ['Ingress']],
  ['no policyTypes, one egress rule', { podSelector: {}, egress: [{ to: [V4] }] }, ['Ingress', 'Egress']],
  ['no policyTypes, ingress rules only', { podSelector: {}, ingress: [{ from: [V4] }] }, ['Ingress']],
  ['explicit [Egress] with ingress rules', { podSelector: {}, policyTypes: ['Egress'], ingress: [{ from: [V4] }] }, ['Egress']],
])('%s: the server stores policyTypes %j, as readNetworkPolicy reads the spec', (_t, spec, expected) => {
  const server = stored(spec);
  expect((server.spec as any).policyTypes).toEqual(expected);
  expect(readNetworkPolicy(written(spec)).policyTypes).toEqual(expected);
  expect(readNetworkPolicy(server).policyTypes).toEqual(expected);
});

test('endPort, IPv6 blocks, namespaceSelector {} and empty lists survive storage and read the same', () => {
  const spec = {
    podSelector: {},
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ namespaceSelector: {} }], ports: [] }],
    egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }], ports: [{ port: 30000, endPort: 30100 }, { protocol: 'UDP', port: 53 }] }],
  };
  const server = stored(spec);
  const [mine, theirs] = [readNetworkPolicy(written(spec)), readNetworkPolicy(server)];
  for (const d of ['Ingress', 'Egress'] as const) expect(theirs.allows(d)).toEqual(mine.allows(d));
  expect(mine.allows('Egress')![0].ports).toEqual([{ protocol: 'TCP', port: 30000, endPort: 30100 }, { protocol: 'UDP', port: 53 }]);
  expect(mine.allows('Ingress')).toEqual([{ peers: [{ kind: 'pods', namespaceSelector: {}, podSelector: {} }], ports: 'any' }]);
});
