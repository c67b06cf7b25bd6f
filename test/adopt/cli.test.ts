import * as fs from 'fs';
import * as path from 'path';
import { KubeObject, ParityStatus, toYaml } from '../../lib';
import { main } from '../../scripts/adopt';
import { tempDir, treeDigest } from '../util';
import { agentsHomelab } from './fixtures/agents-homelab/homelab';

// The CLI end to end: its arguments, reading folders of YAML, the two formats and the exit codes.
const FIXTURE = path.join(__dirname, 'fixtures', 'agents-homelab', 'existing');

function run(cwd: string, ...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { cwd, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** A repository-like folder with `dist/` holding `objects`, one file each (as synth writes them). */
function repoWithDist(objects: readonly KubeObject[]): string {
  const repo = tempDir('baseline-adopt-');
  for (const o of objects) {
    const dir = path.join(repo, 'dist', o.metadata.namespace ?? '_cluster');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`), toYaml(o));
  }
  return repo;
}

const dist = agentsHomelab();

test('Markdown: a table with one row per object, exit 1 when something is looser, missing or immutable; dist/ untouched', () => {
  const repo = repoWithDist(dist);
  const before = treeDigest(path.join(repo, 'dist'));
  const r = run(repo, '--from', FIXTURE);
  expect(r.err).toBe('');
  expect(r.code).toBe(1);
  expect(r.out).toContain('| status | kind | namespace | name | detail |');
  expect(r.out).toMatch(/^\| immutable \| StatefulSet \| agents \| postgres \| /m);
  expect(r.out).toMatch(/^\| renamed \| Role \| agents \| agent-reader \| .*Fix: set AgentRbac `roleName`: 'agent-reader' \|$/m);
  expect(treeDigest(path.join(repo, 'dist'))).toEqual(before);
});

test('--format json: one {kind, namespace, name, status, detail} object per line', () => {
  const repo = repoWithDist(dist);
  const r = run(repo, '--from', FIXTURE, '--format', 'json');
  expect(r.code).toBe(1);
  const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(lines.length).toBeGreaterThan(10);
  for (const l of lines) {
    expect(Object.keys(l)).toEqual(['kind', 'namespace', 'name', 'status', 'detail']);
    expect(Object.values(ParityStatus)).toContain(l.status);
  }
  expect(lines.find((l) => l.kind === 'ClusterRole')).toMatchObject({ namespace: null, name: 'agents-agent', status: 'looser' });
});

test('exit 0 when the existing manifests are dist/ itself, read as one multi-document file (--dist elsewhere)', () => {
  const repo = repoWithDist(dist);
  fs.renameSync(path.join(repo, 'dist'), path.join(repo, 'out'));
  fs.writeFileSync(path.join(repo, 'existing.yaml'), dist.map((o) => toYaml(o)).join('---\n'));
  const r = run(repo, '--from', 'existing.yaml', '--dist', 'out', '--format', 'json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out.trimEnd().split('\n').every((l) => JSON.parse(l).status === 'match')).toBe(true);
});

test('a `kind: List` document (kubectl get -o yaml) is read item by item', () => {
  const repo = repoWithDist(dist);
  fs.writeFileSync(path.join(repo, 'list.yaml'), toYaml({ apiVersion: 'v1', kind: 'List', items: dist } as any));
  const r = run(repo, '--from', 'list.yaml', '--format', 'json');
  expect(r.code).toBe(0);
  expect(r.out.trimEnd().split('\n')).toHaveLength(dist.length);
});

test('--namespace: namespaced objects without one are read in it (cluster-scoped ones stay without)', () => {
  const repo = repoWithDist(dist);
  const strip = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, namespace: undefined } });
  const plain = dist.filter((o) => ['NetworkPolicy', 'ClusterRole'].includes(o.kind)).map(strip);
  fs.writeFileSync(path.join(repo, 'plain.yaml'), plain.map((o) => toYaml(o)).join('---\n'));
  const rows = (argv: string[]) => run(repo, '--from', 'plain.yaml', '--format', 'json', ...argv).out.trimEnd().split('\n').map((l) => JSON.parse(l));
  const inAgents = rows(['--namespace', 'agents']).filter((r) => r.status !== 'extra');
  expect(inAgents.map((r) => `${r.kind} ${r.namespace} ${r.status}`).sort()).toEqual([
    'ClusterRole null match', 'NetworkPolicy agents match', 'NetworkPolicy agents match', 'NetworkPolicy agents match', 'NetworkPolicy agents match',
  ]);
  // Without --namespace they are in "default", where dist/ has none of them.
  expect(rows([]).filter((r) => r.kind === 'NetworkPolicy' && r.status === 'missing').every((r) => r.namespace === 'default')).toBe(true);
  expect(rows([]).filter((r) => r.kind === 'NetworkPolicy' && r.status === 'missing')).toHaveLength(4);
});

describe('exit 3 with the file and the reason when the input cannot be read; dist/ untouched', () => {
  const cases: [string, (dir: string) => void, RegExp][] = [
    ['an unreadable file (a dangling link)', (d) => fs.symlinkSync(path.join(d, 'nowhere.yaml'), path.join(d, 'broken.yaml')), /^adopt: cannot read in\/broken\.yaml: cannot be read \(ENOENT\)/],
    ['invalid YAML', (d) => fs.writeFileSync(path.join(d, 'bad.yaml'), 'kind: [unclosed\n'), /^adopt: cannot read in\/bad\.yaml: document 1 is not valid YAML/],
    ['a document that is not a Kubernetes object', (d) => fs.writeFileSync(path.join(d, 'values.yaml'), 'replicaCount: 2\nimage: nginx\n'), /^adopt: cannot read in\/values\.yaml: document 1 is not a Kubernetes object \(no apiVersion, kind, metadata\.name\)/],
    ['a Kustomization', (d) => fs.writeFileSync(path.join(d, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n'), /^adopt: cannot read in\/kustomization\.yaml: document 1 is a Kustomization.*kubectl kustomize/],
    ['a duplicate object', (d) => {
      const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: x }\n';
      fs.writeFileSync(path.join(d, 'one.yaml'), cm);
      fs.writeFileSync(path.join(d, 'two.yaml'), `---\n${cm}`);
    }, /^adopt: cannot read in\/two\.yaml: duplicate object ConfigMap x\/a \(also in .*one\.yaml\)/],
    ['a folder without YAML', () => undefined, /^adopt: cannot read in: holds no \.yaml or \.yml file/],
  ];
  test.each(cases)('%s', (_what, make, message) => {
    const repo = repoWithDist(dist);
    fs.mkdirSync(path.join(repo, 'in'));
    make(path.join(repo, 'in'));
    const before = treeDigest(path.join(repo, 'dist'));
    const r = run(repo, '--from', 'in');
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(treeDigest(path.join(repo, 'dist'))).toEqual(before);
  });

  test.each([[['--format', 'csv', '--from', 'x']], [[]], [['--from']]])('bad arguments %j', (argv) => {
    const r = run(tempDir(), ...argv);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^adopt: .*\nusage: npm run adopt/);
  });
});

test('README\'s "Adopting an existing homelab" commands on repository paths run from the checkout (fixture against dist/)', () => {
  const root = path.resolve(__dirname, '..', '..');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Adopting an existing homelab'), readme.indexOf('## Reviewing changes'));
  const runnable = [...section.matchAll(/^npm run adopt -- (--from test\/\S+)/gm)].map((m) => m[1].split(' '));
  expect(runnable.length).toBeGreaterThan(0);
  for (const argv of runnable) {
    const r = run(root, ...argv);
    expect(r.err).toBe('');
    // dist/ is the real homelab, not the fixture's: everything differs, and the report says so (exit 1, not 3).
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^\| missing \| ConfigMap \| media \| jellyfin-legacy-env \| not in dist\/ \|$/m);
  }
});
