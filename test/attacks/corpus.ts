/**
 * The attack corpus' machinery: one temporary copy of the repository (a git repository whose first commit is the
 * unchanged base), each case's edits applied to it, the gate run as the operator and CI run it (`scripts/synth.js`,
 * `build/scripts/diff.js --base HEAD`, as child processes in the copy), then the copy restored with git.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AttackCase, AttackEdit } from './attack-case';

const ROOT = path.resolve(__dirname, '..', '..');
/** What synth and the diff read: sources, generated imports, scripts, the committed outputs and reviewed files. */
const COPIED = [
  'main.ts', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'cdk8s.yaml', '.gitignore',
  'lib', 'homelab', 'imports', 'scripts', 'docs', 'dist', 'dist.inventory.txt', 'test/scanners/accepted-findings.json',
];

/** The verdict of one gate on one case. */
export interface GateResult {
  /** Which gate stopped it, or 'none'. */
  readonly stoppedBy: 'synth' | 'diff' | 'none';
  /** The first line of the refusal (synth) or the first widening (diff), or why nothing stopped it. */
  readonly evidence: string;
}

/** Every case of test/attacks/cases/*.ts, in file then list order; ids must be unique. */
export function loadCases(): AttackCase[] {
  const dir = path.join(__dirname, 'cases');
  const cases = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    // The case files are found by name at run time, so a static import cannot list them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .flatMap((f) => (require(path.join(dir, f)) as { CASES: AttackCase[] }).CASES);
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`attack case id "${c.id}" is used twice: ids must be unique across the corpus`);
    seen.add(c.id);
  }
  return cases;
}

/** One reusable copy of the repository; `run` applies edits, runs the gates and restores the base. */
export class RepoCopy {
  readonly dir: string;
  private readonly tmp: string;

  constructor() {
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attacks-'));
    this.dir = path.join(this.tmp, 'repo');
    for (const rel of COPIED) {
      const from = path.join(ROOT, rel);
      if (!fs.existsSync(from)) throw new Error(`${rel} is missing: run npm ci (imports/) and npm run synth first`);
      fs.cpSync(from, path.join(this.dir, rel), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(this.dir, 'node_modules'));
    // `../shared` of the copy: the pinned inputs, read in place.
    fs.symlinkSync(process.env.BASELINE_SHARED_DIR ?? path.resolve(ROOT, '..', 'shared'), path.join(this.tmp, 'shared'));
    this.git('init', '-q');
    this.git('add', '-A');
    this.git('-c', 'user.name=attacks', '-c', 'user.email=attacks@localhost', 'commit', '-q', '-m', 'base');
  }

  /**
   * Applies `edits` (each `find` must occur) after `tooling` (a canary's edit of a rule or check), runs the
   * gates up to `until`, restores the base. Synth runs when the case changes a source (a dist/ edit needs none,
   * and synth would overwrite it); the diff runs when synth passed and `until` is 'diff'.
   */
  async run(edits: readonly AttackEdit[], until: 'synth' | 'diff', tooling: readonly AttackEdit[] = []): Promise<GateResult> {
    try {
      for (const e of [...tooling, ...edits]) this.apply(e);
      if (edits.some((e) => !e.file.startsWith('dist/'))) {
        const synth = await this.synth();
        if (synth.stoppedBy === 'synth' || until === 'synth') return synth;
      } else {
        // The diff runs from build/: transpile what the previous case or a canary changed.
        const build = await this.node('scripts/build.js');
        if (build.status !== 0) throw new Error(`build failed in the copy: ${build.stderr}`);
      }
      return await this.diff();
    } finally {
      this.git('checkout', '-q', '--', '.');
      this.git('clean', '-fdq');
    }
  }

  /** Removes the copy. */
  dispose(): void {
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  private apply(e: AttackEdit): void {
    const file = path.join(this.dir, e.file);
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    const at = text?.indexOf(e.find) ?? -1;
    if (text === undefined || at < 0) throw new Error(`stale attack edit: ${JSON.stringify(e.find.slice(0, 80))} does not occur in ${e.file}`);
    fs.writeFileSync(file, text.slice(0, at) + e.replace + text.slice(at + e.find.length));
  }

  private async synth(): Promise<GateResult> {
    const r = await this.node('scripts/synth.js', { SYNTH_FORCE: '1', RULES_REPORT: 'build/rules.json' });
    if (r.status === 0) return { stoppedBy: 'none', evidence: 'synth passed' };
    // A refusal is the library's message; a stack trace (a crash, a syntax error) is not a gate holding.
    const known = r.stderr.startsWith('synth failed, dist/ left unchanged.') && !/\n\s+at /.test(r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('synth failed') && !l.startsWith('synth refused'));
    const evidence = (lines[0] ?? r.stderr).trim().slice(0, 400);
    return known ? { stoppedBy: 'synth', evidence } : { stoppedBy: 'none', evidence: `synth crashed (not a refusal): ${evidence}` };
  }

  private async diff(): Promise<GateResult> {
    const r = await this.node('build/scripts/diff.js', {}, ['--base', 'HEAD']);
    const widening = r.stdout.split('\n').find((l) => /^\s+- /.test(l))?.trim() ?? '';
    if (r.status === 2) return { stoppedBy: 'diff', evidence: widening };
    return { stoppedBy: 'none', evidence: `diff exited ${r.status}${r.stderr ? `: ${r.stderr.trim().slice(0, 300)}` : ''}` };
  }

  private node(script: string, env: Record<string, string> = {}, args: string[] = []): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, ...args], { cwd: this.dir, env: { ...process.env, ...env } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    });
  }

  private git(...args: string[]): void {
    const r = spawnSync('git', args, { cwd: this.dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${this.dir}: ${r.stderr}`);
  }
}

/** One gate run of the corpus: a case (or a canary's case) and what to apply. */
export interface Job {
  readonly key: string;
  readonly edits: readonly AttackEdit[];
  readonly until: 'synth' | 'diff';
  readonly tooling?: readonly AttackEdit[];
}

/**
 * Runs `jobs` on `copies` (one job per copy at a time, so as many run at once as there are copies) and returns
 * each job's verdict, or the error that kept it from running (a stale edit).
 */
export async function runJobs(copies: readonly RepoCopy[], jobs: readonly Job[]): Promise<Map<string, GateResult | Error>> {
  const results = new Map<string, GateResult | Error>();
  let next = 0;
  await Promise.all(copies.map(async (copy) => {
    while (next < jobs.length) {
      const job = jobs[next++];
      try {
        results.set(job.key, await copy.run(job.edits, job.until, job.tooling));
      } catch (e) {
        results.set(job.key, e as Error);
      }
    }
  }));
  return results;
}
