/**
 * Faults: a synth that is killed, throws, runs out of disk, meets a read-only target or races another
 * synth never leaves dist/ incomplete or changed. Each scenario runs the real pipeline in a child process
 * built from the sources into a private folder.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir, treeDigest } from '../util';

jest.setTimeout(120_000); // child processes; a busy 2-core CI machine can be slow

const ROOT = path.resolve(__dirname, '..', '..');
const work = tempDir('baseline-faults-');
const BUILD = path.join(work, 'build');

// The child synthesizes N namespaces (a Namespace and 3 NetworkPolicies each) into argv[2] through the real
// collectManifests + writeManifests; FAIL=construct|render makes it throw while building or rendering.
const CHILD = `
const { App, Chart, Lazy, ApiObject } = require('cdk8s');
const lib = require(${JSON.stringify(path.join(BUILD, 'lib'))});
const [outdir, n, tag] = process.argv.slice(2);
const app = new App();
for (let i = 0; i < Number(n); i++) {
  const chart = new Chart(app, 'c' + i);
  const ns = new lib.HardenedNamespace(chart, 'ns', { name: 'ns-' + i, labels: { tag } });
  new lib.DefaultDenyPolicies(chart, 'net', { namespace: ns });
  if (process.env.FAIL === 'construct' && i === Number(n) - 1) throw new Error('construct failed on purpose');
}
if (process.env.FAIL === 'render') {
  new ApiObject(new Chart(app, 'bad'), 'x', { apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'x', namespace: 'ns-0' }, data: { k: Lazy.any({ produce: () => { throw new Error('render failed on purpose'); } }) } });
}
lib.writeManifests(outdir, lib.collectManifests(app));
`;
const childFile = path.join(work, 'child.js');

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), ...extra };
}

function synth(outdir: string, n: number, tag: string, extra: Record<string, string> = {}) {
  return spawnSync('node', [childFile, outdir, String(n), tag], { env: env(extra), encoding: 'utf8' });
}

/** Runs `script` as root in a private mount namespace (mounts vanish with it). */
function inMountNamespace(script: string) {
  return spawnSync('unshare', ['-m', 'sh', '-ec', script], { env: env(), encoding: 'utf8' });
}

beforeAll(() => {
  const built = spawnSync('node', [path.join(ROOT, 'scripts', 'build.js'), '--out', BUILD], { encoding: 'utf8' });
  expect(built.stderr).toBe('');
  fs.writeFileSync(childFile, CHILD);
});

function freshDist(name: string): { dist: string; before: Record<string, string> } {
  const dist = path.join(work, name, 'dist');
  fs.mkdirSync(path.dirname(dist), { recursive: true });
  const r = synth(dist, 3, 'previous');
  expect(r.stderr).toBe('');
  const before = treeDigest(dist);
  expect(Object.keys(before)).toHaveLength(3 * 4);
  return { dist, before };
}

function leftovers(dist: string): string[] {
  return fs.readdirSync(path.dirname(dist)).filter((f) => f !== 'dist');
}

test('killed mid-write (SIGKILL while staging files): dist/ unchanged; the next synth sweeps the debris', async () => {
  const { dist, before } = freshDist('killed');
  const child: ChildProcess = spawn('node', [childFile, dist, '3000', 'new'], { env: env(), stdio: 'ignore' });
  const staging = path.join(path.dirname(dist), `.dist.staging-${child.pid}`, '_cluster');
  // Kill as soon as the staging folder holds some files but not all of them.
  const deadline = Date.now() + 60_000;
  while (!(fs.existsSync(staging) && fs.readdirSync(staging).length >= 50)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the child never reached the write phase');
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  expect(fs.readdirSync(staging).length).toBeLessThan(3000); // really cut off mid-write
  expect(treeDigest(dist)).toEqual(before);

  const next = synth(dist, 2, 'after');
  expect(next.stderr).toBe('');
  expect(Object.keys(treeDigest(dist))).toHaveLength(2 * 4);
  expect(leftovers(dist)).toEqual([]); // stale staging folder and lock are gone
});

test.each(['construct', 'render'])('a %s that throws fails synth and leaves dist/ unchanged', (fail) => {
  const { dist, before } = freshDist(`throws-${fail}`);
  const r = synth(dist, 5, 'new', { FAIL: fail });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(new RegExp(`${fail} failed on purpose`));
  expect(treeDigest(dist)).toEqual(before);
  expect(leftovers(dist)).toEqual([]);
});

test('a full disk (ENOSPC while staging) fails synth and leaves dist/ unchanged', () => {
  const dir = path.join(work, 'full');
  fs.mkdirSync(dir, { recursive: true });
  // A 256 KiB filesystem holds the small previous tree, not the 2000-namespace one.
  const r = inMountNamespace(`
    mount -t tmpfs -o size=256k tmpfs ${dir}
    node ${childFile} ${dir}/dist 3 previous
    find ${dir}/dist -type f -exec sha256sum {} + | sort > ${work}/full-before
    if node ${childFile} ${dir}/dist 2000 new 2> ${work}/full-err; then echo "synth unexpectedly succeeded"; exit 1; fi
    find ${dir}/dist -type f -exec sha256sum {} + | sort > ${work}/full-after
    ls -A ${dir} > ${work}/full-ls
  `);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(fs.readFileSync(path.join(work, 'full-err'), 'utf8')).toMatch(/ENOSPC/);
  const beforeLines = fs.readFileSync(path.join(work, 'full-before'), 'utf8');
  expect(beforeLines.trim().split('\n')).toHaveLength(12);
  expect(fs.readFileSync(path.join(work, 'full-after'), 'utf8')).toBe(beforeLines);
  expect(fs.readFileSync(path.join(work, 'full-ls'), 'utf8').trim()).toBe('dist');
});

test('a read-only target fails synth with the error and leaves dist/ unchanged', () => {
  const { dist, before } = freshDist('readonly');
  const parent = path.dirname(dist);
  const r = inMountNamespace(`
    mount --bind -o ro ${parent} ${parent}
    if node ${childFile} ${dist} 5 new 2> ${work}/ro-err; then echo "synth unexpectedly succeeded"; exit 1; fi
  `);
  expect(r.stdout + r.stderr).toBe('');
  expect(fs.readFileSync(path.join(work, 'ro-err'), 'utf8')).toMatch(/EROFS|read-only file system/);
  expect(treeDigest(dist)).toEqual(before);
});

test('two synths started at once do not corrupt dist/: the result is one complete tree', async () => {
  const { dist } = freshDist('concurrent');
  const run = (n: number, tag: string) =>
    new Promise<number>((resolve) => spawn('node', [childFile, dist, String(n), tag], { env: env(), stdio: 'ignore' }).once('exit', (c) => resolve(c ?? -1)));
  const codes = await Promise.all([run(200, 'a'), run(150, 'b')]);
  expect(codes).toEqual([0, 0]);
  const files = Object.keys(treeDigest(dist));
  // Whichever finished last wins, whole: 200 or 150 namespaces, never a mix.
  expect([200 * 4, 150 * 4]).toContain(files.length);
  const tags = new Set(fs.readdirSync(path.join(dist, '_cluster')).map((f) => /tag: (\w+)/.exec(fs.readFileSync(path.join(dist, '_cluster', f), 'utf8'))![1]));
  expect(tags.size).toBe(1);
  expect(leftovers(dist)).toEqual([]);
});
