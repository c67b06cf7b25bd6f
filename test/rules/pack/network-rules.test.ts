import {
  defaultDenyRule,
  dnsAllowanceRule,
  ingressSourceRule,
  internetEgressPorts,
  noIngressFromAnywhere,
} from '../../../lib/rules/pack/network-rules';
import { baselinePolicies, findingsOf, namespace, networkPolicy } from '../fixtures';

const SYSTEM = ['default', 'kube-system'];

describe('HB-NET-001 default-deny both directions', () => {
  const rule = defaultDenyRule(SYSTEM);

  test('compliant: one policy selecting all pods, Ingress+Egress, no rules', () => {
    expect(findingsOf(rule, [namespace('apps'), ...baselinePolicies('apps')])).toEqual([]);
  });

  test('compliant: two one-direction policies', () => {
    const policies = [
      networkPolicy('apps', 'deny-in', { policyTypes: ['Ingress'] }),
      networkPolicy('apps', 'deny-out', { policyTypes: ['Egress'] }),
    ];
    expect(findingsOf(rule, [namespace('apps'), ...policies])).toEqual([]);
  });

  test('violation: no policy at all', () => {
    expect(findingsOf(rule, [namespace('apps')])).toEqual(['[direction:Egress]', '[direction:Ingress]']);
  });

  test('violation: ingress-only deny (policyTypes defaulted to Ingress)', () => {
    expect(findingsOf(rule, [namespace('apps'), networkPolicy('apps', 'deny', {})])).toEqual(['[direction:Egress]']);
  });

  test('violation: the "deny" selects only some pods, or has rules', () => {
    const partial = networkPolicy('apps', 'deny', { podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Ingress', 'Egress'] });
    const withRules = networkPolicy('apps', 'deny2', { policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] });
    expect(findingsOf(rule, [namespace('apps'), partial, withRules])).toEqual(['[direction:Egress]', '[direction:Ingress]']);
  });

  test('violation: a deny in another namespace does not count', () => {
    expect(findingsOf(rule, [namespace('apps'), ...baselinePolicies('other')])).toEqual(['[direction:Egress]', '[direction:Ingress]']);
  });

  test('system namespaces are not application namespaces', () => {
    expect(findingsOf(rule, [namespace('kube-system')])).toEqual([]);
  });
});

describe('HB-NET-002 DNS allowance', () => {
  const rule = dnsAllowanceRule(SYSTEM);

  test('compliant: UDP and TCP 53 egress for all pods', () => {
    expect(findingsOf(rule, [namespace('apps'), ...baselinePolicies('apps')])).toEqual([]);
  });

  test('compliant: protocol defaults to TCP, and a port range covering 53 counts', () => {
    const dns = networkPolicy('apps', 'dns', {
      policyTypes: ['Egress'],
      egress: [{ ports: [{ protocol: 'UDP', port: 50, endPort: 60 }, { port: 53 }] }],
    });
    expect(findingsOf(rule, [namespace('apps'), dns])).toEqual([]);
  });

  test('violation: only UDP, or only for some pods', () => {
    const udp = networkPolicy('apps', 'dns', { policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] });
    const some = networkPolicy('apps', 'dns2', {
      podSelector: { matchLabels: { app: 'x' } },
      policyTypes: ['Egress'],
      egress: [{ ports: [{ protocol: 'TCP', port: 53 }] }],
    });
    expect(findingsOf(rule, [namespace('apps'), udp, some])).toEqual(['[port:TCP/53]']);
  });

  test('violation: no DNS policy', () => {
    expect(findingsOf(rule, [namespace('apps'), baselinePolicies('apps')[0]])).toEqual(['[port:TCP/53]', '[port:UDP/53]']);
  });
});

