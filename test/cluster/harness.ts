/**
 * Test harness: runs a real Kubernetes API server (v1.28, built by
 * test/cluster/build.sh) backed by its own etcd on 127.0.0.1.
 *
 *   import { ensureBinaries, startCluster } from './harness';
 *   ensureBinaries();                       // builds once (~6 min cold), no-op after
 *   const c = await startCluster();
 *   c.kubectl(['apply', '--dry-run=server', '-f', '-'], yaml);  // {code, stdout, stderr}
 *   await c.stop();
 *
 * Only node built-ins plus the `openssl` CLI are used. Every process and the
 * temp dir are cleaned up by stop(), by a process 'exit'/signal hook, and by a
 * small shell watchdog that fires if this node process dies without cleanup.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const K8S_VERSION = 'v1.28.15';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bin` (kubectl) with `--kubeconfig`; `input` goes to stdin; `prefix` wraps the command (e.g. `ip netns exec NS`). */
export function runKubectl(bin: string, kubeconfig: string, args: string[], input?: string, prefix: readonly string[] = []): KubectlResult {
  const argv = [...prefix, bin, `--kubeconfig=${kubeconfig}`, ...args];
  const r = spawnSync(argv[0], argv.slice(1), {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, KUBECONFIG: kubeconfig },
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}

/**
 * Waits until the CRDs in `files` are Established. A CRD created a moment ago has no status yet, and
 * `kubectl wait --for=condition=...` fails on an absent condition list instead of waiting, so this polls.
 */
export async function waitEstablished(kubectl: (args: string[]) => KubectlResult, files: readonly string[], timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    const r = kubectl(['get', ...files.flatMap((f) => ['-f', f]), '-o', 'json']);
    let pending: string[] = [];
    if (r.code === 0) {
      const doc = JSON.parse(r.stdout);
      const established = (o: any) => (o.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
      pending = (doc.items ?? [doc]).filter((o: any) => !established(o)).map((o: any) => o.metadata.name);
      if (!pending.length) return;
    }
    last = r.code === 0 ? `not Established: ${pending.join(', ')}` : r.stderr.trim();
    if (Date.now() > deadline) throw new Error(`CRDs not Established after ${timeoutMs} ms:\n${last}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A process started with {@link Cluster.spawn}. */
export interface Service {
  readonly name: string;
  readonly process: ChildProcess;
  /** Its stdout and stderr. */
  readonly log: string;
  /** True once it has exited. */
  exited(): boolean;
  /** The last lines of its log. */
  tail(lines?: number): string;
}

export interface Cluster {
  /** https://127.0.0.1:PORT */
  server: string;
  /** Path to an admin (system:masters) kubeconfig. */
  kubeconfig: string;
  /** Temp dir holding certs, kubeconfig, etcd data and logs (removed by stop()). */
  dir: string;
  /** Runs the built kubectl with --kubeconfig; `input` goes to stdin. */
  kubectl(args: string[], input?: string): KubectlResult;
  /**
   * Starts `cmd` alongside the cluster, logging to `<dir>/<name>.log`. stop() stops it (TERM, then KILL)
   * before the API server, in reverse start order; the watchdog kills it too.
   */
  spawn(name: string, cmd: string, args: string[], opts?: { env?: NodeJS.ProcessEnv; cwd?: string }): Service;
  /** Stops the spawned services, kube-apiserver, then etcd, and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** Same path as build.sh: ${K8S_TEST_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/homelab-baseline/k8s-VERSION}. */
export function binDir(): string {
  if (process.env.K8S_TEST_BIN) return process.env.K8S_TEST_BIN;
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'homelab-baseline', `k8s-${K8S_VERSION}`);
}

function buildScript(): string {
  const candidates = [
    path.join(__dirname, 'build.sh'),
    path.join(process.cwd(), 'test', 'cluster', 'build.sh'),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`build.sh not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Runs build.sh (progress on inherited stdio) if any binary is missing. Returns the bin dir. */
export function ensureBinaries(): string {
  const dir = binDir();
  const missing = ['kube-apiserver', 'kubectl', 'kube-controller-manager', 'etcd'].filter((b) => !fs.existsSync(path.join(dir, b)));
  if (missing.length > 0) {
    const r = spawnSync('bash', [buildScript()], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`test/cluster/build.sh failed (exit ${r.status ?? r.signal})`);
  }
  return dir;
}

// ---------------------------------------------------------------------------

/** n distinct free TCP ports on 127.0.0.1 (free when probed: a process binding later can still race). */
export function freePorts(n: number): Promise<number[]> {
  // Hold all n listeners at once so the ports are distinct, then release them.
  const servers: net.Server[] = [];
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      servers.push(s);
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
    });
  return Promise.all(Array.from({ length: n }, one)).finally(() =>
    Promise.all(servers.map((s) => new Promise((r) => s.close(() => r(undefined))))),
  );
}

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr || r.error}`);
}

function makePki(dir: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2',
    '-subj', '/CN=homelab-test-ca']);
  const leaf = (name: string, subj: string, ext: string) => {
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl(dir, ['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key',
      '-CAcreateserial', '-days', '2', '-out', `${name}.crt`, '-extfile', `${name}.ext`]);
  };
  leaf('apiserver', '/CN=kube-apiserver',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n' +
    'extendedKeyUsage=serverAuth\n' +
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,' +
    'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1\n');
  leaf('admin', '/O=system:masters/CN=admin',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  // Service-account token signing key (ES256).
  openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'sa.key']);
  openssl(dir, ['ec', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
}

function writeKubeconfig(dir: string, server: string): string {
  const p = path.join(dir, 'kubeconfig');
  fs.writeFileSync(p, [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority: ${path.join(dir, 'ca.crt')}`,
    'users:',
    '- name: admin',
    '  user:',
    `    client-certificate: ${path.join(dir, 'admin.crt')}`,
    `    client-key: ${path.join(dir, 'admin.key')}`,
    'contexts:',
    '- name: test',
    '  context: {cluster: test, user: admin}',
    'current-context: test',
    '',
  ].join('\n'));
  return p;
}

