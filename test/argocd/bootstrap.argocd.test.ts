/**
 * dist/ synced by real Argo CD v2.14.21 (see argocd.ts): a fresh API server with nothing but the AppProjects
 * and the root Application applied, as the README's bootstrap says; every other Application comes from git.
 * Expected Applications and waves are read from dist/_argocd-root; a Helm-source Application is reported
 * as not syncable offline (no chart repository is reachable), never hard-coded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ArgoEnv, Doc, ExpectedApp, ROOT_FOLDER, expectedApps, installChartCrds, isPruneProtected, readDocs, standIn, startArgo, waitFor, yamlFiles,
} from './argocd';

const lines: string[] = [];
const seen = new Set<string>();
/** Test output: printed at the end (jest swallows nothing then) and on failure. */
const log = (s: string) => {
  if (seen.has(s)) return;
  seen.add(s);
  lines.push(s);
};
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let env: ArgoEnv;
let apps: ExpectedApp[];
let gitApps: ExpectedApp[];
let helmApps: ExpectedApp[];
let bootstrapAt = 0;

function applications(): Map<string, any> {
  const r = env.kubectl(['get', 'applications.argoproj.io', '-n', 'argocd', '-o', 'json']);
  if (r.code !== 0) return new Map();
  return new Map((JSON.parse(r.stdout).items as any[]).map((a) => [a.metadata.name, a]));
}
const synced = (a: any) => a?.status?.sync?.status === 'Synced' && a?.status?.health?.status === 'Healthy';
const appState = (a: any) => (a ? `${a.status?.sync?.status ?? '-'}/${a.status?.health?.status ?? '-'} op=${a.status?.operationState?.phase ?? '-'}: ${(a.status?.operationState?.message ?? '').slice(0, 160)}` : 'not created');
const describeApps = () => {
  const live = applications();
  return apps.map((e) => `${e.name} (wave ${e.wave}): ${appState(live.get(e.name))}`).join('\n');
};
/** Bootstrap observations are recorded from the bootstrap apply until every git Application is Synced. */
let recording = false;
const tick = () => {
  standIn(env, log);
  if (recording) observe();
};
const wait = <T>(what: string, check: () => T | undefined, timeoutMs = 240000) => waitFor(what, check, { timeoutMs, services: env.services, tick, state: describeApps });
/** What an operation says: its message and every resource result's. */
const said = (op: any): string => [op?.message, ...(op?.syncResult?.resources ?? []).map((r: any) => `${r.kind}/${r.name}: ${r.status}: ${r.message}`)].filter(Boolean).join('\n');
const exists = (kind: string, name: string, ns?: string) => env.kubectl(['get', kind, name, ...(ns ? ['-n', ns] : [])]).code === 0;
const refresh = (app: string) => env.k(['annotate', '--overwrite', 'applications.argoproj.io', app, '-n', 'argocd', 'argocd.argoproj.io/refresh=normal']);

/** dist/ objects by folder. */
function distObjects(folder: string): { file: string; doc: Doc }[] {
  const dir = env.git.path(path.join('dist', folder));
  return yamlFiles(dir).flatMap((f) => readDocs(path.join(dir, f)).map((doc) => ({ file: path.join('dist', folder, f), doc })));
}

/** One observation per poll: which Applications exist and which are Synced + Healthy. */
interface Observation { at: number; exists: Set<string>; healthy: Set<string> }
const timeline: Observation[] = [];
function observe(): Map<string, any> {
  const live = applications();
  // Healthy is what the root waits for (the Application health check in argocd-cm).
  timeline.push({ at: Date.now() - bootstrapAt, exists: new Set(live.keys()), healthy: new Set([...live].filter(([, a]) => a.status?.health?.status === 'Healthy').map(([n]) => n)) });
  return live;
}

/**
 * Wave order as the root Application promises it: an Application of a wave is created only once every
 * Application of an earlier wave is Healthy. Checked at the first observation of each Application (later
 * flaps are ArgoCD's health, not the order: see {@link healthFlaps}). Returns the violations.
 */
export function waveViolations(expected: readonly ExpectedApp[], obs: readonly Observation[]): string[] {
  const out: string[] = [];
  for (const later of expected) {
    const i = obs.findIndex((x) => x.exists.has(later.name));
    if (i < 0) continue;
    const o = obs[i];
    // ArgoCD gates a wave on the earlier waves having been Healthy when it moved on; an earlier Application may
    // flap afterwards (healthFlaps reports that). So an earlier one must have been Healthy in some sample up to
    // the one where the later one first shows.
    const wasHealthy = (name: string) => obs.slice(0, i + 1).some((x) => x.healthy.has(name));
    for (const earlier of expected.filter((e) => e.wave < later.wave && !wasHealthy(e.name))) {
      out.push(`at +${secs(o.at)} ${later.name} (wave ${later.wave}) appeared while ${earlier.name} (wave ${earlier.wave}) was not Healthy`);
    }
  }
  return out;
}

