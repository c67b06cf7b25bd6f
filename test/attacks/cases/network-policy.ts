import { AttackCase, AttackEdit } from '../attack-case';

// NetworkPolicy semantics as Kubernetes stores them (issue 16): each case is read the way the API server
// defaults and the CNI enforces it. A dist/ edit must make `npm run diff` exit 2; a change to the code
// that renders the policies must fail synth.

const DENY = 'dist/launchfast/networkpolicy-default-deny-all.yaml';
const TYPES = '  policyTypes:\n    - Ingress\n    - Egress\n';

const diff = (id: string, description: string, ...edits: AttackEdit[]): AttackCase => ({ id, class: 'network-policy', description, edits, stoppedBy: 'diff' });
const synth = (id: string, description: string, ...edits: AttackEdit[]): AttackCase => ({ id, class: 'network-policy', description, edits, stoppedBy: 'synth' });

export const CASES: AttackCase[] = [
  diff('netpol-deny-egress-empty-no-policytypes', 'launchfast default-deny rewritten as `egress: []` with policyTypes dropped (stored as [Ingress]: egress open)',
    { file: DENY, find: TYPES, replace: '  egress: []\n' }),
  diff('netpol-deny-policytypes-empty-list', 'launchfast default-deny with `policyTypes: []` and `egress: []` (defaulted to [Ingress])',
    { file: DENY, find: TYPES, replace: '  policyTypes: []\n  egress: []\n' }),
  diff('netpol-deny-egress-dropped', 'launchfast default-deny isolates Ingress only', { file: DENY, find: TYPES, replace: '  policyTypes:\n    - Ingress\n' }),
  synth('netpol-deny-egress-empty-in-code', 'DefaultDenyPolicies renders default-deny-all as `egress: []` without policyTypes', {
    file: 'lib/network/default-deny-policies.ts',
    find: "this.policy(names.defaultDenyAll, {}, { policyTypes: ['Ingress', 'Egress'] });",
    replace: "this.policy(names.defaultDenyAll, {}, { egress: [] });",
  }),
  diff('netpol-endport-internet', 'openclaw internet egress on 443 widened to 443-65535 with endPort', {
    file: 'dist/openclaw/networkpolicy-allow-internet-egress.yaml',
    find: '        - port: 443\n          protocol: TCP\n',
    replace: '        - port: 443\n          endPort: 65535\n          protocol: TCP\n',
  }),
  synth('netpol-endport-internet-in-code', 'openclaw internet egress declared as Port.tcpRange(443, 65535)', {
    file: 'homelab/openclaw.ts',
    find: 'allow: [openclawInternetEgress([Port.tcp(443)])],',
    replace: 'allow: [openclawInternetEgress([Port.tcpRange(443, 65535)])],',
  }),
  synth('netpol-handmade-endport', 'launchfast tailnet ingress given as a hand-made port with endPort (was silently dropped)', {
    file: 'homelab/services.ts',
    find: '    network: { tailnetIngress: [Port.tcp(8080)] },',
    replace: "    network: { tailnetIngress: [{ protocol: 'TCP', port: 8080, endPort: 9000 } as any] },",
  }),
  diff('netpol-namespace-selector-all', 'launchfast same-namespace ingress widened to `namespaceSelector: {}` (every namespace)', {
    file: 'dist/launchfast/networkpolicy-allow-same-namespace.yaml',
    find: '  ingress:\n    - from:\n        - podSelector: {}\n',
    replace: '  ingress:\n    - from:\n        - namespaceSelector: {}\n',
  }),
  diff('netpol-ipv6-any-ingress', 'launchfast tailnet ingress from ::/0 (every IPv6 address)', {
    file: 'dist/launchfast/networkpolicy-allow-tailnet-ingress.yaml',
    find: '            cidr: 100.64.0.0/10\n',
    replace: '            cidr: ::/0\n',
  }),
  diff('netpol-ingress-from-empty', 'launchfast tailnet ingress `from: []` (every source)', {
    file: 'dist/launchfast/networkpolicy-allow-tailnet-ingress.yaml',
    find: '    - from:\n        - ipBlock:\n            cidr: 100.64.0.0/10\n',
    replace: '    - from: []\n',
  }),
];
