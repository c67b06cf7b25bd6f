/**
 * `npm run imports` (also run on install): generates the typed CRD classes in `imports/` with `cdk8s import`,
 * offline, from the pinned upstream CRDs in the shared folder. Nothing is generated unless every shared file
 * matches its SHA256SUMS line AND every imported file matches the digest pinned here in the repository, so a
 * tampered CRD (or a tampered SHA256SUMS) stops the install with the file, both digests and the fix.
 * The verified inputs (only the versions this project emits) are kept in `.crds/<name>.yaml` beside the
 * output folder, which cdk8s.yaml's `imports:` names, so a plain `cdk8s import` regenerates the same files.
 *
 * Usage: ts-node --swc scripts/import-crds.ts [--out DIR]   (default DIR: imports/ of the repository)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { replaceDirectory } from '../lib/synth/atomic-dir';
import { sha256, sharedDir, verifiedCrdFiles } from './shared-inputs';

/** Where a user outside this environment gets the same CRD files (README "Pinned upstream CRDs"). */
interface Upstream {
  readonly repo: string;
  readonly tag: string;
  readonly commit: string;
  /** The folder of the CRD files in the upstream repository. */
  readonly dir: string;
}

/** One generated module: `imports/<name>-<api group>.ts`, one per API group so imports never overwrite each other. */
interface ImportModule {
  readonly name: string;
  readonly upstream: Upstream;
  /** The folder under `<shared>/crds`. */
  readonly folder: string;
  /** Only these CRD versions are generated: the ones this project emits. */
  readonly versions: readonly string[];
  /** File name → sha256, pinned in the repository (defence in depth over the shared SHA256SUMS). */
  readonly files: Readonly<Record<string, string>>;
}

export const MODULES: readonly ImportModule[] = [
  {
    name: 'eso',
    upstream: {
      repo: 'external-secrets/external-secrets',
      tag: 'v0.20.4',
      commit: '9ee12d535a01dda40a1ea0c7d4fd5c545baa6dba',
      dir: 'config/crds/bases',
    },
    folder: 'external-secrets-v0.20.4',
    // ESO 0.20 serves v1 and v1beta1; this project emits v1 only, so v1beta1 classes are not even generated.
    versions: ['v1'],
    files: {
      'external-secrets.io_externalsecrets.yaml': '7fb31305a2bb3f45460a8481c038f48c33fc39e19bbe4ca546d18ded12b4dbde',
      'external-secrets.io_clustersecretstores.yaml': '344d698f4372d1d4d1e858521b681044f184b46d31adb9ccfb8cd7da00e65be2',
    },
  },
  {
    name: 'argocd',
    upstream: {
      repo: 'argoproj/argo-cd',
      tag: 'v2.14.21',
      commit: '206a6eeca509bbf7f239301f3d3fa498c23251a4',
      dir: 'manifests/crds',
    },
    folder: 'argo-cd-v2.14.21',
    versions: ['v1alpha1'],
    files: {
      'application-crd.yaml': '4e7079cab5df789e2dfbdc724ed6514875acb8d5c58445272229a7e1b9c0e139',
      'appproject-crd.yaml': 'd9a63cb9a12ef66bbf4e811c94fbaa3922af00ed7bb3af791e85dcd7337ffe4c',
    },
  },
];

/** The immutable download URL of one pinned file. */
export function upstreamUrl(m: ImportModule, file: string): string {
  return `https://raw.githubusercontent.com/${m.upstream.repo}/${m.upstream.commit}/${m.upstream.dir}/${file}`;
}

function howToRestore(): string {
  return MODULES.map(
    (m) => `${m.folder}/ = github.com/${m.upstream.repo} tag ${m.upstream.tag} (commit ${m.upstream.commit}), folder ${m.upstream.dir}/`,
  ).join('; ');
}

/** Reads one pinned file, checks it against the repository's pin and keeps only the wanted versions. */
function pinnedCrd(m: ImportModule, file: string, expected: string): string {
  const full = path.join(sharedDir(), 'crds', m.folder, file);
  const bytes = fs.readFileSync(full); // the very bytes that are hashed are the ones imported
  const actual = sha256(bytes);
  if (actual !== expected) {
    throw new Error(
      `${full}: sha256 ${actual} does not match ${expected} pinned in scripts/import-crds.ts. ` +
        `Allowed: the exact upstream file. Fix: download ${upstreamUrl(m, file)} (tag ${m.upstream.tag}) to ${full}, ` +
        'or, for a deliberate upgrade, update the pin and SHA256SUMS together.',
    );
  }
  const docs = parseAllDocuments(bytes.toString('utf8')).map((d) => d.toJSON());
  return docs
    .map((crd) => {
      const versions = (crd.spec.versions as { name: string }[]).filter((v) => m.versions.includes(v.name));
      if (versions.length !== m.versions.length) {
        throw new Error(`${full}: expected versions ${m.versions.join(', ')}, found ${crd.spec.versions.map((v: { name: string }) => v.name).join(', ')}`);
      }
      return stringify({ ...crd, spec: { ...crd.spec, versions } });
    })
    .join('---\n');
}

function cdk8sCli(): string {
  return path.join(path.dirname(require.resolve('cdk8s-cli/package.json')), 'bin', 'cdk8s');
}

/** The verified CRD input of module `name` for the imports in `outDir`: what cdk8s.yaml's `imports:` names. */
export function crdInput(outDir: string, name: string): string {
  return path.join(path.dirname(outDir), '.crds', `${name}.yaml`);
}

/**
 * Verifies every input, writes the verified inputs to `.crds/` beside `outDir`, generates every module from
 * them into a temp folder, then swaps it in as `outDir` (atomic, locked).
 */
export function importCrds(outDir: string): string[] {
  try {
    verifiedCrdFiles();
  } catch (e) {
    throw new Error(`${(e as Error).message} Upstream: ${howToRestore()}.`, { cause: e });
  }
  const inputs = MODULES.map((m) => ({
    m,
    yaml: Object.entries(m.files).map(([file, sha]) => pinnedCrd(m, file, sha)).join('---\n'),
  }));

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-import-'));
  const generatedDir = path.join(work, 'out');
  try {
    for (const { m, yaml } of inputs) {
      const input = crdInput(outDir, m.name);
      fs.mkdirSync(path.dirname(input), { recursive: true });
      fs.writeFileSync(input, yaml);
      // One spec per call: the CLI silently ignores every positional spec after the first.
      const args = ['import', '--no-check-upgrade', '--no-save', '--language', 'typescript', '--output', generatedDir, `${m.name}:=${input}`];
      const run = spawnSync(process.execPath, [cdk8sCli(), ...args], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`cdk8s import ${m.name} failed (exit ${run.status}):\n${run.stderr}${run.stdout}`);
    }
    const generated = fs.readdirSync(generatedDir).sort();
    replaceDirectory(outDir, new Map(generated.map((f) => [f, fs.readFileSync(path.join(generatedDir, f), 'utf8')])));
    return generated;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const outDir = path.resolve(at > 0 ? process.argv[at + 1] : path.join(__dirname, '..', 'imports'));
  try {
    const files = importCrds(outDir);
    process.stdout.write(`imports: verified the pinned CRDs, generated ${files.join(', ')} in ${outDir}\n`);
  } catch (e) {
    process.stderr.write(`imports: CRD import refused, nothing generated.\n${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
