/**
 * Network policy semantics of the whole homelab: who may open a connection to whom on which port, computed
 * from the synthesized NetworkPolicies, must be exactly the committed truth table (truth-table.md); the
 * seed's intended and forbidden flows are checked on the model directly; a widening anywhere fails.
 */
import * as fc from 'fast-check';
import { Endpoint, KubeObject, NetworkModel, Port } from '../../lib';
import { assertProperty } from '../property/settings';
import {
  ANY_PORT,
  Triple,
  allowedTriples,
  endpoints,
  governs,
  homelabObjects,
  portsToCheck,
  renderRows,
  tripleKey,
  truthTable,
} from './homelab-reachability';

const objects = homelabObjects();
const table = truthTable();

/** Rows allowed but not in the table (widened) and rows in the table no longer allowed (narrowed). */
function compare(computed: readonly Triple[]): { widened: Triple[]; narrowed: Triple[] } {
  const inTable = new Set(table.map(tripleKey));
  const now = new Set(computed.map(tripleKey));
  return { widened: computed.filter((t) => !inTable.has(tripleKey(t))), narrowed: table.filter((t) => !now.has(tripleKey(t))) };
}

describe('the homelab against the truth table', () => {
  test('the allowed connections are exactly the truth table (no widening, no unreviewed narrowing)', () => {
    const { widened, narrowed } = compare(allowedTriples(objects));
    const message = [
      widened.length ? `WIDENED: allowed now but not in truth-table.md (review against the seed before adding):\n${renderRows(widened)}` : '',
      narrowed.length ? `NARROWED: in truth-table.md but denied now (remove after review):\n${renderRows(narrowed)}` : '',
    ].filter(Boolean).join('\n\n');
    expect(message).toBe('');
  });

  test('the table is well-formed: sorted, no duplicate rows, every row names its seed source', () => {
    const keys = table.map(tripleKey);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
    for (const row of table) expect(row.seed).toMatch(/\w{3,}/);
  });

  test('every namespace of the homelab is an endpoint, and every allowance of every namespace allows some row', () => {
    const names = endpoints(objects).map((e) => e.name);
    for (const ns of objects.filter((o) => o.kind === 'Namespace')) expect(names).toContain(`${ns.metadata.name}/any-pod`);
    // Each policy with rules must be the reason for at least one allowed row: none is dead or untested.
    const model = new NetworkModel(objects);
    const byName = new Map(endpoints(objects).map((e) => [e.name, e.endpoint]));
    const used = new Set<string>();
    for (const t of table) {
      const port = t.port === ANY_PORT ? Port.tcp(31337) : Port.of(t.port.split('/')[0], Number(t.port.split('/')[1]));
      const v = model.check(byName.get(t.from)!, byName.get(t.to)!, port);
      const from = byName.get(t.from)!;
      const to = byName.get(t.to)!;
      v.egress.allowedBy.forEach((p) => used.add(`${(from as any).namespace}/${p}`));
      v.ingress.allowedBy.forEach((p) => used.add(`${(to as any).namespace}/${p}`));
    }
    const withRules = objects.filter((o) => o.kind === 'NetworkPolicy' && ((o.spec as any).ingress || (o.spec as any).egress));
    expect(withRules.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).filter((p) => !used.has(p))).toEqual([]);
  });
});