/** Applications that were Healthy, then not, while a later wave already existed. */
function healthFlaps(expected: readonly ExpectedApp[], obs: readonly Observation[]): string[] {
  const out = new Set<string>();
  for (const e of expected) {
    const firstHealthy = obs.findIndex((o) => o.healthy.has(e.name));
    const later = expected.filter((x) => x.wave > e.wave).map((x) => x.name);
    const flap = firstHealthy < 0 ? undefined : obs.slice(firstHealthy).find((o) => !o.healthy.has(e.name) && later.some((n) => o.exists.has(n)));
    if (flap) out.add(`${e.name} (wave ${e.wave}) was Healthy, then not at +${secs(flap.at)}, after a later wave had started`);
  }
  return [...out];
}

beforeAll(async () => {
  env = await startArgo(log);
  apps = expectedApps(env.git.path('dist'), env.git.url);
  const root = apps.find((a) => a.folder === ROOT_FOLDER)!;
  // The root Application manages itself; the order is about the ones it creates.
  apps = apps.filter((a) => a !== root);
  gitApps = apps.filter((a) => a.folder);
  helmApps = apps.filter((a) => !a.folder);
  log(`expected from dist/${ROOT_FOLDER}: ${apps.length} Applications besides the root (${gitApps.length} git, ${helmApps.length} Helm)`);

  // The bootstrap: the AppProjects and the root Application, nothing else.
  const t = Date.now();
  const rootDocs = distObjects(ROOT_FOLDER);
  const bootstrap = rootDocs.filter(({ doc }) => doc.kind === 'AppProject' || doc.metadata.name === root.name);
  env.k(['apply', '--server-side', ...bootstrap.flatMap(({ file }) => ['-f', env.git.path(file)])]);
  log(`bootstrap: kubectl apply --server-side ${bootstrap.map(({ file }) => file).join(' ')}`);
  bootstrapAt = Date.now();
  recording = true;
  env.timings['bootstrap apply'] = bootstrapAt - t;
}, 40 * 60 * 1000);

afterAll(async () => {
  await env?.stop();
  if (env) for (const [step, ms] of Object.entries(env.timings)) lines.push(`timing: ${step}: ${secs(ms)}`);
  console.log(lines.join('\n'));
}, 60000);

