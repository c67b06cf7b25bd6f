/**
 * Real Argo CD v2.14.21 (application-controller + repo-server from the multi-call binary) against the
 * test API server of test/cluster/harness.ts, with kube-controller-manager, Debian's redis-server and a
 * `git daemon` serving a git copy of dist/, everything on 127.0.0.1 and stopped by pid.
 *
 * What a real cluster would do and nothing here runs is stood in for, visibly (see {@link standIn}):
 * ESO marking stores and ExternalSecrets Ready, the scheduler + kubelet making Pods Ready, a provisioner
 * binding PersistentVolumeClaims, and the Helm charts' CRDs (a chart cannot be fetched offline).
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { verifiedCrdFiles } from '../../scripts/shared-inputs';
import { Cluster, KubectlResult, Service, binDir, ensureBinaries, freePorts, startCluster, waitEstablished } from '../cluster/harness';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(REPO_ROOT, 'dist');
export const ROOT_FOLDER = '_argocd-root';
const ARGOCD_NAMESPACE = 'argocd';
const PRUNE_PROTECTION = 'Prune=false';

/** Builds (or finds cached) argocd through the project's builder; returns the binary path. */
export function argocdBinary(): string {
  const r = spawnSync('bash', [path.join(__dirname, 'install.sh')], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`test/argocd/install.sh failed (exit ${r.status ?? r.signal})`);
  return r.stdout.trim().split('\n').pop()!;
}

/** One object of a YAML file. */
export interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
}

export function readDocs(file: string): Doc[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter((d) => d && d.kind);
}

/** Every `*.yaml` under `dir`, relative to it, sorted. */
export function yamlFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort();
}

