/**
 * kube-router's network-policy controller enforcing NetworkPolicies on network-namespace pods: the test API
 * server (test/cluster/harness.ts) and kube-router run in the lab's node namespace; every pod of the plan is
 * a namespace with its own address and a Pod object (the class's labels, status set through the status
 * subresource) on one Node. No kubelet, container runtime or CNI: kube-router programs the node's FORWARD
 * path, through which all pod traffic is routed.
 */
import { ChildProcess, spawnSync } from 'child_process';
import * as path from 'path';
import { KubeObject } from '../../lib';
import { Cluster, ensureBinaries, startCluster } from '../cluster/harness';
import { NODE_IP, NetLab, Host } from './netlab';
import { LabClass, Probe, ROOT } from './plan';

const NODE_NAME = 'enforce-node';

/** Builds (or finds in the cache) a pinned Go tool through the project's one builder; returns its path. */
export function buildTool(name: string): string {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'go', 'build-tool.sh'), name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`scripts/go/build-tool.sh ${name} failed (exit ${r.status ?? r.signal})`);
  return r.stdout.trim().split('\n').pop()!;
}

/** One sweep's result. */
export interface SweepResult {
  readonly probes: number;
  readonly sources: number;
  readonly seconds: number;
  readonly counts: Record<string, number>;
  /** Probes whose state differs from the expectation (open, or refused when closed), with the state seen. */
  readonly mismatches: (Probe & { state: string })[];
  readonly states: string[];
}

