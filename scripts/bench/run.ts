import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command, Sample, measure, median } from './measure';
import { summarizeProfile } from './profile';
import { sharedDir } from '../shared-inputs';

const USAGE = `usage: npm run bench [-- --runs N] [--profile] [--disk]

Synthesizes, each in a fresh process, N times (median) after one warm-up run:
  the homelab (node build/main.js: constructs, rule pack, inventory), \`npm run synth\` (swc build + synth),
  synthetic baselines of 100 and 1000 namespaces built from the same constructs, the 1000 again with the
  rule pack and over an existing output (the edit loop), \`cdk8s synth\` as cdk8s.yaml runs it (the fast
  path) and \`cdk8s synth\` with cdk8s' default \`npx ts-node main.ts\` runner.
Work and output folders are in memory (/dev/shm) when it exists, so a shared disk does not blur the
numbers; one more case writes N=1000 to the disk. --disk puts everything on the disk (os.tmpdir()).
Prints a Markdown table and checks the targets; exits 1 when one fails.
--profile also writes a CPU profile of N=1000 and prints where the time goes.
`;

interface Case {
  readonly id: string;
  readonly label: string;
  readonly command: (outdir: string) => Command;
  /** Write into the same output folder every run (a re-synth replaces the previous tree). */
  readonly reuseOutdir?: boolean;
  /** Where the output folders go. @default the work folder (in memory when possible) */
  readonly outRoot?: string;
}

interface Result {
  readonly c: Case;
  readonly samples: Sample[];
  files: number;
  digest: string;
}

const repo = path.resolve(__dirname, '..', '..', '..');
const SHM = '/dev/shm';
const progress = (line: string): boolean => process.stderr.write(`[bench] ${line}\n`);

