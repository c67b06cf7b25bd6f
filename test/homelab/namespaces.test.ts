import { buildHomelab } from '../../homelab';
import { all, find, synthManifests } from '../util';

// The seed's "Pod Security Standards" table, written out independently of the code.
const PSS: Record<string, { enforce: string; reason?: RegExp }> = {
  argocd: { enforce: 'restricted' },
  'external-secrets': { enforce: 'restricted' },
  monitoring: { enforce: 'baseline', reason: /node-exporter requires host namespaces and hostPort/ },
  authentik: { enforce: 'baseline', reason: /run as root, missing seccompProfile/ },
  infisical: { enforce: 'baseline', reason: /run as root, missing seccompProfile/ },
  launchfast: { enforce: 'restricted' },
  openclaw: { enforce: 'privileged', reason: /hostPath/ },
  'personal-gateway': { enforce: 'restricted' },
};

/** `pods`: the app.kubernetes.io/name the policy selects in its own namespace, when it selects some. */
type Rule = { dir: 'Ingress' | 'Egress'; peer: string; ports: string[]; pods?: string };
const KS = 'ns:kube-system';
const INTERNET = 'internet';
// The personal-gateway backends (placeholder ranges from homelab/workloads.ts, written out here).
const HOST_DAEMON = '192.0.2.10/32';
const TWILIO = '203.0.113.0/24';
const PLAID = '198.51.100.0/24';
const app = (name: string) => `{"matchLabels":{"app.kubernetes.io/name":"${name}"}}`;
// The seed's "Default-Deny Network Policies" table (plus launchfast behind the tailnet on 8080), as
// every namespace-specific allowance: direction, peer, ports. Nothing else may exist.
const SPECIFIC: Record<string, Rule[]> = {
  argocd: [
    { dir: 'Ingress', peer: 'tailnet', ports: ['TCP/8080'] },
    { dir: 'Egress', peer: KS, ports: ['TCP/6443'] },
    { dir: 'Egress', peer: INTERNET, ports: ['TCP/443', 'TCP/22'] },
  ],
  monitoring: [
    { dir: 'Ingress', peer: 'tailnet', ports: ['TCP/3000'] },
    { dir: 'Egress', peer: KS, ports: ['TCP/6443'] },
    { dir: 'Egress', peer: INTERNET, ports: ['TCP/443'] },
  ],
  authentik: [{ dir: 'Ingress', peer: 'tailnet', ports: ['TCP/9000', 'TCP/9443'] }],
  // Plus the "Personal Task Gateway" flow diagram: OpenClaw → each proxy on its port, and its internet
  // egress cut around the proxies' backends (OpenClaw -.BLOCKED.-> host daemon, Twilio, Plaid).
  openclaw: [
    { dir: 'Ingress', peer: 'tailnet', ports: ['TCP/18789'] },
    { dir: 'Egress', peer: KS, ports: ['TCP/6443'] },
    { dir: 'Egress', peer: `${INTERNET} except ${[HOST_DAEMON, PLAID, TWILIO].join(' ')}`, ports: ['TCP/443'] },
    { dir: 'Egress', peer: `ns:personal-gateway${app('messaging-proxy')}`, ports: ['TCP/8081'], pods: 'openclaw' },
    { dir: 'Egress', peer: `ns:personal-gateway${app('voice-proxy')}`, ports: ['TCP/8082'], pods: 'openclaw' },
    { dir: 'Egress', peer: `ns:personal-gateway${app('finance-proxy')}`, ports: ['TCP/8083'], pods: 'openclaw' },
  ],
  // The flow diagram: each proxy takes OpenClaw on its own port and reaches only its own backend.
  'personal-gateway': [
    { dir: 'Ingress', peer: `ns:openclaw${app('openclaw')}`, ports: ['TCP/8081'], pods: 'messaging-proxy' },
    { dir: 'Ingress', peer: `ns:openclaw${app('openclaw')}`, ports: ['TCP/8082'], pods: 'voice-proxy' },
    { dir: 'Ingress', peer: `ns:openclaw${app('openclaw')}`, ports: ['TCP/8083'], pods: 'finance-proxy' },
    { dir: 'Egress', peer: `cidr:${HOST_DAEMON}`, ports: ['TCP/9090'], pods: 'messaging-proxy' },
    { dir: 'Egress', peer: `cidr:${TWILIO}`, ports: ['TCP/443'], pods: 'voice-proxy' },
    { dir: 'Egress', peer: `cidr:${PLAID}`, ports: ['TCP/443'], pods: 'finance-proxy' },
  ],
  'external-secrets': [
    { dir: 'Egress', peer: KS, ports: ['TCP/6443'] },
    { dir: 'Egress', peer: 'ns:infisical', ports: ['TCP/8080'] },
  ],
  infisical: [
    { dir: 'Ingress', peer: 'tailnet', ports: ['TCP/8080'] },
    { dir: 'Ingress', peer: 'ns:external-secrets', ports: ['TCP/8080'] },
  ],
  launchfast: [{ dir: 'Ingress', peer: 'tailnet', ports: ['TCP/8080'] }],
};

