import { Chart, Testing } from 'cdk8s';
import {
  DefaultDenyPolicies,
  Direction,
  Endpoint,
  Impact,
  KubeObject,
  NetworkModel,
  Peer,
  Port,
  diffObjects,
  portsToCheck,
  readNetworkPolicy,
} from '../../lib';
import { defaultDenyRule, internetEgressPorts, ingressSourceRule, noIngressFromAnywhere } from '../../lib/rules/pack/network-rules';
import { findingsOf, namespace } from '../rules/fixtures';
import { synthChart } from '../util';

// One reading of a NetworkPolicy, as the API server stores it, shared by the rule pack, the diff and the
// reachability model. Each case here is checked in all three, so a reader that disagrees fails.

let n = 0;
function np(spec: any, name = `np-${++n}`, ns = 'apps'): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}
const DENY = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };
const POD = Endpoint.pod('apps', { app: 'web' });
const OUT = Endpoint.ip('203.0.113.7');

function widenings(before: KubeObject[], after: KubeObject[]): string[] {
  return diffObjects(before, after).findings.filter((f) => f.impact === Impact.WIDENING).map((f) => f.message);
}

describe('policyTypes defaulting (SetDefaults_NetworkPolicy)', () => {
  test.each([
    ['absent, no egress', { podSelector: {} }, ['Ingress']],
    ['absent, egress: [] (no rule: egress is NOT isolated)', { podSelector: {}, egress: [] }, ['Ingress']],
    ['empty list, egress: []', { podSelector: {}, policyTypes: [], egress: [] }, ['Ingress']],
    ['absent, one egress rule', { podSelector: {}, egress: [{}] }, ['Ingress', 'Egress']],
    ['absent, ingress rules only', { podSelector: {}, ingress: [{}] }, ['Ingress']],
    ['explicit Egress only', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] }, ['Egress']],
  ])('%s → %j', (_t, spec, types) => {
    expect(readNetworkPolicy(np(spec)).policyTypes).toEqual(types);
  });

  test('rules of a direction the policy does not isolate are ignored; an isolated one with no rules denies all', () => {
    const p = readNetworkPolicy(np({ podSelector: {}, policyTypes: ['Egress'], ingress: [{}] }));
    expect(p.allows('Ingress')).toBeUndefined();
    expect(p.allows('Egress')).toEqual([]);
  });
});

describe('the hole: a default-deny rewritten as `egress: []` without policyTypes', () => {
  const honest = np(DENY, 'default-deny-all');
  const rewritten = np({ podSelector: {}, ingress: [], egress: [] }, 'default-deny-all');

  test('the rule pack refuses it (egress is no longer denied)', () => {
    const rule = defaultDenyRule([]);
    expect(findingsOf(rule, [namespace('apps'), honest])).toEqual([]);
    expect(findingsOf(rule, [namespace('apps'), rewritten])).toEqual(['[direction:Egress]']);
  });

  test('the diff flags the removed egress default-deny', () => {
    expect(widenings([honest], [rewritten])).toEqual(['default-deny removed: Egress of all pods no longer denied by this policy']);
  });

  test('the reachability model lets the pod out', () => {
    expect(new NetworkModel([honest]).allowed(POD, OUT, Port.tcp(443))).toBe(false);
    expect(new NetworkModel([rewritten]).allowed(POD, OUT, Port.tcp(443))).toBe(true);
  });
});

describe('empty and absent lists', () => {
  test('`from: []` and absent `from` both admit every source (pack and model agree)', () => {
    for (const rule of [{ ports: [{ port: 80 }] }, { from: [], ports: [{ port: 80 }] }]) {
      const p = np({ podSelector: {}, policyTypes: ['Ingress'], ingress: [rule] });
      expect(findingsOf(noIngressFromAnywhere, [p])).toEqual(['[ingress:0][from:any]']);
      expect(new NetworkModel([p]).allowed(Endpoint.ip('198.51.100.1'), POD, Port.tcp(80))).toBe(true);
    }
  });

  test('`ports: []` is every port: internet egress without ports is refused', () => {
    const p = np({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [] }] });
    expect(findingsOf(internetEgressPorts, [p])).toEqual(['[egress:0][ipBlock:0.0.0.0/0]']);
    expect(new NetworkModel([p]).allowed(POD, OUT, Port.tcp(6667))).toBe(true);
  });

  test('an ingress rule of a policy that isolates only Egress is not read as an allowance', () => {
    const p = np({ podSelector: {}, policyTypes: ['Egress'], ingress: [{}] });
    expect(findingsOf(noIngressFromAnywhere, [p])).toEqual([]);
  });
});