/** `probes N from S sources in Xs; open A, refused B; mismatches M`. */
export function summary(label: string, r: SweepResult): string {
  const counts = Object.entries(r.counts).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${label}: ${r.probes} probes from ${r.sources} sources in ${r.seconds.toFixed(1)}s; ${counts}; mismatches ${r.mismatches.length}`;
}

export class EnforceLab {
  public cluster?: Cluster;
  public kubeRouter?: ChildProcess;
  private readonly hosts = new Map<string, Host>();

  private constructor(public readonly net: NetLab, public readonly classes: readonly LabClass[]) {}

  /** Namespaces and hosts for `classes`, the API server in the node namespace, the Node and the Pods. */
  public static async start(classes: readonly LabClass[], objects: readonly KubeObject[]): Promise<EnforceLab> {
    ensureBinaries();
    const lab = new EnforceLab(new NetLab(NetLab.uniquePrefix('e')), classes);
    try {
      const hosts = lab.net.addHosts(classes.flatMap((c) => c.members.map((m) => ({ name: `${c.endpoint.name}#${m.name}`, ips: [m.ip] }))));
      for (const h of hosts) lab.hosts.set(h.ips[0], h);
      lab.cluster = await startCluster({ netns: lab.net.node });
      lab.createNode();
      const namespaces = objects.filter((o) => o.kind === 'Namespace');
      lab.apply({ apiVersion: 'v1', kind: 'List', items: namespaces });
      lab.createPods();
      return lab;
    } catch (e) {
      await lab.stop();
      throw e;
    }
  }

  /** kubectl in the node namespace; throws with its stderr on failure. */
  public kubectl(args: string[], input?: string): string {
    const r = this.cluster!.kubectl(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** Applies `obj` (an object or a List). */
  public apply(obj: object): void {
    this.kubectl(['apply', '-f', '-'], JSON.stringify(obj));
  }

  private createNode(): void {
    this.kubectl(['create', '-f', '-'], JSON.stringify({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: NODE_NAME, labels: { 'kubernetes.io/hostname': NODE_NAME } },
      spec: { podCIDR: '10.244.0.0/16', podCIDRs: ['10.244.0.0/16'] },
    }));
    // kube-router needs the Node's InternalIP; it selects local pods by status.hostIP == that address.
    const now = new Date().toISOString();
    this.kubectl(['patch', 'node', NODE_NAME, '--subresource=status', '--type=merge', '-p', JSON.stringify({
      status: {
        addresses: [{ type: 'InternalIP', address: NODE_IP }, { type: 'Hostname', address: NODE_NAME }],
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'network namespaces', lastHeartbeatTime: now, lastTransitionTime: now }],
      },
    })]);
  }

  /** A Pod per member with the class's labels, restricted-grade (Pod Security admits it), Running at its address. */
  private createPods(): void {
    const pods = this.classes.filter((c) => c.namespace).flatMap((c) => c.members.map((m) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: m.name, namespace: c.namespace, labels: c.labels },
      spec: {
        nodeName: NODE_NAME,
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{
          name: 'netns',
          image: 'netns.invalid/none:0',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        }],
      },
      ip: m.ip,
    })));
    this.kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pods.map(({ ip, ...p }) => p) }));
    const now = new Date().toISOString();
    const script = pods.map((p) => {
      const status = {
        status: {
          phase: 'Running', hostIP: NODE_IP, hostIPs: [{ ip: NODE_IP }], podIP: p.ip, podIPs: [{ ip: p.ip }],
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
        },
      };
      return `kubectl patch pod ${p.metadata.name} -n ${p.metadata.namespace} --subresource=status --type=merge -p '${JSON.stringify(status)}' >/dev/null`;
    });
    // One shell for all status patches (one kubectl each): the server is only reachable from the node namespace.
    const r = spawnSync('ip', ['netns', 'exec', this.net.node, 'bash', '-euo', 'pipefail', '-c', script.join('\n')], {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG: this.cluster!.kubeconfig, PATH: `${ensureBinaries()}:${process.env.PATH}` },
    });
    if (r.status !== 0) throw new Error(`setting pod status failed: ${r.stderr}`);
  }

  /**
   * Starts kube-router's firewall only (no routing, no service proxy) and waits for its first sync.
   * `--iptables-sync-period` is long: every change it enforces comes from a watch event, as on a cluster.
   */
  public async startKubeRouter(bin: string): Promise<void> {
    this.kubeRouter = this.net.spawn('kube-router', this.net.node, [
      bin, `--kubeconfig=${this.cluster!.kubeconfig}`, `--hostname-override=${NODE_NAME}`, '--run-firewall=true',
      '--run-router=false', '--run-service-proxy=false', '--service-cluster-ip-range=10.96.0.0/16',
      '--health-port=0', '--metrics-port=0', '--iptables-sync-period=5m', '-v=2',
    ]);
    await this.waitForSyncs(1);
  }

  /** How many full syncs kube-router has logged. */
  public syncCount(): number {
    return (this.net.logOf(this.kubeRouter!).match(/sync iptables took/g) ?? []).length;
  }

  /** Waits until kube-router has logged `n` syncs; fails with its log if it exits or takes too long. */
  public async waitForSyncs(n: number, timeoutMs = 60000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.syncCount() < n) {
      this.net.assertAlive();
      if (Date.now() > deadline) throw new Error(`kube-router did not sync ${n} times within ${timeoutMs} ms; log tail:\n${this.net.logOf(this.kubeRouter!).slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Applies NetworkPolicies (replacing every policy the lab has) and waits for kube-router to enforce them. */
  public async setPolicies(policies: readonly KubeObject[]): Promise<void> {
    const before = this.syncCount();
    for (const ns of new Set(this.classes.map((c) => c.namespace).filter(Boolean))) this.kubectl(['delete', 'networkpolicy', '--all', '-n', ns!, '--wait=true']);
    if (policies.length) this.apply({ apiVersion: 'v1', kind: 'List', items: policies });
    // Each change triggers a full sync; wait for one that started after the last change.
    await this.waitForSyncs(before + 1);
    const settle = this.syncCount();
    await new Promise((r) => setTimeout(r, 1000));
    if (this.syncCount() !== settle) await this.waitForQuiet();
  }

  private async waitForQuiet(): Promise<void> {
    for (let last = -1; last !== this.syncCount();) {
      last = this.syncCount();
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** Runs every probe (one prober per source, all in parallel) and compares with the expectation. */
  public async sweep(probes: readonly Probe[], expectAllOpen = false): Promise<SweepResult> {
    this.net.assertAlive();
    this.net.forgetFlows();
    const start = Date.now();
    const bySource = new Map<string, number[]>();
    probes.forEach((p, i) => bySource.set(p.src, [...(bySource.get(p.src) ?? []), i]));
    const states: string[] = new Array(probes.length);
    await Promise.all([...bySource].map(async ([src, idx]) => {
      const got = await this.net.probe(this.net.hostOf(src), idx.map((i) => {
        const [proto, port] = probes[i].port.split('/');
        return [probes[i].dst, proto, Number(port)] as [string, string, number];
      }));
      idx.forEach((i, k) => (states[i] = got[k]));
    }));
    this.net.assertAlive();
    const counts: Record<string, number> = {};
    for (const s of states) counts[s] = (counts[s] ?? 0) + 1;
    const mismatches = probes
      .map((p, i) => ({ ...p, expectOpen: expectAllOpen || p.expectOpen, state: states[i] }))
      .filter((p) => (p.expectOpen ? p.state !== 'open' : p.state !== 'refused'));
    return { probes: probes.length, sources: bySource.size, seconds: (Date.now() - start) / 1000, counts, mismatches, states };
  }

  /** kube-router, listeners and probers by pid, then the API server and etcd, then every namespace. */
  public async stop(): Promise<void> {
    await this.net.stop(() => this.cluster?.stop() ?? Promise.resolve());
  }
}

/** `| from | to | port | dst | expected | got |` lines for a failure message. */
export function renderMismatches(list: readonly (Probe & { state: string })[], max = 40): string {
  const lines = list.slice(0, max).map((m) => `| ${m.from} | ${m.to} | ${m.port} | ${m.dst} | ${m.expectOpen ? 'open' : 'refused'} | ${m.state} |`);
  return ['| from | to | port | dst | expected | got |', ...lines, ...(list.length > max ? [`… ${list.length - max} more`] : [])].join('\n');
}
