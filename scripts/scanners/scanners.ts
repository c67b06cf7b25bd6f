import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { yamlFilesUnder } from '../diff';

/**
 * The independent scanners that cross-check dist/: each runs offline on a folder of YAML and returns its
 * findings as stable strings (check id + object [+ detail]), so a reviewed list can be compared exactly.
 */
export interface Scanner {
  readonly name: string;
  /** The pinned version (scripts/scanners/versions.env). */
  readonly version: string;
  /** The installed binary. */
  readonly binary: string;
  /** The version the installed binary reports, or undefined when it is missing or broken. */
  installedVersion(): string | undefined;
  /** Every finding on the YAML files under `dir`. */
  scan(dir: string): string[];
  /** Check ids this scanner must report on the canary (a privileged root container, `latest`, no limits). */
  readonly canaryChecks: readonly string[];
}

/** Where scripts/scanners/install.sh puts the scanners (same rule as the script). */
export function scannerHome(): string {
  return (
    process.env.SCANNERS_HOME ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'homelab-baseline', 'scanners')
  );
}

/** The pinned versions, read from versions.env so the script and the tests cannot disagree. */
export function pinnedVersions(): Record<string, string> {
  const text = fs.readFileSync(path.join(__dirname, 'versions.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^([A-Z_]+)=(\S+)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}

function run(binary: string, args: readonly string[], okCodes: readonly number[]): string {
  const r = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 300_000 });
  if (r.error) throw r.error;
  if (!okCodes.includes(r.status ?? -1)) {
    throw new Error(`${path.basename(binary)} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  }
  return r.stdout;
}

function sortedUnique(list: string[]): string[] {
  return [...new Set(list)].sort();
}

/** checkov (PyPI), Kubernetes framework only, no download of guidelines or external checks. */
function checkov(home: string, version: string): Scanner {
  const binary = path.join(home, 'bin', 'checkov');
  return {
    name: 'checkov',
    version,
    binary,
    installedVersion: () => tryRun(() => run(binary, ['--version'], [0]).trim()),
    canaryChecks: ['CKV_K8S_16', 'CKV_K8S_23', 'CKV_K8S_14', 'CKV_K8S_11', 'CKV_K8S_13'],
    scan(dir) {
      const out = run(binary, ['-d', dir, '--framework', 'kubernetes', '-o', 'json', '--quiet', '--soft-fail', '--skip-download'], [0]);
      const report = JSON.parse(out);
      const summary = report.summary ?? {};
      // A scanner that could not parse a file, or obeyed an in-manifest skip, has not checked everything.
      if (summary.parsing_errors || summary.skipped) {
        throw new Error(`checkov: ${summary.parsing_errors ?? 0} parsing error(s), ${summary.skipped ?? 0} skipped check(s) in ${dir}`);
      }
      const failed: { check_id: string; resource: string }[] = report.results?.failed_checks ?? [];
      return sortedUnique(failed.map((c) => `${c.check_id} ${c.resource}`));
    },
  };
}

/** kube-score (Go module proxy), with the security-relevant optional checks on and in-manifest ignores off. */
function kubeScore(home: string, version: string): Scanner {
  const binary = path.join(home, 'bin', 'kube-score');
  return {
    name: 'kube-score',
    version,
    binary,
    installedVersion: () => tryRun(() => /version: (\S+?),/.exec(run(binary, ['version'], [0]))?.[1]),
    canaryChecks: ['container-security-context-privileged', 'container-security-context-user-group-id', 'container-image-tag', 'container-resources'],
    scan(dir) {
      const files = yamlFilesUnder(dir);
      if (!files.length) throw new Error(`kube-score: no YAML files under ${dir}`);
      const args = [
        'score', '-o', 'json', '--kubernetes-version', 'v1.28',
        '--enable-optional-test', 'container-seccomp-profile', '--enable-optional-test', 'container-ports-check',
        '--disable-ignore-checks-annotations', '--disable-optional-checks-annotations',
        ...files,
      ];
      // Exit 1 means "found something", which is what a scanner is for.
      const objects = JSON.parse(run(binary, args, [0, 1])) as KubeScoreObject[];
      return sortedUnique(
        objects.flatMap((o) => {
          const id = `${o.type_meta.kind}/${o.object_meta.namespace ?? ''}/${o.object_meta.name}`;
          return o.checks
            .filter((c) => !c.skipped && c.grade < 10)
            .flatMap((c) =>
              (c.comments?.length ? c.comments : [{ path: '', summary: '' }]).map(
                (m) => `${c.check.id} ${id}${m.path ? ` [${m.path}]` : ''}${m.summary ? `: ${m.summary}` : ''}`,
              ),
            );
        }),
      );
    },
  };
}

interface KubeScoreObject {
  readonly type_meta: { readonly kind: string };
  readonly object_meta: { readonly name: string; readonly namespace?: string };
  readonly checks: readonly {
    readonly check: { readonly id: string };
    readonly grade: number;
    readonly skipped: boolean;
    readonly comments: readonly { readonly path?: string; readonly summary: string }[] | null;
  }[];
}

function tryRun(f: () => string | undefined): string | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** Every scanner, pinned as versions.env says. */
export function scanners(): Scanner[] {
  const home = scannerHome();
  const v = pinnedVersions();
  return [checkov(home, v.CHECKOV_VERSION), kubeScore(home, v.KUBE_SCORE_VERSION.replace(/^v/, ''))];
}

/**
 * A Deployment every scanner must flag: privileged, root, `latest`, no requests or limits. Written at test
 * time so no committed YAML ever carries it.
 */
export const CANARY_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: canary
  namespace: canary
spec:
  replicas: 1
  selector:
    matchLabels: {app: canary}
  template:
    metadata:
      labels: {app: canary}
    spec:
      containers:
        - name: canary
          image: busybox:latest
          securityContext:
            privileged: true
            runAsUser: 0
`;