function main(argv: readonly string[]): number {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a positive integer, got "${argv[runsAt + 1]}"`);

  // Everything runs in memory (tmpfs) where there is one, so the numbers measure synth rather than this
  // machine's disk, which other jobs share; one case writes to the disk to show what that adds.
  const memory = !argv.includes('--disk') && fs.existsSync(SHM) ? SHM : os.tmpdir();
  const tmp = fs.mkdtempSync(path.join(memory, 'homelab-bench-'));
  const disk = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-bench-disk-'));
  try {
    // The copy is not beside ../shared: point it at the real pinned inputs (charts, CRDs).
    process.env.BASELINE_SHARED_DIR ??= sharedDir();
    // Chart renders: the warm cases share one cache (filled by the warm-up); the cold case starts empty each run.
    const helmCache = path.join(tmp, 'helm-cache');
    const app = workspace(tmp);
    fs.mkdirSync(path.join(tmp, 'out'));
    const node = process.execPath;
    const build = (...p: string[]): string => path.join(app, 'build', ...p);
    const synthetic = (n: number, ...flags: string[]) => (outdir: string): Command => ({
      argv: [node, build('scripts', 'bench', 'synthetic.js'), String(n), ...flags], cwd: app, env: { CDK8S_OUTDIR: outdir },
    });
    const cdk8sCli = path.join(repo, 'node_modules', '.bin', 'cdk8s');
    const cases: Case[] = [
      { id: 'homelab', label: 'homelab: `node build/main.js` (charts from the render cache)', command: (outdir) => ({ argv: [node, build('main.js')], cwd: app, env: { CDK8S_OUTDIR: outdir, HOMELAB_HELM_CACHE: helmCache } }) },
      {
        id: 'homelab-charts-cold',
        label: 'homelab: `node build/main.js`, empty render cache (helm renders every chart)',
        command: (outdir) => ({ argv: [node, build('main.js')], cwd: app, env: { CDK8S_OUTDIR: outdir, HOMELAB_HELM_CACHE: `${outdir}.helm-cache` } }),
      },
      { id: 'npm-synth', label: 'homelab: `npm run synth` (swc build + synth)', command: (outdir) => ({ argv: ['npm', 'run', '--silent', 'synth'], cwd: app, env: { CDK8S_OUTDIR: outdir } }) },
      // The edit loop: a second synth with nothing changed (the content-hash cache skips transpile and synth),
      // and one after a one-line edit of a homelab file (one file transpiled, full synth).
      { id: 'synth-warm', label: 'edit loop: `node scripts/synth.js`, no change', command: (outdir) => ({ argv: [node, 'scripts/synth.js'], cwd: app, env: { CDK8S_OUTDIR: outdir } }), reuseOutdir: true },
      { id: 'npm-synth-warm', label: 'edit loop: `npm run synth`, no change', command: (outdir) => ({ argv: ['npm', 'run', '--silent', 'synth'], cwd: app, env: { CDK8S_OUTDIR: outdir } }), reuseOutdir: true },
      {
        id: 'synth-one-file',
        label: 'edit loop: `node scripts/synth.js` after editing one file',
        command: (outdir) => ({ argv: ['bash', '-c', `echo "// edit $RANDOM$RANDOM" >> homelab/sizes.ts && exec ${node} scripts/synth.js`], cwd: app, env: { CDK8S_OUTDIR: outdir } }),
        reuseOutdir: true,
      },
      { id: 'cdk8s', label: 'homelab: `cdk8s synth` (cdk8s.yaml: `node scripts/synth.js`)', command: (outdir) => ({ argv: [cdk8sCli, 'synth', '--no-check-upgrade', '--output', outdir], cwd: app }) },
      { id: 'cdk8s-ts-node', label: 'homelab: `cdk8s synth --app "npx ts-node main.ts"` (cdk8s default)', command: (outdir) => ({ argv: [cdk8sCli, 'synth', '--no-check-upgrade', '--app', 'npx ts-node main.ts', '--output', outdir], cwd: app }) },
      { id: 'n100', label: 'synthetic N=100', command: synthetic(100) },
      { id: 'n1000', label: 'synthetic N=1000', command: synthetic(1000) },
      { id: 'n1000-rules', label: 'synthetic N=1000 with the rule pack', command: synthetic(1000, '--rules') },
      { id: 'n1000-replace', label: 'synthetic N=1000 over the previous output', command: synthetic(1000), reuseOutdir: true },
      { id: 'n1000-disk', label: `synthetic N=1000 written to disk (${os.tmpdir()})`, command: synthetic(1000), outRoot: disk },
    ];
    const results = cases.map((c): Result => ({ c, samples: [], files: 0, digest: '' }));
    progress(`${cases.length} cases, 1 warm-up + ${runs} runs each, interleaved; work folder ${tmp}`);
    for (let round = 0; round <= runs; round++) {
      for (const r of results) {
        const outdir = path.join(r.c.outRoot ?? path.join(tmp, 'out'), r.c.reuseOutdir ? r.c.id : `${r.c.id}-${round}`);
        const s = measure(r.c.command(outdir), tmp);
        if (round === 0) {
          [r.files, r.digest] = digest(outdir);
        } else r.samples.push(s);
        progress(`${round === 0 ? 'warm-up' : `run ${round}/${runs}`} ${r.c.id}: ${s.seconds.toFixed(2)} s (CPU ${s.cpuSeconds.toFixed(2)} s), ${s.peakMb.toFixed(0)} MB`);
        // Disk outputs stay until the end: deleting them between runs would make the next run pay for the
        // file system's cleanup (on a disk mounted with `discard` that is seconds), not for synth.
        if (!r.c.reuseOutdir && !r.c.outRoot) fs.rmSync(outdir, { recursive: true, force: true });
      }
    }
    const by = (id: string): Result => results.find((r) => r.c.id === id)!;
    const t = (id: string): number => median(by(id).samples.map((s) => s.seconds));
    const peak = (id: string): number => Math.max(...by(id).samples.map((s) => s.peakMb));
    const tsNode = t('cdk8s-ts-node');

    const out: string[] = [];
    out.push(`Machine: ${machine()}; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}.`);
    out.push(
      `Wall time: median of ${runs} runs after one warm-up, each in a fresh process writing a new output folder under ${memory}` +
        ' (except where the case says otherwise); CPU: median user + system time of the process tree.',
      '',
    );
    out.push('| case | median s | min–max s | CPU s | peak RSS MB | files | ts-node `cdk8s synth` ÷ this |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      const secs = r.samples.map((s) => s.seconds);
      const cpu = median(r.samples.map((s) => s.cpuSeconds));
      out.push(`| ${r.c.label} | ${t(r.c.id).toFixed(2)} | ${Math.min(...secs).toFixed(2)}–${Math.max(...secs).toFixed(2)} | ${cpu.toFixed(2)} | ${peak(r.c.id).toFixed(0)} | ${r.files} | ${(tsNode / t(r.c.id)).toFixed(1)}x |`);
    }
    const same = (id: string): string => (by(id).digest === by('homelab').digest ? 'the same bytes as' : 'DIFFERENT bytes from');
    out.push('', `\`cdk8s synth\` wrote ${same('cdk8s')} \`node build/main.js\`; with ts-node, ${same('cdk8s-ts-node')} it.`, '');

    const targets: [string, boolean][] = [
      [`homelab synth ${t('homelab').toFixed(2)} s < 0.5 s`, t('homelab') < 0.5],
      [`homelab synth ${(tsNode / t('homelab')).toFixed(1)}x faster than \`cdk8s synth\` with ts-node (≥ 5x)`, tsNode / t('homelab') >= 5],
      [`\`cdk8s synth\` ${t('cdk8s').toFixed(2)} s = ${(t('cdk8s') / t('npm-synth')).toFixed(2)}x \`npm run synth\` (≤ 2x)`, t('cdk8s') / t('npm-synth') <= 2],
      [`homelab synth with charts, warm render cache ${t('homelab').toFixed(2)} s ≤ 0.4 s`, t('homelab') <= 0.4],
      [`homelab synth with charts, cold (helm renders) ${t('homelab-charts-cold').toFixed(2)} s ≤ 6 s`, t('homelab-charts-cold') <= 6],
      [`N=1000 ${t('n1000').toFixed(2)} s < 3 s`, t('n1000') < 3],
      [`N=1000 peak RSS ${peak('n1000').toFixed(0)} MB < 300 MB`, peak('n1000') < 300],
      [`t(1000)/t(100) = ${(t('n1000') / t('n100')).toFixed(1)} ≤ 12`, t('n1000') / t('n100') <= 12],
    ];
    out.push('Targets:', '', ...targets.map(([text, ok]) => `- [${ok ? 'x' : ' '}] ${text}${ok ? '' : ' **FAILED**'}`));
    if (argv.includes('--profile')) out.push('', ...profile(tmp, synthetic(1000)(path.join(tmp, 'out', 'profile'))));
    process.stdout.write(`${out.join('\n')}\n`);
    return targets.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    progress('cleaning up');
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(disk, { recursive: true, force: true });
  }
}