describe("the seed's flows, on the model directly", () => {
  const model = new NetworkModel(objects);
  const byName = new Map(endpoints(objects).map((e) => [e.name, e.endpoint]));
  const at = (name: string): Endpoint => {
    const e = byName.get(name);
    if (!e) throw new Error(`no endpoint ${name}`);
    return e;
  };
  const tcp = Port.tcp;
  const DNS = 'kube-system/kube-dns';
  const API = 'kube-system/kube-apiserver';
  const MAC = 'tailnet:mac-mini';
  const NET = 'internet:140.82.112.3';
  const [MP, VP, FP] = ['messaging-proxy', 'voice-proxy', 'finance-proxy'].map((p) => `personal-gateway/${p}`);
  const [HD, TW, PL] = ['messaging-proxy', 'voice-proxy', 'finance-proxy'].map((p) => `backend:${p}`);
  const OC = 'openclaw/openclaw';

  // Default-Deny table, openclaw's rules and the Personal Task Gateway's flow diagram: these must flow.
  const INTENDED: [string, string, Port][] = [
    [MAC, 'argocd/any-pod', tcp(8080)], ['argocd/any-pod', API, tcp(6443)], ['argocd/any-pod', NET, tcp(443)], ['argocd/any-pod', NET, tcp(22)],
    [MAC, 'monitoring/any-pod', tcp(3000)], ['monitoring/any-pod', API, tcp(6443)], ['monitoring/any-pod', NET, tcp(443)],
    [MAC, 'authentik/any-pod', tcp(9000)], [MAC, 'authentik/any-pod', tcp(9443)],
    [MAC, OC, tcp(18789)], [OC, API, tcp(6443)], [OC, NET, tcp(443)],
    ['external-secrets/any-pod', API, tcp(6443)], ['external-secrets/any-pod', 'infisical/any-pod', tcp(8080)],
    [MAC, 'infisical/any-pod', tcp(8080)],
    [OC, MP, tcp(8081)], [OC, VP, tcp(8082)], [OC, FP, tcp(8083)],
    [MP, HD, tcp(9090)], [VP, TW, tcp(443)], [FP, PL, tcp(443)],
    ...['argocd', 'external-secrets', 'monitoring', 'authentik', 'infisical', 'openclaw'].flatMap((ns): [string, string, Port][] => [
      [`${ns}/any-pod`, DNS, Port.udp(53)], [`${ns}/any-pod`, DNS, tcp(53)],
    ]),
  ];
  // The flow diagram's BLOCKED edges, "no cross-proxy communication", Host Isolation and the access model.
  const FORBIDDEN: [string, string, Port][] = [
    [MP, TW, tcp(443)], [MP, PL, tcp(443)], [FP, TW, tcp(443)], [FP, HD, tcp(9090)], [OC, HD, tcp(9090)],
    [OC, TW, tcp(443)], [OC, PL, tcp(443)], [VP, HD, tcp(9090)], [VP, PL, tcp(443)],
    [MP, VP, tcp(8082)], [VP, FP, tcp(8083)], [FP, MP, tcp(8081)],
    ['openclaw/any-pod', MP, tcp(8081)], ['argocd/any-pod', MP, tcp(8081)],
    [OC, MAC, tcp(22)], [OC, MAC, tcp(443)], [OC, 'lan:192.168.1.10', tcp(443)], [OC, NET, tcp(80)], [OC, NET, tcp(22)],
    [OC, 'argocd/any-pod', tcp(8080)], [OC, 'infisical/any-pod', tcp(8080)], [OC, 'monitoring/any-pod', tcp(3000)],
    ['internet:1.1.1.1', OC, tcp(18789)], ['internet:1.1.1.1', 'argocd/any-pod', tcp(8080)], ['lan:192.168.1.10', 'infisical/any-pod', tcp(8080)],
    ['authentik/any-pod', NET, tcp(443)], ['authentik/any-pod', API, tcp(6443)], ['infisical/any-pod', NET, tcp(443)],
    ['launchfast/launchfast', NET, tcp(443)], ['argocd/any-pod', 'openclaw/any-pod', tcp(18789)],
  ];

  test.each(INTENDED.map(([f, t, p]) => [f, t, p.toString(), p] as const))('%s → %s on %s flows', (f, t, _p, port) => {
    expect(model.allowed(at(f), at(t), port)).toBe(true);
  });
  test.each(FORBIDDEN.map(([f, t, p]) => [f, t, p.toString(), p] as const))('%s → %s on %s is blocked', (f, t, _p, port) => {
    expect(model.allowed(at(f), at(t), port)).toBe(false);
  });
});

