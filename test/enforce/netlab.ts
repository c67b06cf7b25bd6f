/**
 * Network namespaces as hosts: a "node" namespace that routes between one namespace per host, each with its
 * own addresses, a single-process listener and a prober. Nothing touches the root namespace's interfaces:
 * every link is created inside the run's namespaces, every address is one the lab assigns, and stop() (also
 * run from process exit hooks and a detached watchdog) kills every process by pid and deletes every namespace,
 * which removes its links, routes, iptables chains and ipsets with it.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The node's address (its InternalIP) and the pods' gateway, both on the node namespace's loopback. */
export const NODE_IP = '10.244.255.1';
const GATEWAY_IP = '169.254.1.1';
const HERE = __dirname;

/** Runs `argv` synchronously; throws with what it printed when it fails. */
export function run(argv: readonly string[], input?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.status ?? r.signal}): ${(r.stderr || String(r.error ?? '')).trim()}`);
  return r.stdout;
}

/** Runs a bash script (set -eu); throws naming the failed command. */
function bash(script: string): void {
  run(['bash', '-euo', 'pipefail', '-c', script]);
}

/** A host of the lab: one network namespace with its addresses. */
export interface Host {
  readonly name: string;
  readonly netns: string;
  readonly ips: readonly string[];
}

/** A process the lab started, with what it is for (named in every failure). */
interface Tracked {
  readonly what: string;
  readonly proc: ChildProcess;
  readonly log: string;
  /** Stopped on purpose: its exit is no failure. */
  stopping: boolean;
}

/** The root namespace's network state, to prove the lab left it unchanged. */
export interface RootState {
  readonly iptables: string;
  readonly ipsets: string;
  readonly links: string;
}

/** The root namespace's iptables rules (comments, counters dropped), ipset names and link names. */
export function rootState(): RootState {
  const strip = (s: string) => s.split('\n').filter((l) => !l.startsWith('#')).map((l) => l.replace(/\[\d+:\d+\]/g, '')).join('\n');
  return {
    iptables: strip(run(['iptables-save'])),
    ipsets: run(['ipset', 'list', '-n']),
    links: run(['ip', '-o', 'link', 'show']).split('\n').map((l) => l.split(':')[1]?.trim()).filter(Boolean).sort().join('\n'),
  };
}

/** The network namespaces whose name starts with `prefix`. */
export function namespacesWithPrefix(prefix: string): string[] {
  return run(['ip', 'netns', 'list']).split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith(prefix));
}

/** True when a process with `pid` exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const liveLabs = new Set<NetLab>();
let hooks = false;
function installHooks(): void {
  if (hooks) return;
  hooks = true;
  process.on('exit', () => [...liveLabs].forEach((l) => l.stopSync()));
}

export class NetLab {
  /** Every pid the lab ever started, for the cleanup check. */
  public readonly pids: number[] = [];
  public readonly dir: string;
  public readonly node: string;
  private readonly hosts: Host[] = [];
  private readonly tracked: Tracked[] = [];
  private nextLink = 0;
  private watchdog?: ChildProcess;
  private stopped = false;

  /** `prefix`: unique per run; every namespace of the lab is named `<prefix>-…`. */
  constructor(public readonly prefix: string) {
    installHooks();
    liveLabs.add(this);
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    this.node = `${prefix}-node`;
    this.startWatchdog();
    // The node: routes between hosts, answers ARP for the gateway, and sends every REJECT at once (the
    // default ICMP rate limits turn a few hundred denials per sweep into timeouts).
    bash([
      `ip netns add ${this.node}`,
      `ip -n ${this.node} link set lo up`,
      `ip -n ${this.node} addr add ${NODE_IP}/32 dev lo`,
      `ip -n ${this.node} addr add ${GATEWAY_IP}/32 dev lo`,
      `ip netns exec ${this.node} sysctl -qw net.ipv4.ip_forward=1 net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=100000 net.ipv4.icmp_msgs_burst=10000`,
    ].join('\n'));
  }

  /** A unique run prefix: short, because it ends up in namespace names. */
  public static uniquePrefix(tag: string): string {
    return `hb${tag}${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
  }

  /** Adds hosts: a namespace each, a veth pair to the node, the addresses and the routes both ways. */
  public addHosts(hosts: readonly { name: string; ips: readonly string[] }[]): Host[] {
    const lines: string[] = [];
    const added = hosts.map((h) => {
      const host: Host = { name: h.name, netns: `${this.prefix}-${this.hosts.length + 1}`, ips: h.ips };
      this.hosts.push(host);
      const link = `h${++this.nextLink}`;
      lines.push(
        `ip netns add ${host.netns}`,
        `ip -n ${this.node} link add ${link} type veth peer name eth0 netns ${host.netns}`,
        `ip netns exec ${this.node} sysctl -qw net.ipv4.conf.${link}.proxy_arp=1`,
        `ip -n ${this.node} link set ${link} up`,
        ...h.ips.map((ip) => `ip -n ${this.node} route add ${ip}/32 dev ${link}`),
        `ip -n ${host.netns} link set lo up`,
        `ip -n ${host.netns} link set eth0 up`,
        ...h.ips.map((ip) => `ip -n ${host.netns} addr add ${ip}/32 dev eth0`),
        `ip -n ${host.netns} route add ${GATEWAY_IP} dev eth0 scope link`,
        `ip -n ${host.netns} route add default via ${GATEWAY_IP} dev eth0`,
      );
      return host;
    });
    bash(lines.join('\n'));
    return added;
  }

  /**
   * Forgets every flow the node tracks. kube-router accepts ESTABLISHED before any policy chain, so a UDP flow
   * an earlier sweep left in conntrack would pass a later probe that happens to reuse its source port (as an
   * existing connection outlives a policy change on a real node); each sweep starts from no flows.
   */
  public forgetFlows(): void {
    run(['ip', 'netns', 'exec', this.node, 'conntrack', '-F']);
  }

  /** The host that has `ip`. */
  public hostOf(ip: string): Host {
    const h = this.hosts.find((x) => x.ips.includes(ip));
    if (!h) throw new Error(`no lab host has ${ip}: the lab only probes addresses it assigned`);
    return h;
  }

  /** Starts `argv` inside `netns` (ip netns exec execs: the pid is the command's), logging to a file. */
  public spawn(what: string, netns: string, argv: readonly string[], input?: string): ChildProcess {
    const log = path.join(this.dir, `${what.replace(/[^a-z0-9.-]+/gi, '_')}.log`);
    const fd = fs.openSync(log, 'a');
    try {
      const proc = spawn('ip', ['netns', 'exec', netns, ...argv], { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', fd] });
      if (input !== undefined) proc.stdin!.end(input);
      proc.on('error', () => { /* surfaced by exit */ });
      this.tracked.push({ what, proc, log, stopping: false });
      if (proc.pid) this.pids.push(proc.pid);
      this.startWatchdog();
      return proc;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The log of a process started by {@link spawn}. */
  public logOf(proc: ChildProcess): string {
    const t = this.tracked.find((x) => x.proc === proc);
    return t && fs.existsSync(t.log) ? fs.readFileSync(t.log, 'utf8') : '';
  }

  /** One listener per host serving every port; resolves when all have bound, fails naming any that cannot. */
  public async startListeners(ports: { tcp: number[]; udp: number[] }, timeoutMs = 30000): Promise<void> {
    await Promise.all(this.hosts.map((h) => {
      const proc = this.spawn(`listener ${h.name}`, h.netns, ['python3', path.join(HERE, 'listener.py'), JSON.stringify(ports)]);
      return new Promise<void>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`listener of ${h.name} (pid ${proc.pid}, netns ${h.netns}) not ready after ${timeoutMs} ms`)), timeoutMs);
        proc.stdout!.on('data', (d) => {
          out += d;
          if (out.includes('READY')) {
            clearTimeout(timer);
            resolve();
          }
        });
        proc.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`listener of ${h.name} (pid ${proc.pid}, netns ${h.netns}) exited (${code ?? signal}) before it was ready: ${this.logOf(proc).trim()}`));
        });
      });
    }));
  }

  /** Throws naming every process the lab started that has exited without being stopped. */
  public assertAlive(): void {
    const dead = this.tracked.filter((t) => !t.stopping && (t.proc.exitCode !== null || t.proc.signalCode !== null));
    if (dead.length) {
      throw new Error(dead.map((t) => `${t.what} (pid ${t.proc.pid}) exited (${t.proc.exitCode ?? t.proc.signalCode}): ${fs.existsSync(t.log) ? fs.readFileSync(t.log, 'utf8').trim().slice(-500) : ''}`).join('\n'));
    }
  }

  /**
   * Probes `targets` ([ip, protocol, port]) from `host`, in parallel; each ends open, refused, timeout or
   * error. A prober that does not finish by its deadline is killed by pid and the call fails.
   */
  public probe(
    host: Host,
    targets: readonly [string, string, number][],
    timeoutS = 1.5,
    deadlineMs = Math.ceil(targets.length / 32 + 1) * timeoutS * 3 * 1000 + 15000, // UDP: up to 3 datagrams
  ): Promise<string[]> {
    for (const [ip] of targets) this.hostOf(ip);
    const job = JSON.stringify({ timeout: timeoutS, probes: targets });
    const proc = this.spawn(`prober ${host.name}`, host.netns, ['python3', path.join(HERE, 'prober.py')], job);
    const t = this.tracked.find((x) => x.proc === proc)!;
    t.stopping = true; // a prober is meant to exit
    return new Promise<string[]>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`prober in ${host.name} (pid ${proc.pid}, netns ${host.netns}) hung: no answer to ${targets.length} probes after ${deadlineMs} ms; killed`));
      }, deadlineMs);
      proc.stdout!.on('data', (d) => (out += d));
      // 'close', not 'exit': only then is stdout read to its end. A parse error rejects (a throw in this
      // handler would leave the promise pending, and the sweep hanging until the test times out).
      proc.once('close', (code, signal) => {
        clearTimeout(timer);
        if (code !== 0) return reject(new Error(`prober in ${host.name} (pid ${proc.pid}) exited (${code ?? signal}): ${this.logOf(proc).trim().slice(-500)}`));
        try {
          resolve(JSON.parse(out));
        } catch (e) {
          reject(new Error(`prober in ${host.name} (pid ${proc.pid}) printed no JSON answer (${(e as Error).message}): ${JSON.stringify(out.slice(-300))}`));
        }
      });
    });
  }

  /**
   * Stops every process by pid (TERM, then KILL), runs `beforeDelete` (e.g. stopping a server the caller
   * started in the node namespace), kills anything left in the lab's namespaces and deletes them.
   */
  public async stop(beforeDelete?: () => Promise<void>): Promise<void> {
    if (this.stopped) return;
    for (const t of this.tracked) t.stopping = true;
    await Promise.all(this.tracked.map((t) => terminate(t.proc)));
    try {
      await beforeDelete?.();
    } finally {
      this.stopSync();
    }
  }

  /** The synchronous part of {@link stop}: also the process-exit hook. */
  public stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.tracked) if (t.proc.exitCode === null && t.proc.signalCode === null) t.proc.kill('SIGKILL');
    const spaces = namespacesWithPrefix(`${this.prefix}-`);
    for (const ns of spaces) {
      // Only the lab's own processes can be in its namespaces.
      const left = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
      for (const pid of left) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    for (const ns of spaces) spawnSync('ip', ['netns', 'del', ns]);
    this.watchdog?.kill('SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true });
    liveLabs.delete(this);
  }

  /** A detached shell that cleans up if this node process dies without stop() (e.g. SIGKILL). */
  private startWatchdog(): void {
    this.watchdog?.kill('SIGKILL');
    const script =
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -9 ${this.pids.join(' ')} 2>/dev/null; ` +
      `for n in $(ip netns list | cut -d' ' -f1 | grep '^${this.prefix}-'); do ` +
      `for p in $(ip netns pids $n); do kill -9 $p; done; ip netns del $n; done; rm -rf '${this.dir}'`;
    this.watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
    this.watchdog.unref();
  }
}

function terminate(p: ChildProcess, graceMs = 10000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => p.kill('SIGKILL'), graceMs);
    p.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    p.kill('SIGTERM');
  });
}
