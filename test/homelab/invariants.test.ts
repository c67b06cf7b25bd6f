/**
 * The baseline's invariants, computed from the homelab's own declarations (homelab/services.ts): whatever
 * services the table holds, every namespace has Pod Security pinned as declared and default-deny in both
 * directions, every workload is hardened and runs as its own ServiceAccount, every Secret, claim and
 * NetworkPolicy is declared and used. A new service needs no edit here; this homelab's particular values are
 * pinned in homelab-facts.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { SECRET_STORE } from '../../homelab/secrets';
import { SERVICES } from '../../homelab/services';
import { synthesizeHomelab } from '../../homelab/synthesis';
import {
  DEFAULT_POD_SECURITY_VERSION,
  KubeObject,
  NetworkModel,
  PSS_EXEMPTION_REASON,
  Port,
  TAILNET_CIDR,
  podReferences,
} from '../../lib';
import { ANY_PORT, endpoints, homelabObjects, truthTable } from '../reachability/homelab-reachability';
import { all, find } from '../util';

const objects = homelabObjects();
const PSS = 'pod-security.kubernetes.io';
const FOUNDATION = ['default-deny-all', 'allow-same-namespace', 'allow-dns'];
const namespaces = SERVICES.map((s) => s.namespace);
// The homelab's own Deployments; a rendered chart's keep their upstream defaults, accepted with reasons in
// homelab/chart-risks.ts and checked by the rule pack and the API-server suite.
const workloads = all(objects, 'Deployment').filter((d) => !d.metadata.annotations?.['baseline.homelab.dev/rendered-from']).map((d): [string, KubeObject & { spec: any }] => [`${d.metadata.namespace}/${d.metadata.name}`, d]);

test('the app builds exactly the declared services\' namespaces, each once', () => {
  expect(all(objects, 'Namespace').map((n) => n.metadata.name).sort()).toEqual([...namespaces].sort());
  expect(new Set(namespaces).size).toBe(namespaces.length);
});

test('every namespaced object is in a declared namespace', () => {
  const stray = objects.filter((o) => o.metadata.namespace && !namespaces.includes(o.metadata.namespace));
  expect(stray.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([]);
});

describe.each(SERVICES.map((s) => [s.namespace, s] as const))('namespace %s', (ns, spec) => {
  test('Pod Security: enforce as declared (restricted by default), audit and warn as declared, versions pinned', () => {
    const labels = find(objects, 'Namespace', ns).metadata.labels;
    expect(labels[`${PSS}/enforce`]).toBe(spec.podSecurity?.enforce ?? 'restricted');
    expect(labels[`${PSS}/audit`]).toBe(spec.podSecurity?.audit ?? 'restricted');
    expect(labels[`${PSS}/warn`]).toBe(spec.podSecurity?.warn ?? 'restricted');
    for (const mode of ['enforce', 'audit', 'warn']) expect(labels[`${PSS}/${mode}-version`]).toBe(spec.podSecurity?.version ?? DEFAULT_POD_SECURITY_VERSION);
  });

  test('a level below restricted carries its declared reason; restricted carries none', () => {
    const reason = find(objects, 'Namespace', ns).metadata.annotations?.[PSS_EXEMPTION_REASON];
    const looser = ['enforce', 'audit', 'warn'].some((m) => ((spec.podSecurity as any)?.[m] ?? 'restricted') !== 'restricted');
    expect(reason).toBe(looser ? spec.podSecurity!.reason : undefined);
  });

  test('default-deny-all selects every pod and denies both directions', () => {
    expect(find(objects, 'NetworkPolicy', 'default-deny-all', ns).spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('DNS egress to kube-system on UDP and TCP 53 only', () => {
    const dns = find(objects, 'NetworkPolicy', 'allow-dns', ns);
    expect(dns.spec.policyTypes).toEqual(['Egress']);
    expect(dns.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': spec.network?.dnsNamespace ?? 'kube-system' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
  });

  test('same-namespace traffic exactly as declared, and never beyond the namespace', () => {
    const same = all(objects, 'NetworkPolicy', ns).find((p) => p.metadata.name === 'allow-same-namespace');
    if (spec.network?.allowSameNamespace === false) {
      expect(same).toBeUndefined();
    } else {
      expect(same!.spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
      expect(same!.spec.egress).toEqual([{ to: [{ podSelector: {} }] }]);
    }
  });

  test('every other policy has one direction, and every rule names its ports', () => {
    for (const np of all(objects, 'NetworkPolicy', ns).filter((p) => !FOUNDATION.includes(p.metadata.name))) {
      const directions = (['ingress', 'egress'] as const).filter((d) => np.spec[d]);
      expect(np.spec.policyTypes.map((t: string) => t.toLowerCase())).toEqual(directions);
      for (const d of directions) for (const rule of np.spec[d]) expect(rule.ports?.length).toBeGreaterThan(0);
    }
  });

  test('tailnet ingress: exactly the declared ports, only from the tailnet range', () => {
    const tailnet = all(objects, 'NetworkPolicy', ns).filter((p) => (p.spec.ingress ?? []).some((r: any) => r.from.some((f: any) => f.ipBlock)));
    const ports = tailnet.flatMap((p) => p.spec.ingress.flatMap((r: any) => r.ports.map((x: any) => `${x.protocol}/${x.port}`)));
    expect(ports.sort()).toEqual((spec.network?.tailnetIngress ?? []).map(String).sort());
    for (const p of tailnet) for (const r of p.spec.ingress) for (const f of r.from) expect(f.ipBlock).toEqual({ cidr: TAILNET_CIDR });
  });
});

describe.each(workloads)('workload %s', (_id, d) => {
  const spec = d.spec.template.spec;

  test('every container: no privilege escalation, every capability dropped, not privileged, read-only root unless exempted', () => {
    const exempt = d.metadata.annotations?.['baseline.homelab.dev/exemption.writable-root-filesystem'] ?? '';
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false });
      expect(c.securityContext.readOnlyRootFilesystem || exempt.includes(`${c.name}:`)).toBe(true);
    }
  });

  test('pod: non-root with explicit ids, seccomp RuntimeDefault, no host namespaces', () => {
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(spec.securityContext.runAsGroup).toBeGreaterThan(0);
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) expect(spec[f]).toBeUndefined();
  });

  test('requests and limits for cpu and memory in every container', () => {
    for (const c of spec.containers) for (const k of ['requests', 'limits']) for (const r of ['cpu', 'memory']) expect(c.resources[k][r]).toBeDefined();
  });

  test('its own ServiceAccount, shared with no other workload; a token only where the rule pack accepted one', () => {
    const others = workloads.filter(([, o]) => o !== d && o.metadata.namespace === d.metadata.namespace);
    expect(others.map(([, o]) => o.spec.template.spec.serviceAccountName)).not.toContain(spec.serviceAccountName);
    find(objects, 'ServiceAccount', spec.serviceAccountName, d.metadata.namespace);
    // A mounted token is an accepted risk of the rule pack (HB-POD-013), with its reason, or it fails synth.
    const accepted = synthesizeHomelab().risks.acceptedRisks.some((r) => r.ruleId === 'HB-POD-013' && r.object === `Deployment/${d.metadata.namespace}/${d.metadata.name}`);
    expect(spec.automountServiceAccountToken === false || accepted).toBe(true);
  });

  test('a stable selector by name, no hash', () => {
    expect(d.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': d.metadata.name } });
  });

  test('every Secret and claim it reads is declared in its namespace', () => {
    const ns = d.metadata.namespace!;
    const refs = podReferences(spec);
    const secrets = all(objects, 'ExternalSecret', ns).map((e) => e.spec.target.name);
    const claims = all(objects, 'PersistentVolumeClaim', ns).map((c) => c.metadata.name);
    expect(refs.secrets.filter((s) => !secrets.includes(s))).toEqual([]);
    expect(refs.claims.filter((c) => !claims.includes(c))).toEqual([]);
  });
});

describe('Services', () => {
  const declaredNodePorts = SERVICES.flatMap((s) => (s.deployments ?? []).flatMap((d) => (d.service?.ports ?? []).map((p) => p.nodePort))).filter((p) => p !== undefined);

  test('ClusterIP unless a NodePort is declared explicitly; nothing else (no LoadBalancer, no externalIPs)', () => {
    for (const svc of all(objects, 'Service')) {
      expect(['ClusterIP', 'NodePort']).toContain(svc.spec.type ?? 'ClusterIP'); // unset (a chart's) is ClusterIP
      expect(svc.spec.externalIPs).toBeUndefined();
      for (const p of svc.spec.ports) {
        if (svc.spec.type === 'NodePort') expect(p.nodePort).toBeDefined();
        else expect(p.nodePort).toBeUndefined();
      }
    }
    const rendered = all(objects, 'Service').flatMap((s) => s.spec.ports.map((p: any) => p.nodePort)).filter((p) => p !== undefined);
    // Every declared NodePort is rendered; the only others come from build hooks (openclaw's gateway).
    expect(rendered).toEqual(expect.arrayContaining(declaredNodePorts));
    expect(new Set(rendered).size).toBe(rendered.length);
  });
});

describe('secrets', () => {
  const externalSecrets = all(objects, 'ExternalSecret');
  const declared = SERVICES.flatMap((s) => (s.secrets ?? []).map((x) => ({ namespace: s.namespace, ...x })));

  test('exactly the declared ExternalSecrets, each with exactly its declared keys', () => {
    const rendered = externalSecrets.map((es) => `${es.metadata.namespace}/${es.metadata.name}: ${es.spec.data.map((x: any) => x.secretKey).join(',')}`);
    expect(rendered.sort()).toEqual(declared.map((s) => `${s.namespace}/${s.name}: ${s.keys.map((k) => k.name).join(',')}`).sort());
  });

  test('every declared key carries its declared purpose on the ExternalSecret', () => {
    for (const s of declared) {
      const es = externalSecrets.find((o) => o.metadata.namespace === s.namespace && o.metadata.name === s.name)!;
      for (const k of s.keys) expect(es.metadata.annotations[`baseline.homelab.dev/purpose.${k.name}`]).toBe(k.purpose);
    }
  });

  test.each(externalSecrets.map((es) => [`${es.metadata.namespace}/${es.metadata.name}`, es]))(
    '%s: v1, the one ClusterSecretStore, Owner + Retain, remote key = secret key, no dataFrom',
    (_n, es) => {
      expect(es.apiVersion).toBe('external-secrets.io/v1');
      expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'infisical' });
      expect(es.spec.target).toEqual({ name: es.metadata.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' });
      for (const x of es.spec.data) expect(x.remoteRef.key).toBe(x.secretKey);
      expect(es.spec.dataFrom).toBeUndefined();
    },
  );

  test('the store serves exactly the namespaces that declare secrets, and lives where ESO runs', () => {
    const store = find(objects, 'ClusterSecretStore', 'infisical');
    expect(store.spec.conditions).toEqual([{ namespaces: [...new Set(declared.map((s) => s.namespace))].sort() }]);
    expect(namespaces).toContain(SECRET_STORE.namespace);
  });

  test('every ExternalSecret is consumed: by a workload of its namespace, or by a chart installed there', () => {
    const chartNamespaces = all(objects, 'Application').filter((a) => a.spec.source?.chart).map((a) => a.spec.destination.namespace);
    for (const es of externalSecrets) {
      const ns = es.metadata.namespace!;
      const readers = all(objects, 'Deployment', ns).filter((d) => podReferences(d.spec.template.spec).secrets.includes(es.spec.target.name));
      expect([es.metadata.name, readers.length > 0 || chartNamespaces.includes(ns)]).toEqual([es.metadata.name, true]);
    }
  });

  test('no Secret with values, neither synthesized nor in dist/', () => {
    // A key with an empty value (a chart's unset credential) carries no secret; any other value is refused.
    const hasValues = (o: any) => o?.kind === 'Secret' && [o.data, o.stringData].some((d) => Object.values(d ?? {}).some((v) => v !== ''));
    expect(objects.filter(hasValues)).toEqual([]);
    const dist = path.resolve(__dirname, '..', '..', 'dist');
    const files = (fs.readdirSync(dist, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => parseAllDocuments(fs.readFileSync(path.join(dist, f), 'utf8')).some((x) => hasValues(x.toJSON())))).toEqual([]);
  });
});

describe('reachability', () => {
  const table = truthTable();

  test('every NetworkPolicy with rules is the reason for some truth-table row (none is dead or untested)', () => {
    const model = new NetworkModel(objects);
    const byName = new Map(endpoints(objects).map((e) => [e.name, e.endpoint]));
    const used = new Set<string>();
    for (const t of table) {
      const port = t.port === ANY_PORT ? Port.tcp(31337) : Port.of(t.port.split('/')[0], Number(t.port.split('/')[1]));
      const from = byName.get(t.from)!;
      const to = byName.get(t.to)!;
      const v = model.check(from, to, port);
      v.egress.allowedBy.forEach((p) => used.add(`${(from as any).namespace}/${p}`));
      v.ingress.allowedBy.forEach((p) => used.add(`${(to as any).namespace}/${p}`));
    }
    const withRules = all(objects, 'NetworkPolicy').filter((o) => o.spec.ingress || o.spec.egress);
    expect(withRules.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).filter((p) => !used.has(p))).toEqual([]);
  });

  test('every namespace is an endpoint, and every declared tailnet port is reachable from the tailnet', () => {
    const names = endpoints(objects).map((e) => e.name);
    for (const ns of namespaces) expect(names).toContain(`${ns}/any-pod`);
    for (const s of SERVICES) {
      for (const p of s.network?.tailnetIngress ?? []) {
        expect(table.some((r) => r.from === 'tailnet:mac-mini' && r.to === `${s.namespace}/any-pod` && r.port === p.toString())).toBe(true);
      }
    }
  });
});