describe('HB-NET-003 ingress source ranges', () => {
  const rule = ingressSourceRule(['100.64.0.0/10']);
  const from = (cidr: string) => networkPolicy('apps', 'in', { policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr } }], ports: [{ port: 80 }] }] });

  test('compliant: the tailnet, or a range inside it', () => {
    expect(findingsOf(rule, [from('100.64.0.0/10')])).toEqual([]);
    expect(findingsOf(rule, [from('100.77.144.4/32')])).toEqual([]);
  });

  test('violation: a LAN range', () => {
    expect(findingsOf(rule, [from('192.168.0.0/16')])).toEqual(['[ipBlock:192.168.0.0/16]']);
  });

  test('violation: a range wider than the tailnet, or an invalid one', () => {
    expect(findingsOf(rule, [from('100.0.0.0/8')])).toEqual(['[ipBlock:100.0.0.0/8]']);
    expect(findingsOf(rule, [from('not-a-cidr')])).toEqual(['[ipBlock:not-a-cidr]']);
  });

  test('0.0.0.0/0 is left to the unsuppressible HB-NET-004', () => {
    expect(findingsOf(rule, [from('0.0.0.0/0')])).toEqual([]);
  });

  test('the allowed ranges are an option', () => {
    expect(findingsOf(ingressSourceRule(['192.168.0.0/16']), [from('192.168.1.0/24')])).toEqual([]);
    expect(() => ingressSourceRule(['bogus'])).toThrow(/allowedIngressCidrs/);
  });
});

describe('HB-NET-004 no ingress from anywhere', () => {
  const rule = noIngressFromAnywhere;

  test('compliant: tailnet and namespace sources', () => {
    const p = networkPolicy('apps', 'in', {
      ingress: [{ from: [{ ipBlock: { cidr: '100.64.0.0/10' } }, { namespaceSelector: {} }], ports: [{ port: 80 }] }],
    });
    expect(findingsOf(rule, [p])).toEqual([]);
  });

  test('violation: 0.0.0.0/0 and ::/0', () => {
    const p = networkPolicy('apps', 'in', { ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }] }] });
    expect(findingsOf(rule, [p])).toEqual(['[ipBlock:0.0.0.0/0]', '[ipBlock:::/0]']);
  });

  test('violation: a rule without from admits everyone', () => {
    const p = networkPolicy('apps', 'in', { ingress: [{ ports: [{ port: 80 }] }] });
    expect(findingsOf(rule, [p])).toEqual(['[ingress:0][from:any]']);
  });
});

describe('HB-NET-005 internet egress on named ports', () => {
  const rule = internetEgressPorts;
  const internet = { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } };

  test('compliant: internet on 443, LAN on every port, namespaces on every port', () => {
    const p = networkPolicy('apps', 'out', {
      policyTypes: ['Egress'],
      egress: [
        { to: [internet], ports: [{ protocol: 'TCP', port: 443 }] },
        { to: [{ ipBlock: { cidr: '192.168.1.0/24' } }] },
        { to: [{ namespaceSelector: {} }] },
      ],
    });
    expect(findingsOf(rule, [p])).toEqual([]);
  });

  test('violation: internet without ports', () => {
    const p = networkPolicy('apps', 'out', { policyTypes: ['Egress'], egress: [{ to: [internet] }] });
    expect(findingsOf(rule, [p])).toEqual(['[egress:0][ipBlock:0.0.0.0/0]']);
  });

  test('violation: a public /32 with a port range or a protocol-only port', () => {
    const p = networkPolicy('apps', 'out', {
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '203.0.113.7/32' } }], ports: [{ protocol: 'TCP', port: 1, endPort: 65535 }] },
        { to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ protocol: 'UDP' }] },
      ],
    });
    expect(findingsOf(rule, [p])).toEqual(['[egress:0][ipBlock:203.0.113.7/32]', '[egress:1][ipBlock:198.51.100.0/24]']);
  });

  test('violation: an egress rule without `to` or ports allows everything', () => {
    const p = networkPolicy('apps', 'out', { policyTypes: ['Egress'], egress: [{}] });
    expect(findingsOf(rule, [p])).toEqual(['[egress:0][to:any]']);
  });
});

test('fails if the rule pack is configured with an invalid allowed ingress CIDR', () => {
  expect(() => ingressSourceRule(['100.64.0.0'])).toThrow(
    /\[baselineRules\] invalid CIDR in the rule pack option allowedIngressCidrs: "100\.64\.0\.0"\. Allowed: an IPv4 or IPv6 network.*Fix: write the network address/,
  );
});
