import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { AppProject, Application } from '../../imports/argocd-argoproj.io';
import { ClusterSecretStore, ExternalSecret } from '../../imports/eso-external-secrets.io';
import { MODULES, upstreamUrl } from '../../scripts/import-crds';
import { sharedDir } from '../../scripts/shared-inputs';
import { tempDir } from '../util';

const ROOT = path.resolve(__dirname, '..', '..');
const ESO_FILE = 'external-secrets-v0.20.4/external-secrets.io_externalsecrets.yaml';

/** Runs `npm run imports` as install does, against `shared` and into `out`. */
function runImports(shared: string, out: string) {
  return spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '.bin', 'ts-node'), '--swc', 'scripts/import-crds.ts', '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, BASELINE_SHARED_DIR: shared },
  });
}

/** A writable copy of the shared CRDs with one byte of `file` changed. */
function tamperedShared(file: string): string {
  const root = tempDir('baseline-tampered-');
  fs.cpSync(path.join(sharedDir(), 'crds'), path.join(root, 'crds'), { recursive: true });
  // The shared inputs are read-only; the copy must be writable (and removable after the test).
  for (const rel of ['', ...(fs.readdirSync(path.join(root, 'crds'), { recursive: true }) as string[])]) {
    const p = path.join(root, 'crds', rel);
    fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
  }
  const bytes = fs.readFileSync(path.join(root, 'crds', file));
  bytes[100] ^= 1;
  fs.writeFileSync(path.join(root, 'crds', file), bytes);
  return root;
}

describe('imports (npm run imports, run on install)', () => {
  test('package.json runs it on install', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts.postinstall).toMatch(/npm run (--silent )?imports/);
    expect(scripts.imports).toBe('ts-node --swc scripts/import-crds.ts');
  });

  test('the generated classes: ESO v1 only, ArgoCD v1alpha1, one module per API group', () => {
    expect(ExternalSecret.GVK).toEqual({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret' });
    expect(ClusterSecretStore.GVK).toEqual({ apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore' });
    expect(Application.GVK).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' });
    expect(AppProject.GVK).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject' });
    expect(fs.readdirSync(path.join(ROOT, 'imports')).sort()).toEqual(['argocd-argoproj.io.ts', 'eso-external-secrets.io.ts']);
    expect(fs.readFileSync(path.join(ROOT, 'imports', 'eso-external-secrets.io.ts'), 'utf8')).not.toMatch(/v1beta1/i);
  });

  test('the repository pins agree with the shared SHA256SUMS', () => {
    const sums = fs.readFileSync(path.join(sharedDir(), 'crds', 'SHA256SUMS'), 'utf8');
    for (const m of MODULES) {
      for (const [file, sha] of Object.entries(m.files)) expect(sums).toContain(`${sha}  ${m.folder}/${file}`);
    }
  });

  test('a tampered CRD stops the install: non-zero exit, file, both digests, upstream, nothing generated', () => {
    const shared = tamperedShared(ESO_FILE);
    const out = path.join(tempDir(), 'imports');
    const run = runImports(shared, out);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/CRD import refused, nothing generated/);
    expect(run.stderr).toMatch(
      /external-secrets\.io_externalsecrets\.yaml: sha256 [0-9a-f]{64} does not match the pinned 7fb31305a2bb3f45460a8481c038f48c33fc39e19bbe4ca546d18ded12b4dbde\./,
    );
    expect(run.stderr).toMatch(/github\.com\/external-secrets\/external-secrets tag v0\.20\.4 \(commit 9ee12d535a01dda40a1ea0c7d4fd5c545baa6dba\), folder config\/crds\/bases\//);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a CRD tampered together with SHA256SUMS is still refused by the repository pin, with the download URL', () => {
    const shared = tamperedShared(ESO_FILE);
    const sums = path.join(shared, 'crds', 'SHA256SUMS');
    const actual = createHash('sha256').update(fs.readFileSync(path.join(shared, 'crds', ESO_FILE))).digest('hex');
    fs.writeFileSync(sums, fs.readFileSync(sums, 'utf8').replace(/^[0-9a-f]{64}(?= {2}external-secrets-v0\.20\.4\/external-secrets\.io_externalsecrets\.yaml$)/m, actual));
    const out = path.join(tempDir(), 'imports');
    const run = runImports(shared, out);
    expect(run.status).not.toBe(0);
    const eso = MODULES.find((m) => m.name === 'eso')!;
    expect(run.stderr).toContain(`sha256 ${actual} does not match 7fb31305a2bb3f45460a8481c038f48c33fc39e19bbe4ca546d18ded12b4dbde pinned in scripts/import-crds.ts`);
    expect(run.stderr).toContain(`Fix: download ${upstreamUrl(eso, 'external-secrets.io_externalsecrets.yaml')} (tag v0.20.4)`);
    expect(upstreamUrl(eso, 'external-secrets.io_externalsecrets.yaml')).toBe(
      'https://raw.githubusercontent.com/external-secrets/external-secrets/9ee12d535a01dda40a1ea0c7d4fd5c545baa6dba/config/crds/bases/external-secrets.io_externalsecrets.yaml',
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});
