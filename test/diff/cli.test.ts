import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { DefaultDenyPolicies, HardenedNamespace, Manifest, Port, toYaml } from '../../lib';
import { main } from '../../scripts/diff';
import { synthManifests, tempDir } from '../util';

// End to end: a real git repository, a committed dist/, a change in the working tree, the CLI's own
// argument parsing, git reading and Markdown output.
const ROOT = path.resolve(__dirname, '..', '..');
const repo = tempDir('baseline-diff-');
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' };
const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' });

function writeDist(manifests: readonly Manifest[], render: (m: Manifest) => string = (m) => toYaml(m.object)): void {
  fs.rmSync(path.join(repo, 'dist'), { recursive: true, force: true });
  for (const m of manifests) {
    fs.mkdirSync(path.join(repo, 'dist', m.folder), { recursive: true });
    fs.writeFileSync(path.join(repo, 'dist', m.folder, m.file), render(m));
  }
}

function homelab(tailnetPorts: Port[]): Manifest[] {
  return synthManifests((app) => {
    const chart = new Chart(app, 'apps');
    const ns = new HardenedNamespace(chart, 'ns', { name: 'apps' });
    new DefaultDenyPolicies(chart, 'net', { namespace: ns, tailnetIngress: tailnetPorts });
  });
}

function run(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { cwd: repo, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

beforeAll(() => {
  git('init', '--quiet', '--initial-branch=main');
  writeDist(homelab([Port.tcp(8080)]));
  git('add', 'dist');
  git('commit', '--quiet', '-m', 'dist');
  git('checkout', '--quiet', '-b', 'feature');
});

test('a port added in the working tree: exit code 2 and the widening in the Markdown summary', () => {
  writeDist(homelab([Port.tcp(8080), Port.tcp(9090)]));
  const { code, out, err } = run(); // default base: the merge base with main
  expect(err).toBe('');
  expect(code).toBe(2);
  expect(out).toContain('**Security widening: 1 finding(s) need an acknowledgement.**');
  expect(out).toContain('  - NetworkPolicy apps/allow-tailnet-ingress: Ingress from 100.64.0.0/10 on TCP/9090 now allowed (port added)');
  expect(out).toContain('- NetworkPolicy apps/allow-tailnet-ingress: `spec.ingress[0].ports`');
  expect(out).toMatch(/^## Synth diff: dist\/ against the merge base with main \([0-9a-f]{12}\)$/m);
});

test('as a process (what CI runs): the same summary on stdout, exit code 2', () => {
  const cli = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'ts-node'), ['--swc', path.join(ROOT, 'scripts', 'diff.ts'), '--base', 'main'], {
    cwd: repo,
    encoding: 'utf8',
  });
  expect(cli.stderr).toBe('');
  expect(cli.status).toBe(2);
  expect(cli.stdout).toContain('Ingress from 100.64.0.0/10 on TCP/9090 now allowed (port added)');
});

test('a pure reformatting of every file is no change: exit code 0', () => {
  writeDist(homelab([Port.tcp(8080)]), (m) => `# reformatted\n${JSON.stringify(m.object, null, 4)}\n`);
  const { code, out } = run('--base', 'main');
  expect(code).toBe(0);
  expect(out).toContain('**No change.**');
});

test('an unknown ref is a tool error (exit code 3), never mistaken for "changes"', () => {
  const { code, err } = run('--base', 'no-such-branch');
  expect(code).toBe(3);
  expect(err).toContain('unknown git ref "no-such-branch"');
});