describe('fresh bootstrap from the root Application', () => {
  test('custom resources skip only their own dry run: dist-cluster applies its Namespaces before any Helm chart\'s CRDs exist', async () => {
    // CRDs dist/ uses but does not contain: a Helm-source chart (not rendered) installs them, and no chart
    // repository is reachable offline. A rendered chart's CRDs are in dist/ and synced like the rest.
    const docs = gitApps.flatMap((a) => distObjects(a.folder!)).map(({ doc }) => doc);
    const inDist = new Set(docs.filter((d) => d.kind === 'CustomResourceDefinition').map((d) => d.spec.group));
    const missing = [...new Set(docs.map((d) => d.apiVersion.split('/')))]
      .filter((p) => p.length === 2 && p[0].includes('.') && !p[0].endsWith('.k8s.io') && p[0] !== 'argoproj.io' && !inDist.has(p[0])).map((p) => p[0]);
    const groups = [...new Set(missing)].sort();
    for (const g of groups) expect(env.kubectl(['api-resources', `--api-group=${g}`, '-o', 'name']).stdout.trim()).toBe('');
    const namespaces = gitApps.flatMap((a) => distObjects(a.folder!)).filter(({ doc }) => doc.kind === 'Namespace').map(({ doc }) => doc.metadata.name);
    expect(namespaces.length).toBeGreaterThan(0);
    await wait(`the ${namespaces.length} Namespaces of dist/ while the CRDs of ${groups.join(', ')} do not exist`, () => (namespaces.every((n) => exists('namespace', n)) ? true : undefined));
    log(`SkipDryRunOnMissingResource per object: all ${namespaces.length} Namespaces applied at +${secs(Date.now() - bootstrapAt)} with no CRD of ${groups.join(', ')} installed`);
    // Stand-in for the Helm chart that installs them (not syncable offline).
    const crds = await installChartCrds(env, groups);
    log(`[stand-in for the Helm charts' CRDs] installed ${crds.join(', ')}`);
  }, 300000);

  test('every git Application reaches Synced and Healthy, in wave order', async () => {
    await wait(`all ${gitApps.length} git Applications Synced + Healthy`, () => {
      const live = applications();
      return gitApps.every((a) => synced(live.get(a.name))) ? true : undefined;
    }, 600000);
    recording = false;
    env.timings['bootstrap to all git Applications Synced'] = Date.now() - bootstrapAt;
    const first = (name: string, pick: (o: Observation) => boolean) => timeline.find((o) => pick(o) && o.exists.has(name));
    for (const a of [...apps].sort((x, y) => x.wave - y.wave || x.name.localeCompare(y.name))) {
      const created = first(a.name, () => true);
      const healthy = first(a.name, (o) => o.healthy.has(a.name));
      log(`wave ${a.wave}: ${a.name}: ${created ? `created by +${secs(created.at)}` : 'created after the last observation'}, ${healthy ? `healthy by +${secs(healthy.at)}` : 'not yet healthy then'}${a.folder ? '' : ' (Helm)'}`);
    }
    // ArgoCD leaves an object whose kind the API server does not serve yet out of an Application's health,
    // so a folder whose custom resources wait for a chart's CRDs is Healthy before they exist; shown, not hidden.
    for (const f of healthFlaps(apps, timeline)) log(`NOTE: ${f}`);
    expect(waveViolations(apps, timeline)).toEqual([]);
    // The waves were real: more than one, and every wave's Applications appeared.
    expect(new Set(apps.map((a) => a.wave)).size).toBeGreaterThan(1);
  }, 660000);

  test('the order check can fail: all Applications at once would violate it (canary)', () => {
    const all = new Set(apps.map((a) => a.name));
    expect(waveViolations(apps, [{ at: 0, exists: all, healthy: new Set() }]).length).toBeGreaterThan(0);
  });

  test('Helm-source Applications are reported as not syncable offline', () => {
    const live = applications();
    for (const a of helmApps) {
      const s = live.get(a.name);
      expect(s).toBeDefined();
      const conditions = (s.status?.conditions ?? []).map((c: any) => `${c.type}: ${c.message}`.slice(0, 200));
      log(`NOT SYNCABLE OFFLINE: ${a.name} (wave ${a.wave}, ${a.chart}): ${appState(s)} ${conditions.join(' | ')}`);
      expect(s.status?.sync?.status).not.toBe('Synced');
    }
  });
});