const objects = synthManifests((app) => buildHomelab(app)).map((m) => m.object);

function describePeer(p: any): string {
  if (p.ipBlock?.cidr === '100.64.0.0/10' && !p.ipBlock.except) return 'tailnet';
  if (p.ipBlock?.cidr === '0.0.0.0/0') {
    // "internet" only counts when every private, CGNAT, loopback and link-local range is cut out.
    const holes = ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];
    expect(p.ipBlock.except).toEqual(expect.arrayContaining(holes));
    const more = p.ipBlock.except.filter((c: string) => !holes.includes(c)).sort();
    return more.length ? `${INTERNET} except ${more.join(' ')}` : INTERNET;
  }
  if (p.ipBlock) return `cidr:${p.ipBlock.cidr}`;
  expect(Object.keys(p.namespaceSelector.matchLabels)).toEqual(['kubernetes.io/metadata.name']);
  return `ns:${p.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}${p.podSelector ? JSON.stringify(p.podSelector) : ''}`;
}

/** Every rule of a namespace's non-foundational policies, flattened to direction/peer/ports. */
function specificRules(ns: string): Rule[] {
  const rules: Rule[] = [];
  for (const np of all(objects, 'NetworkPolicy', ns)) {
    if (['default-deny-all', 'allow-same-namespace', 'allow-dns'].includes(np.metadata.name)) continue;
    for (const dir of ['Ingress', 'Egress'] as const) {
      for (const r of np.spec[dir.toLowerCase()] ?? []) {
        expect(np.spec.policyTypes).toEqual([dir]);
        expect(r.ports?.length).toBeGreaterThan(0); // a rule without ports would open every port
        for (const peer of dir === 'Ingress' ? r.from : r.to) {
          const pods = np.spec.podSelector.matchLabels?.['app.kubernetes.io/name'];
          rules.push({ dir, peer: describePeer(peer), ports: r.ports.map((p: any) => `${p.protocol}/${p.port}`), pods });
        }
      }
    }
  }
  return rules;
}

describe.each(Object.keys(PSS))('namespace %s', (ns) => {
  test('Pod Security labels and reason match the seed', () => {
    const o = find(objects, 'Namespace', ns);
    const labels = o.metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe(PSS[ns].enforce);
    expect(labels['pod-security.kubernetes.io/audit']).toBe('restricted');
    expect(labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    for (const mode of ['enforce', 'audit', 'warn']) expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.28');
    const reason = o.metadata.annotations?.['baseline.homelab.dev/pod-security-reason'];
    if (PSS[ns].reason) expect(reason).toMatch(PSS[ns].reason!);
    else expect(reason).toBeUndefined();
  });

  test('default-deny-all denies both directions for every pod', () => {
    expect(find(objects, 'NetworkPolicy', 'default-deny-all', ns).spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('DNS egress goes to kube-system on UDP and TCP 53 only', () => {
    const dns = find(objects, 'NetworkPolicy', 'allow-dns', ns);
    expect(dns.spec.policyTypes).toEqual(['Egress']);
    expect(dns.spec.egress).toHaveLength(1);
    expect(dns.spec.egress[0].to.map(describePeer)).toEqual([KS]);
    expect(dns.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
  });

  if (ns in SPECIFIC && ns !== 'personal-gateway') {
    test('allow-same-namespace stays inside the namespace', () => {
      const same = find(objects, 'NetworkPolicy', 'allow-same-namespace', ns);
      expect(same.spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
      expect(same.spec.egress).toEqual([{ to: [{ podSelector: {} }] }]);
    });

  }
  if (ns in SPECIFIC) {
    test('namespace-specific rules are exactly the seed table', () => {
      const key = (r: Rule) => `${r.pods ? `[${r.pods}] ` : ''}${r.dir} ${r.peer} ${r.ports.join(',')}`;
      expect(specificRules(ns).map(key).sort()).toEqual(SPECIFIC[ns].map(key).sort());
    });
  }
});

test('ingress from an address block only ever comes from the tailnet', () => {
  for (const np of all(objects, 'NetworkPolicy')) {
    for (const r of np.spec.ingress ?? []) {
      for (const peer of r.from) if (peer.ipBlock) expect(peer.ipBlock).toEqual({ cidr: '100.64.0.0/10' });
    }
  }
});

test('personal-gateway has no blanket same-namespace allowance, so the proxies stay apart', () => {
  expect(all(objects, 'NetworkPolicy', 'personal-gateway').map((p) => p.metadata.name)).not.toContain('allow-same-namespace');
});

test('exactly the eight namespaces of the seed exist', () => {
  expect(all(objects, 'Namespace').map((n) => n.metadata.name).sort()).toEqual(Object.keys(PSS).sort());
});

test('every namespace has its expected specific rules written out (none is skipped silently)', () => {
  expect(Object.keys(SPECIFIC).sort()).toEqual(Object.keys(PSS).sort());
});
