/**
 * An independent static NetworkPolicy oracle: np-guard's netpol-analyzer (`k8snetpolicy`, v1.4.4, built by
 * scripts/go/build-tool.sh np-guard) over a folder holding the Namespaces and NetworkPolicies of a set of
 * objects plus generated fixture pods: two per endpoint class of the truth table (lib's reachabilityEndpoints:
 * a label-less pod per namespace, each pod template's labels, kube-dns and API-server stand-ins). The folder
 * is a temp dir, never dist/. Used by test/enforce/np-guard.test.ts and the "Connectivity" section of
 * `npm run diff`.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubeObject, reachabilityEndpoints, toYaml } from '../lib';

const ROOT = path.resolve(__dirname, '..');
/** The pinned analyzer version (scripts/go/np-guard/tool.env). */
export const NP_GUARD_VERSION = 'v1.4.4';
/** Fixture pods per endpoint class: two, so a class paired with itself is a real pair. */
const FIXTURE_REPLICAS = 2;

/** The analyzer binary, built on first use and cached outside the repo. */
export function npGuardBinary(): string {
  const repo = fs.existsSync(path.join(ROOT, 'scripts', 'go')) ? ROOT : path.resolve(ROOT, '..');
  const r = spawnSync('bash', [path.join(repo, 'scripts', 'go', 'build-tool.sh'), 'np-guard'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building np-guard failed (exit ${r.status ?? r.signal}): ${r.stderr.trim().slice(-1000)}`);
  return r.stdout.trim().split('\n').pop()!;
}

/** `<workload or any-pod>-<n>`: the fixture pod names of an endpoint class `ns/<name>`. */
export function fixturePodNames(className: string): string[] {
  const base = className.split('/')[1];
  return Array.from({ length: FIXTURE_REPLICAS }, (_, i) => `${base}-${i + 1}`);
}

/**
 * The analyzer's input for `objects`: their Namespaces (with the `kubernetes.io/metadata.name` label the API
 * server adds), a kube-system Namespace, their NetworkPolicies, and fixture Pods for every pod endpoint class.
 * Workloads themselves are left out: the fixture pods carry their template labels.
 */
export function analyzerInput(objects: readonly KubeObject[]): KubeObject[] {
  const namespaces = [...objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name), 'kube-system'];
  const out: KubeObject[] = [...new Set(namespaces)].map((name) => {
    const given = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === name);
    return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...given?.metadata.labels, 'kubernetes.io/metadata.name': name } } };
  });
  out.push(...objects.filter((o) => o.kind === 'NetworkPolicy'));
  for (const { name, endpoint } of reachabilityEndpoints(objects)) {
    if (endpoint.kind !== 'pod') continue;
    for (const pod of fixturePodNames(name)) {
      out.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: pod, namespace: endpoint.namespace, labels: { ...endpoint.labels } },
        spec: { containers: [{ name: 'fixture', image: 'fixture.invalid/none:0' }] },
      } as KubeObject);
    }
  }
  return out;
}

/** Writes the analyzer input for `objects` into `dir` (created). */
function writeInput(objects: readonly KubeObject[], dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'input.yaml'), analyzerInput(objects).map((o) => toYaml(o)).join('---\n'));
}

/** Runs `body` with a new temp dir, removed afterwards. */
function inTempDir<T>(body: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'np-guard-'));
  try {
    return body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One connection the analyzer reports: `src => dst : conn`. */
export interface AnalyzerConnection {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

/** `k8snetpolicy list -o json` over the objects' analyzer input. */
export function analyzerConnections(objects: readonly KubeObject[], bin = npGuardBinary()): AnalyzerConnection[] {
  return inTempDir((dir) => {
    writeInput(objects, dir);
    return JSON.parse(execFileSync(bin, ['list', '--dirpath', dir, '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }));
  });
}

/** `k8snetpolicy diff` (Markdown) between two sets of objects; empty when the connectivity is the same. */
export function connectivityDiff(before: readonly KubeObject[], after: readonly KubeObject[], bin = npGuardBinary()): string {
  return inTempDir((dir) => {
    writeInput(before, path.join(dir, 'base'));
    writeInput(after, path.join(dir, 'head'));
    // Relative folder names: they are the column headers of the output.
    const r = spawnSync(bin, ['diff', '--dir1', 'base', '--dir2', 'head', '-o', 'md'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`k8snetpolicy diff failed (exit ${r.status ?? r.signal}): ${r.stderr.trim().slice(-1000)}`);
    return r.stdout.trim();
  });
}

/**
 * The "Connectivity" section of `npm run diff`: np-guard's added, removed and changed connections between
 * base and head (their Namespaces and NetworkPolicies with fixture pods), or why it could not run.
 */
export function connectivitySection(before: readonly KubeObject[], after: readonly KubeObject[]): string {
  const title = `\n### Connectivity (np-guard netpol-analyzer ${NP_GUARD_VERSION}, \`k8snetpolicy diff\` of base and head with fixture pods: added, removed, changed)\n\n`;
  try {
    const md = connectivityDiff(before, after);
    return `${title}${/\|.*\|/.test(md) && md.split('\n').length > 2 ? md : 'No change.'}\n`;
  } catch (e) {
    return `${title}Not available: ${(e as Error).message}\n`;
  }
}