describe('after a commit', () => {
  let commit = '';
  const folders = () => gitApps.filter((a) => a.folder && !a.folder.startsWith('_')).map((a) => a.folder!).sort();
  const pick: Record<string, { app: string; file: string; doc: Doc }> = {};

  beforeAll(() => {
    const free = folders().filter((f) => distObjects(f).some(({ doc }) => doc.kind === 'NetworkPolicy' && isPruneProtected(doc)));
    const take = (role: string, match: (d: Doc) => boolean) => {
      for (const f of free) {
        const hit = distObjects(f).find(({ doc }) => match(doc));
        if (hit) {
          free.splice(free.indexOf(f), 1);
          pick[role] = { app: gitApps.find((a) => a.folder === f)!.name, ...hit };
          return;
        }
      }
      throw new Error(`no folder left for ${role}`);
    };
    take('prune', (d) => d.kind === 'NetworkPolicy' && !isPruneProtected(d));
    take('protected policy', (d) => d.kind === 'NetworkPolicy' && isPruneProtected(d));
    take('self-heal', (d) => d.kind === 'NetworkPolicy' && isPruneProtected(d));
    take('kind denial', (d) => d.kind === 'NetworkPolicy');
    take('destination denial', (d) => d.kind === 'NetworkPolicy');
    // The premises of the denials: the folders' project lists neither ConfigMap nor kube-system.
    const projects = new Map(distObjects(ROOT_FOLDER).filter(({ doc }) => doc.kind === 'AppProject').map(({ doc }) => [doc.metadata.name, doc.spec]));
    for (const role of ['kind denial', 'destination denial']) {
      const project = projects.get(apps.find((a) => a.name === pick[role].app)!.project)!;
      expect((project.namespaceResourceWhitelist ?? []).some((gk: any) => gk.kind === 'ConfigMap' || gk.kind === '*')).toBe(false);
      expect((project.destinations ?? []).some((d: any) => d.namespace === 'kube-system' || d.namespace === '*')).toBe(false);
    }
    const clusterApp = gitApps.find((a) => distObjects(a.folder!).some(({ doc }) => doc.kind === 'Namespace' && isPruneProtected(doc) && doc.metadata.name === pick['protected policy'].doc.metadata.namespace))!;
    const ns = distObjects(clusterApp.folder!).find(({ doc }) => doc.kind === 'Namespace' && doc.metadata.name === pick['protected policy'].doc.metadata.namespace)!;
    pick['protected namespace'] = { app: clusterApp.name, ...ns };

    fs.rmSync(env.git.path(pick.prune.file));
    fs.rmSync(env.git.path(pick['protected policy'].file));
    fs.rmSync(env.git.path(pick['protected namespace'].file));
    // A kind the folder's project does not list, and a destination namespace it does not allow.
    const kindNs = pick['kind denial'].doc.metadata.namespace!;
    fs.writeFileSync(env.git.path(`dist/${path.dirname(pick['kind denial'].file).split('/').pop()}/configmap-not-allowed.yaml`),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-allowed\n  namespace: ${kindNs}\ndata:\n  a: b\n`);
    const destFolder = path.dirname(pick['destination denial'].file);
    fs.writeFileSync(env.git.path(`${destFolder}/networkpolicy-elsewhere.yaml`),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: elsewhere\n  namespace: kube-system\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n');
    commit = env.git.commit('prune, prune protection and AppProject denials');
    for (const role of ['prune', 'protected policy', 'protected namespace', 'kind denial', 'destination denial']) {
      log(`commit ${commit.slice(0, 8)}: ${role}: ${pick[role].app} (${role.includes('denial') ? 'added a file next to ' : 'removed '}${pick[role].file})`);
    }
    for (const app of new Set(Object.values(pick).map((p) => p.app))) refresh(app);
  });

  const result = (app: string) => {
    const a = applications().get(app);
    const op = a?.status?.operationState;
    return op?.syncResult?.revision === commit || op?.operation?.sync?.revision === commit ? op : undefined;
  };

  test('removing an unprotected NetworkPolicy from git prunes it', async () => {
    const { app, doc } = pick.prune;
    await wait(`${app} to prune NetworkPolicy ${doc.metadata.namespace}/${doc.metadata.name}`, () => (!exists('networkpolicy', doc.metadata.name, doc.metadata.namespace) ? true : undefined));
    const op = await wait(`${app}'s sync of ${commit.slice(0, 8)} to finish`, () => (result(app)?.phase === 'Succeeded' ? result(app) : undefined));
    expect(op.syncResult.resources.filter((r: any) => r.kind === 'NetworkPolicy' && r.name === doc.metadata.name).map((r: any) => r.status)).toEqual(['Pruned']);
    log(`prune: ${doc.metadata.namespace}/${doc.metadata.name} Pruned and gone`);
  }, 300000);

  test.each(['protected policy', 'protected namespace'])('removing a %s from git leaves it in the cluster (PruneSkipped)', async (role) => {
    const { app, doc } = pick[role];
    const op = await wait(`${app}'s sync of ${commit.slice(0, 8)} to report ${doc.kind} ${doc.metadata.name}`, () => {
      const o = result(app);
      return o?.syncResult?.resources?.some((r: any) => r.kind === doc.kind && r.name === doc.metadata.name) ? o : undefined;
    });
    const entry = op.syncResult.resources.find((r: any) => r.kind === doc.kind && r.name === doc.metadata.name);
    expect(entry.status).toBe('PruneSkipped');
    expect(exists(doc.kind.toLowerCase(), doc.metadata.name, doc.metadata.namespace)).toBe(true);
    const live = applications().get(app);
    expect(live.status.sync.status).toBe('OutOfSync');
    expect(live.status.resources.find((r: any) => r.kind === doc.kind && r.name === doc.metadata.name).requiresPruning).toBe(true);
    log(`prune protection: ${doc.kind} ${doc.metadata.namespace ? `${doc.metadata.namespace}/` : ''}${doc.metadata.name}: ${entry.status} "${entry.message}", still there, ${app} OutOfSync`);
  }, 300000);

  test('a kubectl-deleted default-deny comes back (self-heal)', async () => {
    const { app, doc } = pick['self-heal'];
    const before = JSON.parse(env.k(['get', 'networkpolicy', doc.metadata.name, '-n', doc.metadata.namespace!, '-o', 'json'])).metadata.uid;
    const t = Date.now();
    env.k(['delete', 'networkpolicy', doc.metadata.name, '-n', doc.metadata.namespace!]);
    expect(exists('networkpolicy', doc.metadata.name, doc.metadata.namespace)).toBe(false);
    const uid = await wait(`${app} to recreate NetworkPolicy ${doc.metadata.namespace}/${doc.metadata.name} (selfHeal)`, () => {
      const r = env.kubectl(['get', 'networkpolicy', doc.metadata.name, '-n', doc.metadata.namespace!, '-o', 'json']);
      return r.code === 0 ? JSON.parse(r.stdout).metadata.uid : undefined;
    });
    expect(uid).not.toBe(before);
    log(`self-heal: ${doc.metadata.namespace}/${doc.metadata.name} deleted by kubectl, recreated by ${app} after ${secs(Date.now() - t)}`);
  }, 300000);

  test.each([
    ['kind denial', /resource :ConfigMap is not permitted in project/, 'configmap', 'not-allowed'],
    ['destination denial', /namespace kube-system is not permitted in project/, 'networkpolicy', 'elsewhere'],
  ])('an object the folder\'s AppProject does not allow fails the sync (%s)', async (role, message, kind, name) => {
    const { app, doc } = pick[role];
    // ArgoCD's permission validator fails the task: its message is on the resource result, the phase on the operation.
    const op = await wait(`${app}'s sync of ${commit.slice(0, 8)} to fail with ${message}`, () => (message.test(said(result(app))) ? result(app) : undefined));
    expect(op.phase).not.toBe('Succeeded');
    const ns = kind === 'configmap' ? doc.metadata.namespace! : 'kube-system';
    expect(exists(kind, name, ns)).toBe(false);
    log(`AppProject denial: ${app}: ${op.phase}: ${said(op).split('\n').filter((l) => message.test(l) || l === op.message).join(' / ').slice(0, 240)}`);
  }, 300000);
});

describe('why the skip is per object: ArgoCD v2.14.21 ignores it in an Application\'s syncOptions', () => {
  // Test-only Applications over a test-only folder: a Namespace and a custom resource whose CRD never exists.
  const widget = (annotated: boolean) => ['apiVersion: canary.homelab.test/v1', 'kind: Widget', 'metadata:', '  name: w',
    ...(annotated ? ['  annotations:', '    argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true'] : [])].join('\n');
  const canary = (name: string, appLevel: boolean) => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'canary', destination: { server: 'https://kubernetes.default.svc' },
      source: { repoURL: env.git.url, path: `canary/${name}`, targetRevision: 'main' },
      syncPolicy: { automated: {}, syncOptions: ['ServerSideApply=true', ...(appLevel ? ['SkipDryRunOnMissingResource=true'] : [])] },
    },
  });

  test('the per-object annotation applies the Namespace; the Application-level option does not', async () => {
    for (const [name, annotated] of [['canary-app-level', false], ['canary-per-object', true]] as const) {
      fs.mkdirSync(env.git.path(`canary/${name}`), { recursive: true });
      fs.writeFileSync(env.git.path(`canary/${name}/namespace.yaml`), `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`);
      fs.writeFileSync(env.git.path(`canary/${name}/widget.yaml`), `${widget(annotated)}\n`);
    }
    env.git.commit('canary: SkipDryRunOnMissingResource placements');
    env.k(['apply', '--server-side', '-f', '-'], JSON.stringify({
      apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'canary', namespace: 'argocd' },
          spec: { sourceRepos: [env.git.url], destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] } },
        canary('canary-app-level', true),
        canary('canary-per-object', false),
      ],
    }));
    await wait('canary-per-object to apply its Namespace despite the missing Widget CRD', () => (exists('namespace', 'canary-per-object') ? true : undefined));
    // ArgoCD retries the failed sync (phase Running between attempts): the Widget's dry-run failure is the result.
    const op = await wait('canary-app-level\'s sync to fail its dry run on the Widget', () => {
      const o = applications().get('canary-app-level')?.status?.operationState;
      return /Widget\/w: SyncFailed/.test(said(o)) ? o : undefined;
    });
    log(`canary, Application-level SkipDryRunOnMissingResource: ${op.phase}: ${said(op).replace(/\n/g, ' / ').slice(0, 300)}`);
    expect(op.phase).not.toBe('Succeeded');
    expect(exists('namespace', 'canary-app-level')).toBe(false);
    log('canary, per-object annotation: Namespace canary-per-object applied');
  }, 300000);
});