/** The last `lines` lines of `file`, or `(no log)`. */
export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function exited(p: ChildProcess): boolean {
  return p.exitCode !== null || p.signalCode !== null;
}

function waitExit(p: ChildProcess, ms: number): Promise<boolean> {
  if (exited(p)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    p.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

async function terminate(p: ChildProcess | undefined, graceMs = 10000): Promise<void> {
  if (!p || exited(p)) return;
  p.kill('SIGTERM');
  if (!(await waitExit(p, graceMs))) {
    p.kill('SIGKILL');
    await waitExit(p, 5000);
  }
}

function readyz(server: string, dir: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${server}/readyz`, {
      ca: fs.readFileSync(path.join(dir, 'ca.crt')),
      cert: fs.readFileSync(path.join(dir, 'admin.crt')),
      key: fs.readFileSync(path.join(dir, 'admin.key')),
      timeout: 2000,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

// ---- last-resort cleanup ----------------------------------------------------
interface Live { procs: ChildProcess[]; dir: string; watchdog?: ChildProcess }
const live = new Set<Live>();
let hooksInstalled = false;

function cleanupSync(l: Live): void {
  for (const p of [...l.procs, l.watchdog]) {
    if (p && !exited(p)) {
      try { p.kill('SIGKILL'); } catch { /* gone */ }
    }
  }
  try { fs.rmSync(l.dir, { recursive: true, force: true }); } catch { /* ignore */ }
  live.delete(l);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => [...live].forEach(cleanupSync));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const h = () => {
      [...live].forEach(cleanupSync);
      process.removeListener(sig, h);
      // Nobody else handles it: keep the default behaviour (die by the signal).
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, h);
  }
}

/**
 * A detached shell that kills the children and removes the dir if this node process dies (e.g. SIGKILL).
 * It reads the pids from `<dir>/pids` then, so processes spawned later are covered too.
 */
function startWatchdog(l: Live): ChildProcess {
  const dir = l.dir.replace(/'/g, `'\\''`);
  const script =
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
    `kill -9 $(cat '${dir}/pids') 2>/dev/null; sleep 1; rm -rf '${dir}'`;
  const w = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  w.unref();
  return w;
}

// ---------------------------------------------------------------------------

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /**
   * A network namespace (made by the caller) to run etcd, the API server and kubectl in, through
   * `ip netns exec` (which execs, so pids stay the real ones), on that namespace's own loopback with fixed
   * ports 2379, 2380 and 6443.
   * @default - the current network namespace, on free loopback ports
   */
  readonly netns?: string;
  /**
   * Whether the API server calls admission webhooks. A suite that syncs chart Deployments whose pods never
   * run (no kubelet) turns them off: their webhooks (failurePolicy Fail) would refuse every object they
   * judge, which says nothing about the objects. The cluster suite keeps them on and dry-runs webhook
   * configurations instead.
   * @default true
   */
  readonly admissionWebhooks?: boolean;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const prefix = options.netns ? ['ip', 'netns', 'exec', options.netns] : [];
  const bin = binDir();
  for (const b of ['kube-apiserver', 'kubectl', 'etcd']) {
    if (!fs.existsSync(path.join(bin, b))) {
      throw new Error(`${path.join(bin, b)} missing: run test/cluster/build.sh (or ensureBinaries())`);
    }
  }
  installHooks();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-test-'));
  const l: Live = { procs: [], dir };
  live.add(l);
  let etcd: ChildProcess | undefined;
  let apiserver: ChildProcess | undefined;
  const services: Service[] = [];
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const s of [...services].reverse()) await terminate(s.process);
    await terminate(apiserver);
    await terminate(etcd);
    if (l.watchdog && !exited(l.watchdog)) {
      l.watchdog.kill('SIGKILL');
      await waitExit(l.watchdog, 2000);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    live.delete(l);
  };

  try {
    makePki(dir);
    const [etcdClient, etcdPeer, securePort] = options.netns ? [2379, 2380, 6443] : await freePorts(3);
    const server = `https://127.0.0.1:${securePort}`;
    const etcdLog = path.join(dir, 'etcd.log');
    const apiLog = path.join(dir, 'kube-apiserver.log');

    const spawnLogged = (cmd: string, args: string[], log: string, opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) => {
      const fd = fs.openSync(log, 'a');
      try {
        const argv = [...prefix, cmd, ...args];
        const p = spawn(argv[0], argv.slice(1), { stdio: ['ignore', fd, fd], ...opts });
        p.on('error', (e) => {
          try { fs.appendFileSync(log, `spawn ${cmd} failed: ${e}\n`); } catch { /* run dir already removed */ }
        });
        l.procs.push(p);
        if (p.pid) fs.appendFileSync(path.join(dir, 'pids'), `${p.pid}\n`);
        return p;
      } finally {
        fs.closeSync(fd);
      }
    };

    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    etcd = spawnLogged(path.join(bin, 'etcd'), [
      '--name=test',
      `--data-dir=${path.join(dir, 'etcd-data')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=test=${peerUrl}`,
      '--initial-cluster-state=new',
      '--logger=zap',
      '--log-level=warn',
    ], etcdLog);

    apiserver = spawnLogged(path.join(bin, 'kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--tls-cert-file=${path.join(dir, 'apiserver.crt')}`,
      `--tls-private-key-file=${path.join(dir, 'apiserver.key')}`,
      `--client-ca-file=${path.join(dir, 'ca.crt')}`,
      '--authorization-mode=Node,RBAC',
      '--allow-privileged=true', // as on real clusters: Pod Security, not this flag, must reject
      '--service-cluster-ip-range=10.96.0.0/16',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
      '--endpoint-reconciler-type=none', // 127.0.0.1 is not a valid Endpoints address
      '--profiling=false',
      // The ServiceAccount admission plugin rejects every Pod in a namespace whose `default` ServiceAccount
      // does not exist, and with no kube-controller-manager nothing creates it.
      `--disable-admission-plugins=${['ServiceAccount', ...(options.admissionWebhooks === false ? ['MutatingAdmissionWebhook', 'ValidatingAdmissionWebhook'] : [])].join(',')}`,
      // Without the (alpha in 1.28) gate the server drops securityContext.procMount before admission sees it;
      // with it, Pod Security judges procMount as on a cluster that honours the field.
      '--feature-gates=ProcMountType=true',
    ], apiLog);
    l.watchdog = startWatchdog(l);

    const kubeconfig = writeKubeconfig(dir, server);
    const kubectlBin = path.join(bin, 'kubectl');
    const timeoutMs = 60000;
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      if (exited(etcd)) throw new Error(`etcd exited (${etcd.exitCode ?? etcd.signalCode}):\n${tail(etcdLog)}`);
      if (exited(apiserver)) {
        throw new Error(`kube-apiserver exited (${apiserver.exitCode ?? apiserver.signalCode}):\n${tail(apiLog)}`);
      }
      if (options.netns) {
        // The server listens on the namespace's own loopback: ask from inside it.
        const r = runKubectl(kubectlBin, kubeconfig, ['get', '--raw=/readyz', '--request-timeout=2s'], undefined, prefix);
        if (r.code === 0) break;
        last = (r.stdout + r.stderr).slice(0, 2000);
      } else {
        try {
          const r = await readyz(server, dir);
          if (r.status === 200) break;
          last = `HTTP ${r.status}: ${r.body.slice(0, 2000)}`;
        } catch (e) {
          last = String(e);
        }
      }
      if (Date.now() > deadline) {
        throw new Error(`kube-apiserver not ready after ${timeoutMs} ms (last /readyz: ${last})\n` +
          `--- kube-apiserver log tail ---\n${tail(apiLog)}\n--- etcd log tail ---\n${tail(etcdLog, 15)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }

    return {
      server,
      kubeconfig,
      dir,
      kubectl: (args: string[], input?: string) => runKubectl(kubectlBin, kubeconfig, args, input, prefix),
      spawn: (name, cmd, args, opts) => {
        if (stopped) throw new Error(`cannot start ${name}: the cluster is stopped`);
        const log = path.join(dir, `${name}.log`);
        const p = spawnLogged(cmd, args, log, opts);
        const s: Service = { name, process: p, log, exited: () => exited(p), tail: (n = 40) => tail(log, n) };
        services.push(s);
        return s;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
