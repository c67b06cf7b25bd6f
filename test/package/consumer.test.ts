import { SpawnSyncReturns, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';

/**
 * The library as another homelab gets it: `npm pack` of packages/lib (its prepack builds it from lib/ and
 * the verified CRD inputs), the tarball installed into a fresh project holding only examples/minimal (the
 * package, its peers cdk8s and constructs, and typescript + @types/node to compile), from the local npm
 * cache (the registry only for what the cache lacks). Then `tsc --strict` against the shipped types, synth,
 * and the objects a baseline promises. Nothing of the repository is on the consumer's module path.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'minimal');
const TIMEOUT = 600_000;

function run(cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

interface PackedFile {
  readonly path: string;
}

let work: string;
let app: string;
let files: string[];
let objects: any[];

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-consumer-'));
  const out = ok(run('npm', ['pack', '--json', '--pack-destination', work], path.join(ROOT, 'packages', 'lib')), 'npm pack');
  const packed = JSON.parse(out.slice(out.search(/^\[/m))); // after what prepack (the build) prints
  files = (packed[0].files as PackedFile[]).map((f) => f.path).sort();
  const tarball = path.join(work, packed[0].filename);

  app = path.join(work, 'my-homelab');
  fs.cpSync(EXAMPLE, app, { recursive: true, filter: (src) => !/[/\\](node_modules|build|dist)$/.test(src) });
  ok(run('npm', ['install', '--prefer-offline', tarball], app), 'npm install of the tarball');
}, TIMEOUT);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const tsc = (...args: string[]) => run(process.execPath, [path.join(app, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], app);

describe('the packed library', () => {
  test('holds only compiled lib/ and CRD bindings (.js + .d.ts), package.json and README', () => {
    const stray = files.filter((f) => !/^(package\.json|README\.md|out\/(lib|imports)\/[\w./-]+\.(js|d\.ts))$/.test(f));
    expect(stray).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['out/lib/index.js', 'out/lib/index.d.ts', 'out/imports/argocd-argoproj.io.d.ts', 'out/imports/eso-external-secrets.io.d.ts']));
    // every lib/ source is compiled: a new file needs no build edit
    const sources = fs.readdirSync(path.join(ROOT, 'lib'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const missing = sources.map((f) => `out/lib/${f.split(path.sep).join('/').replace(/\.ts$/, '.d.ts')}`).filter((f) => !files.includes(f));
    expect(missing).toEqual([]);
  });

  test('installs without scripts, peers on cdk8s and constructs, and every export resolves', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', '@homelab-baseline', 'lib', 'package.json'), 'utf8'));
    expect(Object.keys(manifest.scripts ?? {}).filter((s) => /^(pre|post)?install$|^prepare$/.test(s))).toEqual([]);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['cdk8s', 'constructs']);
    // The starter pins what this project builds and tests with.
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const example = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'package.json'), 'utf8'));
    const pinned = { ...root.dependencies, ...root.devDependencies };
    for (const [name, version] of Object.entries({ ...example.dependencies, ...example.devDependencies })) {
      if (name !== manifest.name) expect(`${name}@${version}`).toBe(`${name}@${pinned[name]}`);
    }
    expect(example.dependencies[manifest.name]).toBe(manifest.version);
    for (const sub of Object.keys(manifest.exports).filter((s) => s !== './package.json')) {
      const spec = path.posix.join('@homelab-baseline/lib', sub);
      const loaded = ok(run(process.execPath, ['-e', `process.stdout.write(String(Object.keys(require(${JSON.stringify(spec)})).length))`], app), `require(${spec})`);
      expect(Number(loaded)).toBeGreaterThan(0);
    }
  });
});

describe('a homelab built on the installed package', () => {
  beforeAll(() => {
    ok(tsc('-p', 'tsconfig.json'), 'tsc --strict of examples/minimal');
    ok(run(process.execPath, ['build/main.js'], app), 'synth');
    const dist = path.join(app, 'dist');
    objects = fs.readdirSync(dist, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => parse(fs.readFileSync(path.join(dist, f), 'utf8')));
  }, TIMEOUT);

  const find = (kind: string, name: string) => {
    const hits = objects.filter((o) => o.kind === kind && o.metadata.name === name);
    if (hits.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${hits.length}`);
    return hits[0];
  };

  test('compiles with tsc --strict, and the shipped types refuse a wrong prop (canary)', () => {
    const config = JSON.parse(fs.readFileSync(path.join(app, 'tsconfig.json'), 'utf8'));
    expect(config.compilerOptions.strict).toBe(true);
    // The same homelab with a string uid: were the types `any`, this would compile.
    fs.writeFileSync(path.join(app, 'canary.ts'), fs.readFileSync(path.join(app, 'main.ts'), 'utf8').replace('runAsUser: 10001', "runAsUser: '10001'"));
    const canary = tsc('--noEmit', '-p', 'tsconfig.json');
    fs.rmSync(path.join(app, 'canary.ts'));
    expect(canary.status).not.toBe(0);
    expect(canary.stdout).toMatch(/canary\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  });

  test('the Namespace enforces the restricted Pod Security level, with pinned versions', () => {
    const labels = find('Namespace', 'whoami').metadata.labels;
    for (const mode of ['enforce', 'audit', 'warn']) {
      expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
      expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toMatch(/^v1\.\d+$/);
    }
  });

  test('the namespace has the default-deny trio', () => {
    const all = find('NetworkPolicy', 'default-deny-all').spec;
    expect(all).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const same = find('NetworkPolicy', 'allow-same-namespace').spec;
    expect(same.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(same.egress).toEqual([{ to: [{ podSelector: {} }] }]);
    const dns = find('NetworkPolicy', 'allow-dns').spec;
    expect(dns.policyTypes).toEqual(['Egress']);
    expect(dns.egress[0].ports).toEqual(expect.arrayContaining([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]));
    expect(dns.egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }]);
  });

  test('the Deployment is hardened', () => {
    const pod = find('Deployment', 'whoami').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers).toHaveLength(1);
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
    });
  });

  test('the security report is generated from the generic template, sections filled', () => {
    const report = fs.readFileSync(path.join(app, 'docs', 'security.md'), 'utf8');
    expect(report).toMatch(/<!-- generated:pod-security -->\n[^<]*`whoami`[^<]*restricted[^<]*<!-- \/generated:pod-security -->/);
  });
});