test('on any port no policy names, exactly the `any` rows of the table flow (random ports and protocols)', () => {
  const named = new Set(portsToCheck(objects, []).map(String));
  const model = new NetworkModel(objects);
  const all = endpoints(objects);
  const anyPairs = new Set(table.filter((t) => t.port === ANY_PORT).map((t) => `${t.from} -> ${t.to}`));
  const port = fc
    .record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), port: fc.integer({ min: 1, max: 65535 }) })
    .map((p) => Port.of(p.protocol, p.port))
    .filter((p) => !named.has(p.toString()));
  assertProperty(
    fc.property(port, (p) => {
      for (const from of all) {
        for (const to of all) {
          if (!governs(from, to)) continue;
          expect([from.name, to.name, p.toString(), model.allowed(from.endpoint, to.endpoint, p)]).toEqual([
            from.name, to.name, p.toString(), anyPairs.has(`${from.name} -> ${to.name}`),
          ]);
        }
      }
    }),
    { numRuns: 30, timeLimitMs: 1500 },
  );
});

describe('the check catches a widening (one policy mutated in memory)', () => {
  /** A copy of the objects with `change` applied to NetworkPolicy `namespace/name`. */
  function mutated(namespace: string, name: string, change: (spec: any) => void): KubeObject[] {
    const copy: KubeObject[] = JSON.parse(JSON.stringify(objects));
    const policy = copy.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === namespace && o.metadata.name === name);
    if (!policy) throw new Error(`no NetworkPolicy ${namespace}/${name}`);
    change(policy.spec);
    return copy;
  }

  test.each([
    {
      what: 'a tailnet port changed (8080 → 8081 on argocd)',
      objects: () => mutated('argocd', 'allow-tailnet-ingress', (s) => (s.ingress[0].ports[0].port = 8081)),
      widened: ['tailnet:mac-mini -> argocd/any-pod TCP/8081'],
      narrowed: ['tailnet:mac-mini -> argocd/any-pod TCP/8080'],
    },
    {
      what: 'a port added to an egress (TCP/80 to the internet from openclaw)',
      objects: () => mutated('openclaw', 'allow-internet-egress', (s) => s.egress[0].ports.push({ protocol: 'TCP', port: 80 })),
      widened: ['openclaw/openclaw -> internet:1.1.1.1 TCP/80', 'openclaw/any-pod -> internet:140.82.112.3 TCP/80'],
      narrowed: [],
    },
    {
      what: "a peer widened (messaging-proxy's backend from the host daemon to 0.0.0.0/0)",
      objects: () => mutated('personal-gateway', 'allow-messaging-proxy-to-backend', (s) => (s.egress[0].to[0].ipBlock.cidr = '0.0.0.0/0')),
      widened: ['personal-gateway/messaging-proxy -> internet:1.1.1.1 TCP/9090', 'personal-gateway/messaging-proxy -> backend:voice-proxy TCP/9090'],
      narrowed: [],
    },
    {
      what: "a pod selector dropped on one side only (voice-proxy's ingress from any openclaw pod): openclaw's egress still gates it, nothing widens",
      objects: () => mutated('personal-gateway', 'allow-openclaw-to-voice-proxy', (s) => delete s.ingress[0].from[0].podSelector),
      widened: [],
      narrowed: [],
    },
    {
      what: 'an allowance with its ports removed (every port to the internet from openclaw)',
      objects: () => mutated('openclaw', 'allow-internet-egress', (s) => delete s.egress[0].ports),
      widened: ['openclaw/openclaw -> internet:1.1.1.1 any', 'openclaw/any-pod -> internet:140.82.112.3 any'],
      narrowed: [],
    },
  ])('$what', ({ objects: build, widened, narrowed }) => {
    const diff = compare(allowedTriples(build()));
    expect(diff.widened.map(tripleKey)).toEqual(expect.arrayContaining(widened));
    expect(diff.narrowed.map(tripleKey)).toEqual(expect.arrayContaining(narrowed));
    if (!widened.length && !narrowed.length) expect(diff).toEqual({ widened: [], narrowed: [] });
  });
});
