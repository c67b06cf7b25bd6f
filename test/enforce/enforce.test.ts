/**
 * dist/'s NetworkPolicies enforced by a real engine: kube-router v2.1.0's network-policy controller against
 * the test API server, on pods that are network namespaces (test/enforce/enforce-lab.ts). Every truth-table
 * row must connect with real TCP/UDP, and a full sweep over every endpoint class, every port some policy names
 * and unlisted ones must equal the truth table exactly. A canary shows the lab sees what a model can miss.
 */
import { ANY_PORT, KubeObject, allowedTriples, tripleKey } from '../../lib';
import { REACHABILITY_ADDRESSES } from '../../homelab/synthesis';
import { EnforceLab, SweepResult, buildTool, renderMismatches, summary } from './enforce-lab';
import { RootState, alive, namespacesWithPrefix, rootState } from './netlab';
import { isDefaultDeny, labClasses, readObjects, sweep, sweepPorts, truthTableTriples, unprobedRows } from './plan';

jest.setTimeout(600000);
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.log('enforce: SKIPPED: network namespaces and iptables need root (CAP_NET_ADMIN, CAP_SYS_ADMIN); CI runs as root');
const d = isRoot ? describe : describe.skip;

const log: string[] = [];
const report = (line: string) => {
  log.push(line);
  console.log(line);
};

d('dist/ NetworkPolicies enforced by kube-router on network-namespace pods', () => {
  const objects = readObjects();
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const classes = labClasses(objects);
  const table = truthTableTriples();
  const ports = sweepPorts(objects);
  const probes = sweep(classes, ports, table);
  const started = Date.now();
  let lab: EnforceLab | undefined;
  let before: RootState;
  let kubeRouter: string;

  beforeAll(async () => {
    before = rootState();
    kubeRouter = buildTool('kube-router');
    const t = Date.now();
    lab = await EnforceLab.start(classes, objects);
    await lab.net.startListeners({
      tcp: ports.filter((p) => p.protocol === 'TCP').map((p) => p.port),
      udp: ports.filter((p) => p.protocol === 'UDP').map((p) => p.port),
    });
    const pods = classes.filter((c) => c.namespace).reduce((n, c) => n + c.members.length, 0);
    report(`lab: ${classes.length} endpoint classes, ${pods} pods, ${classes.length - classes.filter((c) => c.namespace).length} outside hosts, ` +
      `${ports.length} ports (${ports.join(' ')}); API server, pods and listeners up in ${((Date.now() - t) / 1000).toFixed(1)}s`);
  });

  afterAll(async () => {
    await lab?.stop();
    report(`enforce: total ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });

  const check = (label: string, r: SweepResult) => {
    report(summary(label, r));
    if (r.mismatches.length) throw new Error(`${label}: ${r.mismatches.length} probes differ from the truth table:\n${renderMismatches(r.mismatches)}`);
  };

  test('every truth-table row names endpoints the lab has, and the sweep covers every row', () => {
    expect(unprobedRows(classes, table)).toEqual([]);
    const probed = new Set(probes.map((p) => tripleKey(p)));
    const uncovered = table.filter((t) => t.port !== ANY_PORT && !probed.has(tripleKey(t)));
    expect(uncovered).toEqual([]);
    expect(probes.filter((p) => p.expectOpen).length).toBeGreaterThan(0);
    expect(probes.filter((p) => !p.expectOpen).length).toBeGreaterThan(0);
  });

  test('without kube-router every probe connects: listeners and routing work', async () => {
    check('no kube-router', await lab!.sweep(probes, true));
  });

  test('kube-router without NetworkPolicies: still every probe connects', async () => {
    await lab!.startKubeRouter(kubeRouter);
    check('kube-router, no policies', await lab!.sweep(probes, true));
  });

  test("with dist/'s NetworkPolicies every truth-table row connects and the sweep equals the table exactly", async () => {
    const t = Date.now();
    await lab!.setPolicies(policies);
    report(`applied ${policies.length} NetworkPolicies; kube-router enforced them in ${((Date.now() - t) / 1000).toFixed(1)}s`);
    const r = await lab!.sweep(probes);
    const open = new Set(probes.filter((_, i) => r.states[i] === 'open').map((p) => tripleKey(p)));
    const rowsNotConnecting = table.filter((row) => row.port === ANY_PORT
      ? !probes.some((p) => p.from === row.from && p.to === row.to && open.has(tripleKey(p)))
      : !open.has(tripleKey(row)));
    report(`truth-table rows: ${table.length}; rows that did not connect: ${rowsNotConnecting.length}`);
    expect(rowsNotConnecting).toEqual([]);
    check('all dist/ policies', r);
  });

  test('canary: a default-deny without policyTypes (`egress: []`) leaves egress open, and the model now says so too', async () => {
    // The first default-deny of dist/ (empty podSelector, no rules, both policy types). A namespace that has
    // only it, written as people often write it: `ingress: []`, `egress: []`, no policyTypes. The API server
    // then defaults policyTypes to [Ingress] (egress rules are empty), so egress is not isolated at all.
    const deny = policies.find(isDefaultDeny)!;
    const ns = deny.metadata.namespace!;
    const { policyTypes, ...spec } = deny.spec as any;
    const rewritten = { ...deny, spec: { ...spec, ingress: [], egress: [] } };
    const others = policies.filter((p) => p.metadata.namespace !== ns);

    // Control: the same namespace with only its default-deny as dist/ writes it: nothing opens.
    await lab!.setPolicies([...others, deny]);
    const control = await lab!.sweep(probes);
    const controlWidened = control.mismatches.filter((m) => m.state === 'open');
    report(`${summary(`control: ${ns} has only its default-deny (policyTypes ${policyTypes.join('+')})`, control)}; widened ${controlWidened.length}`);
    expect(controlWidened).toEqual([]);

    await lab!.setPolicies([...others, rewritten]);
    const canary = await lab!.sweep(probes);
    const widened = canary.mismatches.filter((m) => m.state === 'open');
    report(`${summary(`canary: ${ns} has only its default-deny without policyTypes`, canary)}; widened ${widened.length}`);
    expect(widened.length).toBeGreaterThan(0);
    // Everything that opened is egress of that namespace's pods.
    expect(widened.filter((m) => !m.from.startsWith(`${ns}/`))).toEqual([]);

    // The library's model once read `egress: []` as an egress rule and called all of this closed; it must
    // predict every probe the engine opened.
    const modelled = new Set(allowedTriples([...objects.filter((o) => o.kind !== 'NetworkPolicy'), ...others, rewritten] as KubeObject[],
      { addresses: REACHABILITY_ADDRESSES }).map(tripleKey));
    const modelMissed = widened.filter((m) => !modelled.has(tripleKey(m)) && !modelled.has(tripleKey({ ...m, port: ANY_PORT })));
    report(`canary: the model (NetworkModel) predicts ${widened.length - modelMissed.length} of the ${widened.length} widened probes; missed ${modelMissed.length}`);
    expect(modelMissed).toEqual([]);
  });

  test('cleanup leaves no network namespace, process, iptables rule or ipset behind', async () => {
    const net = lab!.net;
    await lab!.stop();
    expect(namespacesWithPrefix(net.prefix)).toEqual([]);
    expect(net.pids.filter(alive)).toEqual([]);
    expect(rootState()).toEqual(before);
    report(`cleanup: 0 namespaces, 0 of ${net.pids.length} processes left; root iptables, ipsets and links unchanged`);
  });
});
