import { Chart } from 'cdk8s';
import { DefaultDenyPolicies, DefaultDenyPoliciesProps, Direction, Peer, Port } from '../../lib';
import { all, find, synthChart } from '../util';

function policies(props: Omit<DefaultDenyPoliciesProps, 'namespace'>, more?: (p: DefaultDenyPolicies) => void) {
  return synthChart((c: Chart) => {
    const p = new DefaultDenyPolicies(c, 'net', { namespace: 'apps', ...props });
    more?.(p);
  });
}

describe('DefaultDenyPolicies', () => {
  test('foundational policies: deny all both ways, same namespace both ways, DNS to kube-system on UDP+TCP 53', () => {
    const objs = policies({});
    expect(all(objs, 'NetworkPolicy').map((p) => p.metadata.name).sort()).toEqual(['allow-dns', 'allow-same-namespace', 'default-deny-all']);

    const deny = find(objs, 'NetworkPolicy', 'default-deny-all', 'apps');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

    const same = find(objs, 'NetworkPolicy', 'allow-same-namespace', 'apps');
    expect(same.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });

    const dns = find(objs, 'NetworkPolicy', 'allow-dns', 'apps');
    expect(dns.spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
  });

  test('allowSameNamespace: false drops only that policy', () => {
    const names = all(policies({ allowSameNamespace: false }), 'NetworkPolicy').map((p) => p.metadata.name).sort();
    expect(names).toEqual(['allow-dns', 'default-deny-all']);
  });

  test('tailnet ingress comes from 100.64.0.0/10 only, on the given ports', () => {
    const p = find(policies({ tailnetIngress: [Port.tcp(9000), Port.tcp(9443)] }), 'NetworkPolicy', 'allow-tailnet-ingress');
    expect(p.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '100.64.0.0/10' } }], ports: [{ protocol: 'TCP', port: 9000 }, { protocol: 'TCP', port: 9443 }] }],
    });
  });

  test('API server egress: kube-system by default, a CIDR when given, always TCP 6443', () => {
    const ns = find(policies({ apiServerEgress: true }), 'NetworkPolicy', 'allow-apiserver-egress');
    expect(ns.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
      ports: [{ protocol: 'TCP', port: 6443 }],
    }]);
    const cidr = find(policies({ apiServerEgress: Peer.cidr('192.168.5.2/32') }), 'NetworkPolicy', 'allow-apiserver-egress');
    expect(cidr.spec.egress[0].to).toEqual([{ ipBlock: { cidr: '192.168.5.2/32' } }]);
    expect(cidr.spec.policyTypes).toEqual(['Egress']);
  });

  test('internet egress excludes private, CGNAT, loopback and link-local ranges', () => {
    const p = find(policies({ internetEgress: [Port.tcp(443)] }), 'NetworkPolicy', 'allow-internet-egress');
    expect(p.spec.policyTypes).toEqual(['Egress']);
    expect(p.spec.egress).toEqual([{
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'] } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    }]);
  });

  test('namespace allowances select the peer by its metadata.name label, with optional pod selectors', () => {
    const objs = policies({
      ingressFrom: [{ namespace: 'openclaw', ports: [Port.tcp(8081)], podSelector: { app: 'messaging-proxy' }, name: 'allow-openclaw-to-messaging' }],
      egressTo: [{ namespace: 'infisical', ports: [Port.tcp(8080)], peerPodSelector: { app: 'infisical' } }],
    });
    const ing = find(objs, 'NetworkPolicy', 'allow-openclaw-to-messaging');
    expect(ing.spec).toEqual({
      podSelector: { matchLabels: { app: 'messaging-proxy' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openclaw' } } }], ports: [{ protocol: 'TCP', port: 8081 }] }],
    });
    const eg = find(objs, 'NetworkPolicy', 'allow-egress-to-infisical');
    expect(eg.spec.egress[0].to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'infisical' } },
      podSelector: { matchLabels: { app: 'infisical' } },
    }]);
  });

  test('allowances are recorded for the report and the rule pack', () => {
    let recorded: readonly unknown[] = [];
    policies({ tailnetIngress: [Port.tcp(8080)] }, (p) => (recorded = p.allowances));
    expect(recorded).toEqual([expect.objectContaining({ name: 'allow-tailnet-ingress', direction: Direction.INGRESS })]);
  });

  test('allow() without a name derives one from the peer, without a trailing "-" (a selector or except ends in "}")', () => {
    const names = all(policies({}, (p) => {
      p.allow(Direction.EGRESS, Peer.namespace('db', { app: 'pg' }), [Port.tcp(5432)]);
      p.allow(Direction.EGRESS, Peer.cidr('10.0.0.0/8', ['10.1.0.0/16']), [Port.tcp(443)]);
    }), 'NetworkPolicy').map((o) => o.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['allow-egress-ns-db-app-pg', 'allow-egress-cidr-10-0-0-0-8-10-1-0-0-16']));
  });

  describe('fails if', () => {
    test.each([
      ['100.64.0.0', /\[test\/net\] invalid CIDR: "100.64.0.0"\. Allowed: an IPv4 or IPv6 network with an explicit mask.*Fix: write the network address followed by \/prefix-length/],
      ['100.64.0.1/10', /invalid CIDR: "100.64.0.1\/10"/],
      ['300.1.2.3/32', /invalid CIDR: "300.1.2.3\/32"/],
      ['10.0.0.0/33', /invalid CIDR: "10.0.0.0\/33"/],
    ])('a CIDR is invalid or has no mask (%s)', (cidr, message) => {
      expect(() => policies({}, (p) => p.allow(Direction.EGRESS, Peer.cidr(cidr), [Port.tcp(443)]))).toThrow(message);
    });

    // NaN and Infinity are rendered as such (JSON would write null, hiding the bad value).
    test.each([0, 65536, 1.5, -1, NaN, Infinity, -Infinity])('a port is out of range (%s)', (port) => {
      expect(() => policies({ tailnetIngress: [Port.tcp(port)] })).toThrow(
        new RegExp(`\\[test/net\\] invalid port: ${port}\\. Allowed: an integer from 1 to 65535\\. Fix:`),
      );
    });

    test('a protocol is unknown', () => {
      expect(() => policies({ tailnetIngress: [Port.of('ICMP', 8)] })).toThrow(/\[test\/net\] unknown protocol: "ICMP"\. Allowed: TCP, UDP, SCTP\. Fix: use Port.tcp\(n\) or Port.udp\(n\)/);
    });

    test('an allowance is a duplicate', () => {
      expect(() =>
        policies({ egressTo: [{ namespace: 'infisical', ports: [Port.tcp(8080)] }] }, (p) =>
          p.allowEgressToNamespace({ namespace: 'infisical', ports: [Port.tcp(8080)], name: 'again' }),
        ),
      ).toThrow(/\[test\/net\] duplicate allowance: "Egress ns:infisical TCP\/8080"\..*Fix: remove it: NetworkPolicy "allow-egress-to-infisical" already allows it/);
    });

    test.each(['0.0.0.0/0', '192.168.1.0/24', '100.0.0.0/8'])('ingress would come from outside the tailnet (%s)', (cidr) => {
      expect(() => policies({}, (p) => p.allow(Direction.INGRESS, Peer.cidr(cidr), [Port.tcp(80)], { name: 'open' }))).toThrow(
        new RegExp(`ingress from an address block outside the allowed source ranges: "${cidr.replace(/[./]/g, '\\$&')}".*Fix: allow ingress from the tailnet`),
      );
    });

    test('an allowance has no ports (which would mean every port)', () => {
      expect(() => policies({}, (p) => p.allowInternetEgress([]))).toThrow(/egress allowance without ports/);
    });

    test('two allowances share a name', () => {
      expect(() =>
        policies({ tailnetIngress: [Port.tcp(80)] }, (p) => p.allowInternetEgress([Port.tcp(443)], { name: 'allow-tailnet-ingress' })),
      ).toThrow(/NetworkPolicy name already used in this namespace: "allow-tailnet-ingress"/);
    });

    test('an except CIDR lies outside its block', () => {
      expect(() => policies({}, (p) => p.allow(Direction.EGRESS, Peer.cidr('10.0.0.0/8', ['192.168.0.0/16']), [Port.tcp(1)]))).toThrow(
        /except CIDR is not inside 10.0.0.0\/8: "192.168.0.0\/16"/,
      );
    });

    test.each([['10.0.0.0/8', '10.0.0.0/8'], ['fd00::/8', 'fd00::/8']])('an except CIDR is as wide as its block (%s)', (cidr, except) => {
      expect(() => policies({}, (p) => p.allow(Direction.EGRESS, Peer.cidr(cidr, [except]), [Port.tcp(1)], { name: 'x' }))).toThrow(
        new RegExp(`\\[test/net\\] except CIDR is as wide as its block ${cidr.replace(/[./]/g, '\\$&')}: "${except.replace(/[./]/g, '\\$&')}"\\. ` +
          'Allowed: CIDRs strictly inside .*Fix: remove the allowance \\(it would allow nothing\\), or except a narrower block'),
      );
    });

    test.each([
      ['a pod selector', { podSelector: { 'tier name': 'web' } }, /\[test\/net\] invalid pod selector label key: "tier name"\. Allowed: an optional DNS-1123 subdomain prefix/],
      ['a pod selector', { podSelector: { app: '-web-' } }, /invalid value of pod selector label "app": "-web-"\. Allowed: empty, or 1-63 letters.*Fix: change it, e\.g\. to "web"/],
      ['a peer pod selector', { peerPodSelector: { app: 'a b' } }, /\[test\/net\] invalid value of peer pod selector label "app": "a b"/],
      ['a peer pod selector', { peerPodSelector: { 'x/y/z': 'a' } }, /invalid peer pod selector label key: "x\/y\/z"/],
    ])('%s has a label the API server refuses (%j)', (_what, selectors, message) => {
      expect(() => policies({ egressTo: [{ namespace: 'db', ports: [Port.tcp(5432)], ...selectors }] })).toThrow(message);
      expect(() => policies({ ingressFrom: [{ namespace: 'db', ports: [Port.tcp(5432)], ...selectors }] })).toThrow(message);
    });

    test('the name derived from a long peer namespace is not a DNS label (the user is asked for a name, not to rename)', () => {
      const namespace = `n${'x'.repeat(44)}`; // 45 characters: "allow-ingress-from-" + 45 = 64
      expect(() => policies({ ingressFrom: [{ namespace, ports: [Port.tcp(80)] }] })).toThrow(
        new RegExp(`^\\[test/net\\] invalid NetworkPolicy name derived from the allowance: "allow-ingress-from-${namespace}"\\. ` +
          'Allowed: a DNS-1123 label.*Fix: pass an explicit `name` in the allowance options: names are a contract with ArgoCD'),
      );
      const objects = policies({ ingressFrom: [{ namespace, ports: [Port.tcp(80)], name: 'allow-ingress-from-long' }] });
      expect(find(objects, 'NetworkPolicy', 'allow-ingress-from-long', 'apps').spec.ingress[0].from[0].namespaceSelector.matchLabels)
        .toEqual({ 'kubernetes.io/metadata.name': namespace });
    });
  });
});
