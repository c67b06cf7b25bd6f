import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KubeObject, diffExitCode, diffObjects, renderDiffMarkdown } from '../lib';
import { connectivitySection } from './connectivity';

const USAGE = `usage: npm run diff [-- --base REF] [--dist DIR]

Compares the objects in DIR (default dist/) with those committed at REF, object by object
(kind, namespace, name), and prints a Markdown review summary.
REF defaults to the merge base of HEAD with main (or origin/main); HEAD when there is none.

Exit codes: 0 no change, 1 changes, 2 security widening (needs an acknowledgement), 3 error.
`;
/** A tool error: distinct from the diff's own exit codes so CI never mistakes it for "changes". */
const ERROR_EXIT = 3;

/** Where the CLI writes; tests pass their own. */
export interface DiffIo {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Runs the diff CLI with `argv` (without node and script) and returns its exit code. */
export function main(argv: readonly string[], io: DiffIo): number {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      io.out(USAGE);
      return 0;
    }
    const git = (...a: string[]): string => execFileSync('git', a, { cwd: io.cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
    const [base, label] = args.base ? [args.base, args.base] : defaultBase(git);
    const sha = tryGit(git, 'rev-parse', '--verify', '--quiet', `${base}^{commit}`)?.trim();
    if (!sha) throw new Error(`unknown git ref "${base}". Fix: pass --base with a branch, tag or commit (in CI: fetch with depth 0).`);
    const dist = path.resolve(io.cwd, args.dist);
    const inRepo = path.posix.join(git('rev-parse', '--show-prefix').trim(), path.relative(io.cwd, dist).split(path.sep).join('/'));
    const before = readCommitted(io.cwd, sha, inRepo);
    const after = readFolder(dist);
    const d = diffObjects(before, after);
    io.out(renderDiffMarkdown(d, { base: `${label} (${sha.slice(0, 12)})`, head: `${args.dist}/` }));
    io.out(reviewedFileSections(git, io.cwd, sha));
    io.out(connectivitySection(before, after));
    return diffExitCode(d);
  } catch (e) {
    io.err(`diff failed: ${(e as Error).message}\n`);
    return ERROR_EXIT;
  }
}

/**
 * The generated review files beside dist/, each as its own section of added (+) and removed (-) lines: new
 * connections of the truth table, new scanner findings, objects added to or removed from the inventory.
 */
export const REVIEWED_FILES: readonly { file: string; title: string }[] = [
  { file: 'docs/reachability.md', title: 'Reachability (truth table rows: + a new connection, - a removed one)' },
  { file: 'test/scanners/accepted-findings.json', title: 'Scanner findings (+ new, - gone)' },
  { file: 'dist.inventory.txt', title: 'Inventory (+ object added, - object ArgoCD prunes)' },
];

function reviewedFileSections(git: (...a: string[]) => string, cwd: string, sha: string): string {
  const sections: string[] = [];
  for (const { file, title } of REVIEWED_FILES) {
    const now = fs.existsSync(path.join(cwd, file)) ? fs.readFileSync(path.join(cwd, file), 'utf8') : '';
    const before = tryGit(git, 'show', `${sha}:${file}`) ?? '';
    const [a, b] = [new Set(before.split('\n')), new Set(now.split('\n'))];
    const added = [...b].filter((l) => l.trim() && !a.has(l)).map((l) => `+ ${l}`);
    const removed = [...a].filter((l) => l.trim() && !b.has(l)).map((l) => `- ${l}`);
    sections.push(`\n### ${title}: \`${file}\`\n\n${added.length || removed.length ? `\`\`\`diff\n${[...removed, ...added].join('\n')}\n\`\`\`` : 'No change.'}\n`);
  }
  return sections.join('');
}

function parseArgs(argv: readonly string[]): { base?: string; dist: string; help: boolean } {
  const out: { base?: string; dist: string; help: boolean } = { dist: 'dist', help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') out.help = true;
    else if ((a === '--base' || a === '--dist') && argv[i + 1] !== undefined) out[a === '--base' ? 'base' : 'dist'] = argv[++i];
    else if (a.startsWith('--base=')) out.base = a.slice('--base='.length);
    else if (a.startsWith('--dist=')) out.dist = a.slice('--dist='.length);
    else throw new Error(`unknown argument "${a}".\n${USAGE}`);
  }
  return out;
}

/** The merge base with main (on main itself that is HEAD), else HEAD; and how to name it. */
function defaultBase(git: (...a: string[]) => string): [string, string] {
  for (const branch of ['main', 'origin/main']) {
    const mergeBase = tryGit(git, 'merge-base', 'HEAD', branch)?.trim();
    if (mergeBase) return [mergeBase, `the merge base with ${branch}`];
  }
  return ['HEAD', 'HEAD'];
}

function tryGit(git: (...a: string[]) => string, ...args: string[]): string | undefined {
  try {
    return git(...args);
  } catch {
    return undefined;
  }
}

/** Every object in the YAML files under `dir` at commit `sha`, read with one `git cat-file --batch`. */
function readCommitted(cwd: string, sha: string, dir: string): KubeObject[] {
  const listing = execFileSync('git', ['ls-tree', '-r', '-z', sha, '--', dir], { cwd, maxBuffer: 1 << 30 }).toString('utf8');
  const blobs = listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, file] = line.split('\t');
      return { blob: meta.split(' ')[2], file, type: meta.split(' ')[1] };
    })
    .filter((e) => e.type === 'blob' && isYaml(e.file));
  if (!blobs.length) return [];
  const raw = execFileSync('git', ['cat-file', '--batch'], { cwd, input: blobs.map((b) => b.blob).join('\n') + '\n', maxBuffer: 1 << 30 });
  const objects: KubeObject[] = [];
  let at = 0;
  for (const { file } of blobs) {
    const headerEnd = raw.indexOf(10, at);
    const size = Number(raw.subarray(at, headerEnd).toString().split(' ')[2]);
    objects.push(...parseObjects(raw.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'), `${sha.slice(0, 12)}:${file}`));
    at = headerEnd + 1 + size + 1;
  }
  return objects;
}

function readFolder(dir: string): KubeObject[] {
  if (!fs.existsSync(dir)) throw new Error(`${dir} does not exist. Fix: run npm run synth first.`);
  return yamlFilesUnder(dir).flatMap((p) => parseObjects(fs.readFileSync(p, 'utf8'), p));
}

/** Every YAML file under `dir` (its path joined to `dir`), depth first, each folder in name order. */
export function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (isYaml(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function isYaml(file: string): boolean {
  return file.endsWith('.yaml') || file.endsWith('.yml');
}

/** The Kubernetes objects of one (multi-document) YAML file. */
function parseObjects(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`${source}: ${doc.errors[0].message}`);
    const o = doc.toJS() as KubeObject | null;
    if (o === null) continue;
    if (typeof o?.kind !== 'string' || typeof o.metadata?.name !== 'string') {
      throw new Error(`${source}: not a Kubernetes object (kind and metadata.name are required)`);
    }
    out.push(o);
  }
  return out;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    cwd: process.cwd(),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}