describe('namespaceSelector: {} selects every namespace', () => {
  const own = np({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] }, 'in');
  const all = np({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }] }] }, 'in');
  const other = Endpoint.pod('other', { app: 'x' });

  test('model: absent is the own namespace, {} is every namespace', () => {
    expect(new NetworkModel([own]).allowed(other, POD, Port.tcp(80))).toBe(false);
    expect(new NetworkModel([all]).allowed(other, POD, Port.tcp(80))).toBe(true);
  });

  test('diff: widening own namespace to every namespace is flagged', () => {
    expect(widenings([own], [all])).toEqual(['Ingress from namespaces all on any port now allowed (new peer)']);
  });
});

describe('endPort ranges', () => {
  const range = np({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8000, endPort: 8100 }] }] }, 'out');
  const single = np({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8000 }] }] }, 'out');

  test('read as a range, protocol defaulted to TCP', () => {
    expect(readNetworkPolicy(range).allows('Egress')![0].ports).toEqual([{ protocol: 'TCP', port: 8000, endPort: 8100 }]);
  });

  test('pack: a range to the internet is not a named port; model: the range is open; diff: widening from one port', () => {
    expect(findingsOf(internetEgressPorts, [range])).toEqual(['[egress:0][ipBlock:0.0.0.0/0]']);
    expect(new NetworkModel([range]).allowed(POD, OUT, Port.tcp(8050))).toBe(true);
    expect(new NetworkModel([range]).allowed(POD, OUT, Port.tcp(8101))).toBe(false);
    expect(widenings([single], [range])).toEqual(['Egress to 0.0.0.0/0 on TCP/8000-8100 now allowed (port added)']);
  });

  test('the truth table checks both ends of a range, and no port of a direction the policy does not isolate', () => {
    const ignored = np({ podSelector: {}, policyTypes: ['Egress'], ingress: [{ ports: [{ port: 7000 }] }] });
    expect(portsToCheck([range, ignored], []).map(String)).toEqual(['UDP/53', 'TCP/53', 'TCP/8000', 'TCP/8100']);
  });

  test('Port.tcpRange renders endPort in a NetworkPolicy allowance', () => {
    const objects = synthChart((c) => new DefaultDenyPolicies(c, 'net', { namespace: 'apps' }).allow(Direction.INGRESS, Peer.cidr('100.64.0.0/10'), [Port.tcpRange(30000, 30010)]));
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && (o.spec as any).ingress)!;
    expect((policy.spec as any).ingress[0].ports).toEqual([{ protocol: 'TCP', port: 30000, endPort: 30010 }]);
  });

  test.each([
    ['a hand-made port object with endPort', () => ({ protocol: 'TCP', port: 8000, endPort: 9000 }) as unknown as Port, /not a Port/],
    ['an endPort below the port', () => Port.tcpRange(9000, 8000), /invalid port range.*TCP\/9000-8000/s],
    ['an endPort above 65535', () => Port.tcpRange(9000, 70000), /invalid port range/],
  ])('refused at synth: %s', (_t, port, message) => {
    const chart = new Chart(Testing.app(), 'c');
    const policies = new DefaultDenyPolicies(chart, 'net', { namespace: 'apps' });
    expect(() => policies.allowInternetEgress([port()])).toThrow(message);
  });
});

describe('IPv6 blocks', () => {
  test('ingress from ::/0 is the whole internet; from another IPv6 block, outside the tailnet', () => {
    const anyV6 = np({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '::/0' } }] }] });
    const docV6 = np({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '2001:db8::/32' } }] }] });
    expect(findingsOf(noIngressFromAnywhere, [anyV6])).toEqual(['[ipBlock:::/0]']);
    expect(findingsOf(ingressSourceRule(['100.64.0.0/10']), [docV6])).toEqual(['[ipBlock:2001:db8::/32]']);
  });

  test('IPv6 egress: ::/0 on every port is internet egress, a unique-local block is not', () => {
    const out = (cidr: string) => np({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr } }] }] });
    expect(findingsOf(internetEgressPorts, [out('::/0')])).toEqual(['[egress:0][ipBlock:::/0]']);
    expect(findingsOf(internetEgressPorts, [out('fd00::/8')])).toEqual([]);
  });

  test('model and diff read IPv6 blocks, IPv4-mapped addresses included', () => {
    const p = np({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }] }, 'v6');
    const m = new NetworkModel([p]);
    expect(m.allowed(POD, Endpoint.ip('2001:db8:2::1'), Port.tcp(443))).toBe(true);
    expect(m.allowed(POD, Endpoint.ip('2001:db8:1::1'), Port.tcp(443))).toBe(false);
    const wider = np({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32' } }] }] }, 'v6');
    expect(widenings([p], [wider])).toEqual(['Egress to 2001:db8::/32 on any port now allowed (except 2001:db8:1::/48 removed)']);
    const mapped = np({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '::ffff:100.64.0.0/106' } }] }] }, 'm');
    expect(new NetworkModel([mapped]).allowed(POD, Endpoint.ip('::ffff:100.64.0.9'), Port.tcp(1))).toBe(true);
    expect(new NetworkModel([mapped]).allowed(POD, Endpoint.ip('::ffff:100.128.0.1'), Port.tcp(1))).toBe(false);
  });
});