/**
 * A copy of the project's sources in the temp folder (node_modules linked) with its own build/, so that
 * whatever a synth writes beside its output (reports, ts-node's work) never touches the working tree, and
 * a rebuild of the working tree's build/ during the run cannot break it.
 */
function workspace(tmp: string): string {
  const app = path.join(tmp, 'app');
  const skip = new Set(['.git', 'node_modules', 'build', 'dist', 'reports', 'coverage', 'packages', 'examples']);
  for (const e of fs.readdirSync(repo)) {
    if (!skip.has(e) && !e.startsWith('.dist')) fs.cpSync(path.join(repo, e), path.join(app, e), { recursive: true });
  }
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(app, 'node_modules'), 'dir');
  const built = spawnSync(process.execPath, ['scripts/build.js'], { cwd: app, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`scripts/build.js failed in ${app}:\n${built.stderr}`);
  return app;
}

/** How many files a synth wrote and a digest of their paths and bytes. */
function digest(dir: string): [number, string] {
  const hash = crypto.createHash('sha256');
  let files = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        hash.update(path.relative(dir, p)).update('\0').update(fs.readFileSync(p)).update('\0');
      }
    }
  };
  walk(dir);
  return [files, hash.digest('hex')];
}

function profile(tmp: string, cmd: Command): string[] {
  const dir = path.join(tmp, 'profile');
  progress('profiling N=1000 with node --cpu-prof');
  measure({ ...cmd, argv: [cmd.argv[0], '--cpu-prof', `--cpu-prof-dir=${dir}`, ...cmd.argv.slice(1)] }, tmp);
  const file = path.join(dir, fs.readdirSync(dir)[0]);
  const kept = path.join(repo, 'reports', 'bench-n1000.cpuprofile');
  fs.mkdirSync(path.dirname(kept), { recursive: true });
  fs.copyFileSync(file, kept);
  const p = summarizeProfile(file);
  const table = (rows: { name: string; ms: number }[]): string[] => rows.map((r) => `| ${r.ms.toFixed(0)} | \`${r.name}\` |`);
  return [
    `CPU profile of N=1000 (${p.total.toFixed(0)} ms sampled; kept in reports/bench-n1000.cpuprofile):`, '',
    '| self ms | function |', '|---:|---|', ...table(p.self), '',
    '| inclusive ms | project function |', '|---:|---|', ...table(p.ours),
  ];
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`bench failed: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
