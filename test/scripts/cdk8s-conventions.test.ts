import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { MODULES, crdInput } from '../../scripts/import-crds';
import { tempDir, treeDigest } from '../util';

/**
 * The cdk8s CLI works as a cdk8s user expects: cdk8s.yaml names the imports, so `cdk8s import` regenerates
 * imports/ byte for byte; `cdk8s synth` runs the fast path; `cdk8s synth -o DIR` writes everything under DIR
 * and nothing else. Each runs the real CLI in a copy of the project.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const CDK8S = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const config = parse(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8'));
const TIMEOUT = 300_000;

/** A copy of the project's sources (node_modules linked, no build/ or outputs of other runs). */
function project(): string {
  const dir = path.join(tempDir('baseline-cdk8s-'), 'app');
  const skip = new Set(['.git', 'node_modules', 'build', 'reports', 'coverage', 'packages', 'examples']);
  for (const e of fs.readdirSync(ROOT)) {
    if (!skip.has(e) && !e.startsWith('.dist')) fs.cpSync(path.join(ROOT, e), path.join(dir, e), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // The pinned chart sources are read from ../shared beside the repository, as in a checkout.
  fs.symlinkSync(path.resolve(ROOT, '..', 'shared'), path.join(path.dirname(dir), 'shared'), 'dir');
  return dir;
}

/** treeDigest of the copy without node_modules (a link) and build/ (the transpile cache synth keeps). */
function sources(app: string): Record<string, string> {
  const all: Record<string, string> = {};
  for (const e of fs.readdirSync(app, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'build') continue;
    const p = path.join(app, e.name);
    if (e.isDirectory()) for (const [f, h] of Object.entries(treeDigest(p))) all[path.join(e.name, f)] = h;
    else all[e.name] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  }
  return all;
}

function cdk8s(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [CDK8S, ...args], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`cdk8s ${args.join(' ')} failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  return run;
}

describe('cdk8s.yaml', () => {
  test('names one import per module, from the verified input npm run imports keeps', () => {
    expect(config.imports).toEqual(MODULES.map((m) => `${m.name}:=${path.relative(ROOT, crdInput(path.join(ROOT, 'imports'), m.name))}`));
  });

  test('runs the fast path, never ts-node', () => {
    expect(config.app).toBe('node scripts/synth.js');
  });

  test('`cdk8s import` regenerates imports/ byte for byte and leaves cdk8s.yaml as it is', () => {
    const app = project();
    fs.rmSync(path.join(app, 'imports'), { recursive: true, force: true });
    cdk8s(app, 'import', '--no-check-upgrade');
    expect(treeDigest(path.join(app, 'imports'))).toEqual(treeDigest(path.join(ROOT, 'imports')));
    expect(fs.readFileSync(path.join(app, 'cdk8s.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8'));
  }, TIMEOUT);

  test('`cdk8s synth -o DIR` writes every output under DIR and changes nothing else', () => {
    const app = project();
    const before = sources(app);
    const out = path.join(path.dirname(app), 'out');
    cdk8s(app, 'synth', '--no-check-upgrade', '-o', out);

    const after = sources(app);
    const changed = Object.keys({ ...before, ...after }).filter((f) => before[f] !== after[f]);
    expect(changed).toEqual([]);
    expect(fs.readdirSync(path.join(out, '_reports')).sort()).toEqual(['inventory.txt', 'reachability.md', 'rules.json', 'security.md']);
    // The inventory under DIR lists exactly the objects written there.
    const inventory = fs.readFileSync(path.join(out, '_reports', 'inventory.txt'), 'utf8').split('\n').filter((l) => /^[A-Za-z]+\//.test(l));
    const manifests = Object.keys(treeDigest(out)).filter((f) => !f.startsWith('_reports'));
    expect(inventory).toHaveLength(manifests.length);
    expect(manifests.length).toBeGreaterThan(50);
  }, TIMEOUT);
});