export const isPruneProtected = (d: Doc): boolean => (d.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').includes(PRUNE_PROTECTION);

/** An Application of the root folder, classified. */
export interface ExpectedApp {
  name: string;
  wave: number;
  /** The dist/ folder it syncs; undefined for a Helm chart (not syncable offline). */
  folder?: string;
  /** For a Helm source: `chart@version from repo`. */
  chart?: string;
  project: string;
}

/** The Applications of dist/<root>, as the root Application will create them. */
export function expectedApps(distDir: string, repoURL: string): ExpectedApp[] {
  return yamlFiles(path.join(distDir, ROOT_FOLDER))
    .flatMap((f) => readDocs(path.join(distDir, ROOT_FOLDER, f)))
    .filter((d) => d.kind === 'Application')
    .map((d) => {
      const s = d.spec.source ?? {};
      const git = !s.chart && s.repoURL === repoURL && typeof s.path === 'string';
      return {
        name: d.metadata.name,
        wave: Number(d.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0),
        folder: git ? s.path.replace(/^dist\//, '') : undefined,
        chart: git ? undefined : `${s.chart ?? s.path}@${s.targetRevision} from ${s.repoURL}`,
        project: d.spec.project,
      };
    });
}

// ---- waiting ------------------------------------------------------------------------------------------

export interface WaitOptions {
  timeoutMs: number;
  /** Services whose death aborts the wait and whose log tails go into the error. */
  services: readonly Service[];
  intervalMs?: number;
  /** Run before each check (the stand-ins). */
  tick?: () => void;
  /** The state to print on timeout. */
  state?: () => string;
}

/** Polls `check` until it returns a value; fails with what it waited for, the last state and log tails. */
export async function waitFor<T>(what: string, check: () => T | undefined, o: WaitOptions): Promise<T> {
  const start = Date.now();
  for (;;) {
    const dead = o.services.find((s) => s.exited());
    if (dead) {
      throw new Error(`${dead.name} exited (${dead.process.exitCode ?? dead.process.signalCode}) while waiting for ${what}\n` +
        `--- ${dead.name} log tail (${dead.log}) ---\n${dead.tail(30)}`);
    }
    o.tick?.();
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() - start > o.timeoutMs) {
      const tails = o.services.map((s) => `--- ${s.name} log tail (${s.log}) ---\n${s.tail(15)}`).join('\n');
      throw new Error(`timed out after ${Math.round(o.timeoutMs / 1000)} s waiting for ${what}\n` +
        `${o.state ? `--- last state ---\n${o.state()}\n` : ''}${tails}`);
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 1000));
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.setTimeout(1000);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}

/**
 * Waits until `service` accepts connections on 127.0.0.1:`port` and is still running a moment later: a
 * port someone else already holds answers at once, while the service exits on its failed bind (then the
 * error carries its log tail).
 */
export async function waitForPort(service: Service, port: number, timeoutMs = 60000): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (service.exited()) {
      throw new Error(`${service.name} exited (${service.process.exitCode ?? service.process.signalCode}) before listening on 127.0.0.1:${port}\n` +
        `--- ${service.name} log tail (${service.log}) ---\n${service.tail(30)}`);
    }
    if (await portOpen(port)) {
      await new Promise((r) => setTimeout(r, 1000));
      if (!service.exited()) return;
      continue;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`${service.name} not listening on 127.0.0.1:${port} after ${timeoutMs / 1000} s\n--- ${service.name} log tail ---\n${service.tail(30)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---- git ----------------------------------------------------------------------------------------------

/** A git repository holding a copy of dist/ at dist/, served by `git daemon`. */
export class GitCopy {
  readonly dir: string;
  constructor(base: string, readonly url: string) {
    this.dir = path.join(base, 'homelab');
  }

  git(...args: string[]): string {
    const r = spawnSync('git', ['-c', 'user.name=argocd-test', '-c', 'user.email=argocd-test@127.0.0.1', '-c', 'commit.gpgsign=false', ...args], { cwd: this.dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
    return r.stdout.trim();
  }

  /** Copies dist/ and rewrites `fromURL` to the daemon's URL in the copy only; returns the first commit. */
  init(fromURL: string): string {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.cpSync(DIST, path.join(this.dir, 'dist'), { recursive: true });
    for (const f of yamlFiles(path.join(this.dir, 'dist', ROOT_FOLDER))) {
      const p = path.join(this.dir, 'dist', ROOT_FOLDER, f);
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').split(fromURL).join(this.url));
    }
    this.git('init', '-q', '-b', 'main');
    return this.commit('dist/ as synthesized');
  }

  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  path(rel: string): string {
    return path.join(this.dir, rel);
  }
}

// ---- the environment ----------------------------------------------------------------------------------

export interface Timings { [step: string]: number }

export interface ArgoEnv {
  cluster: Cluster;
  git: GitCopy;
  services: Service[];
  kubectl(args: string[], input?: string): KubectlResult;
  /** kubectl that throws with stderr on failure; returns stdout. */
  k(args: string[], input?: string): string;
  timings: Timings;
  stop(): Promise<void>;
}

/** The repository URL dist/'s Applications read (from the root Application). */
export function distRepoURL(): string {
  const root = yamlFiles(path.join(DIST, ROOT_FOLDER)).flatMap((f) => readDocs(path.join(DIST, ROOT_FOLDER, f)))
    .find((d) => d.kind === 'Application' && d.spec.source?.path === `dist/${ROOT_FOLDER}`);
  if (!root) throw new Error(`no Application in dist/${ROOT_FOLDER} syncs dist/${ROOT_FOLDER} itself`);
  return root.spec.source.repoURL;
}

/**
 * argocd-cm as the README's bootstrap creates it (`helm install argo-cd` with the argo-cd Application's
 * values): a rendered argocd-cm in dist/ if there is one, else the argo-cd chart Application's `configs.cm`.
 */
export function argocdConfigMapData(): { data: Record<string, string>; from: string } {
  for (const f of yamlFiles(DIST)) {
    const cm = readDocs(path.join(DIST, f)).find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'argocd-cm');
    if (cm) return { data: cm.data ?? {}, from: `dist/${f}` };
  }
  for (const f of yamlFiles(path.join(DIST, ROOT_FOLDER))) {
    const app = readDocs(path.join(DIST, ROOT_FOLDER, f)).find((d) => d.kind === 'Application' && d.spec.source?.chart === 'argo-cd');
    if (app) return { data: app.spec.source.helm?.valuesObject?.configs?.cm ?? {}, from: `dist/${ROOT_FOLDER}/${f} (helm values configs.cm)` };
  }
  return { data: {}, from: 'nothing in dist/ (empty argocd-cm)' };
}

/** Starts everything but applies nothing of dist/. */
export async function startArgo(log: (s: string) => void): Promise<ArgoEnv> {
  const timings: Timings = {};
  let t = Date.now();
  ensureBinaries();
  const argocd = argocdBinary();
  timings['build check (argocd, kube-*)'] = Date.now() - t;

  t = Date.now();
  // The rendered charts' webhooks (ESO's, failurePolicy Fail) have no pods behind them here.
  const cluster = await startCluster({ admissionWebhooks: false });
  log('[stand-in] admission webhooks off: no pod serves the charts\' webhooks (the cluster suite dry-runs their configurations)');
  const services: Service[] = [];
  const kubectl = (args: string[], input?: string) => cluster.kubectl(args, input);
  const k = (args: string[], input?: string) => {
    const r = kubectl(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr}`);
    return r.stdout;
  };
  const run = path.join(cluster.dir, 'argocd');
  fs.mkdirSync(path.join(run, 'tmp'), { recursive: true });
  const env: ArgoEnv = { cluster, git: undefined as unknown as GitCopy, services, kubectl, k, timings, stop: () => cluster.stop() };
  try {
    timings['etcd + kube-apiserver ready'] = Date.now() - t;
    t = Date.now();
    const kcm = cluster.spawn('kube-controller-manager', path.join(binDir(), 'kube-controller-manager'), [
      `--kubeconfig=${cluster.kubeconfig}`,
      // Garbage collection (foreground deletion of pruned objects), namespace deletion, Deployments ->
      // ReplicaSets -> Pods, StatefulSets and Jobs (the charts' controllers and hook Jobs), and the default
      // ServiceAccount (the readiness signal below).
      '--controllers=garbagecollector,namespace,deployment,replicaset,statefulset,job,serviceaccount',
      '--leader-elect=false',
      '--secure-port=0',
      '--use-service-account-credentials=false',
      '-v=1',
    ]);
    services.push(kcm);
    await waitFor('kube-controller-manager to create ServiceAccount default/default', () => (kubectl(['get', 'serviceaccount', 'default', '-n', 'default']).code === 0 ? true : undefined), { timeoutMs: 60000, services });
    timings['kube-controller-manager ready'] = Date.now() - t;

    // What the README's bootstrap creates before the root Application: ArgoCD's namespace (from dist/),
    // its CRDs (the rendered argo-cd chart's, else the pinned ones) and its settings (argocd-cm).
    t = Date.now();
    k(['apply', '--server-side', '-f', path.join(DIST, '_cluster', `namespace-${ARGOCD_NAMESPACE}.yaml`)]);
    const renderedCrds = path.join(DIST, '_chart-argo-cd-crds');
    const argoCrds = fs.existsSync(renderedCrds)
      ? yamlFiles(renderedCrds).map((f) => path.join(renderedCrds, f))
      : verifiedCrdFiles().filter((f) => /argo-cd-/.test(path.dirname(f)) && /(application|appproject)-crd/.test(path.basename(f)));
    log(`ArgoCD's CRDs from ${path.relative(path.dirname(DIST), path.dirname(argoCrds[0]))}`);
    k(['apply', '--server-side', ...argoCrds.flatMap((f) => ['-f', f])]);
    await waitEstablished(kubectl, argoCrds);
    const cm = argocdConfigMapData();
    log(`argocd-cm from ${cm.from}: keys ${Object.keys(cm.data).sort().join(', ') || '(none)'}`);
    const labels = { 'app.kubernetes.io/part-of': 'argocd' };
    k(['apply', '--server-side', '-f', '-'], JSON.stringify({
      apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ARGOCD_NAMESPACE, labels }, data: cm.data },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: ARGOCD_NAMESPACE, labels }, stringData: { 'server.secretkey': crypto.randomBytes(24).toString('hex') } },
      ],
    }));

    const [redisPort, gitPort, repoPort, repoMetrics, ctrlMetrics] = await freePorts(5);
    const redis = cluster.spawn('redis', 'redis-server', ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', run]);
    services.push(redis);
    await waitForPort(redis, redisPort);

    const gitBase = path.join(run, 'git');
    env.git = new GitCopy(gitBase, `git://127.0.0.1:${gitPort}/homelab`);
    const first = env.git.init(distRepoURL());
    const daemon = cluster.spawn('git-daemon', 'git', ['daemon', '--reuseaddr', '--listen=127.0.0.1', `--port=${gitPort}`, `--base-path=${gitBase}`, '--export-all', '--informative-errors', gitBase]);
    services.push(daemon);
    await waitForPort(daemon, gitPort);
    const remote = spawnSync('git', ['ls-remote', env.git.url, 'main'], { encoding: 'utf8' });
    if (!remote.stdout.startsWith(first)) throw new Error(`git daemon does not serve ${env.git.url} at ${first}: ${remote.stdout}${remote.stderr}\n${daemon.tail()}`);

    const argoEnv = {
      ...process.env,
      KUBECONFIG: cluster.kubeconfig,
      // The in-cluster destination https://kubernetes.default.svc is $KUBECONFIG: dist/'s Applications unchanged.
      ARGOCD_FAKE_IN_CLUSTER: 'true',
      ARGOCD_GPG_ENABLED: 'false',
      TMPDIR: path.join(run, 'tmp'),
      HOME: run,
    };
    const repo = cluster.spawn('argocd-repo-server', argocd, ['--address', '127.0.0.1', '--port', String(repoPort), '--metrics-address', '127.0.0.1',
      '--metrics-port', String(repoMetrics), '--disable-tls', '--redis', `127.0.0.1:${redisPort}`, '--loglevel', 'info'],
    { env: { ...argoEnv, ARGOCD_BINARY_NAME: 'argocd-repo-server' }, cwd: run });
    services.push(repo);
    await waitForPort(repo, repoPort);
    // Its metrics server has no address flag: argo-cd 2.14 binds 0.0.0.0:<port> (controller/appcontroller.go).
    const ctrl = cluster.spawn('argocd-application-controller', argocd, ['--kubeconfig', cluster.kubeconfig, '--namespace', ARGOCD_NAMESPACE,
      '--redis', `127.0.0.1:${redisPort}`, '--repo-server', `127.0.0.1:${repoPort}`, '--repo-server-plaintext', '--metrics-port', String(ctrlMetrics),
      '--status-processors', '4', '--operation-processors', '4', '--loglevel', 'info'],
    { env: { ...argoEnv, ARGOCD_BINARY_NAME: 'argocd-application-controller' }, cwd: run });
    services.push(ctrl);
    await waitForPort(ctrl, ctrlMetrics);
    timings['redis, git daemon, repo-server, application-controller ready'] = Date.now() - t;
    return env;
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

// ---- stand-ins ----------------------------------------------------------------------------------------

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const ready = (o: any) => (o.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/**
 * One pass of what the missing controllers would do, each action logged once: ESO marks stores and
 * ExternalSecrets Ready (ArgoCD's built-in health checks need it), the scheduler + kubelet run Pods (so
 * ReplicaSets and Deployments, driven by the real kube-controller-manager, become available), a
 * provisioner binds PersistentVolumeClaims.
 */
export function standIn(env: ArgoEnv, log: (s: string) => void): void {
  const list = (kinds: string) => {
    const r = env.kubectl(['get', kinds, '-A', '-o', 'json', '--ignore-not-found']);
    return r.code === 0 && r.stdout.trim() ? (JSON.parse(r.stdout).items as any[]) : [];
  };
  const patch = (o: any, resource: string, status: object, who: string, what: string) => {
    const r = env.kubectl(['patch', resource, o.metadata.name, ...(o.metadata.namespace ? ['-n', o.metadata.namespace] : []),
      '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
    if (r.code === 0) log(`[stand-in for ${who}] ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}: ${what}`);
  };
  const condition = (type: string, reason: string) => ({ type, status: 'True', reason, message: 'set by the test harness', lastTransitionTime: now() });
  const eso = env.kubectl(['api-resources', '--api-group=external-secrets.io', '-o', 'name']).stdout.split('\n').filter((n) => /^(clustersecretstores|secretstores|externalsecrets)\./.test(n));
  for (const o of eso.length ? list(eso.join(',')) : []) {
    if (!ready(o)) patch(o, `${o.kind.toLowerCase()}.external-secrets.io`, { conditions: [condition('Ready', o.kind === 'ExternalSecret' ? 'SecretSynced' : 'Valid')] }, 'ESO', 'status Ready=True');
  }
  for (const o of list('pods')) {
    if (o.metadata.deletionTimestamp || ['Succeeded', 'Failed'].includes(o.status?.phase)) continue;
    // A Job's pod (a chart's hook, which ArgoCD runs as a sync hook) runs to completion.
    if ((o.metadata.ownerReferences ?? []).some((r: any) => r.kind === 'Job')) {
      patch(o, 'pod', { phase: 'Succeeded', conditions: ['PodScheduled', 'Initialized'].map((c) => condition(c, 'StandIn')) }, 'scheduler + kubelet', 'Succeeded');
    } else if (!ready(o)) {
      patch(o, 'pod', { phase: 'Running', conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((c) => condition(c, 'StandIn')) }, 'scheduler + kubelet', 'Running, Ready');
    }
  }
  for (const o of list('persistentvolumeclaims')) {
    if (o.status?.phase !== 'Bound') patch(o, 'pvc', { phase: 'Bound' }, 'a volume provisioner', 'Bound');
  }
}

/** Installs the pinned CRDs of the given API groups (those a Helm chart would install), returns their names. */
export async function installChartCrds(env: ArgoEnv, groups: readonly string[]): Promise<string[]> {
  const files = verifiedCrdFiles().filter((f) => groups.some((g) => path.basename(f).startsWith(`${g}_`)));
  if (!files.length) return [];
  // As test/cluster/global-setup.ts: ESO 0.20.4's CRDs declare `selectableFields`, which 1.28 drops on create.
  env.k(['create', '--validate=false', ...files.flatMap((f) => ['-f', f])]);
  await waitEstablished(env.kubectl, files);
  return files.map((f) => path.basename(f, '.yaml'));
}
