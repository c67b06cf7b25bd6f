import * as path from 'path';
import { ManifestInputError, compareParity, parityExitCode, readManifests, renderParityJson, renderParityMarkdown } from '../lib';

const USAGE = `usage: npm run adopt -- --from DIR [--dist DIR] [--format markdown|json] [--namespace NS]

Compares the manifests that run today (DIR: plain YAML, multi-document files, \`kubectl kustomize\` output)
with dist/, object by object (kind, namespace, name): match, renamed (with the \`name\` to set), missing,
extra, looser, stricter, different, immutable. Prints a Markdown table, or with --format json one
{kind, namespace, name, status, detail} object per line. Namespaced objects without a namespace are read
as in NS (default: default), as \`kubectl apply -n NS\` would apply them. Reads only; never writes dist/.

Exit codes: 0 nothing looser, missing or immutable; 1 otherwise; 3 the input cannot be read (file and reason).
`;
const INPUT_ERROR = 3;

/** Where the CLI writes; tests pass their own. */
export interface AdoptIo {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

interface Args {
  from?: string;
  dist: string;
  format: 'markdown' | 'json';
  namespace: string;
  help: boolean;
}

/** Runs the adopt CLI with `argv` (without node and script) and returns its exit code. */
export function main(argv: readonly string[], io: AdoptIo): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.err(`adopt: ${(e as Error).message}\n${USAGE}`);
    return INPUT_ERROR;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  try {
    const existing = readManifests(path.resolve(io.cwd, args.from!), { namespace: args.namespace }).map((s) => s.object);
    const dist = readManifests(path.resolve(io.cwd, args.dist)).map((s) => s.object);
    const rows = compareParity(existing, dist);
    io.out(args.format === 'json' ? renderParityJson(rows) : renderParityMarkdown(rows, { from: args.from!, dist: args.dist }));
    return parityExitCode(rows);
  } catch (e) {
    if (!(e instanceof ManifestInputError)) throw e;
    io.err(`adopt: cannot read ${path.relative(io.cwd, e.file) || e.file}: ${e.reason}\n`);
    return INPUT_ERROR;
  }
}

function parseArgs(argv: readonly string[]): Args {
  const out: Args = { dist: 'dist', format: 'markdown', namespace: 'default', help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '-h' || flag === '--help') out.help = true;
    else if (flag === '--from') out.from = value();
    else if (flag === '--dist') out.dist = value();
    else if (flag === '--namespace') out.namespace = value();
    else if (flag === '--format') {
      const f = value();
      if (f !== 'markdown' && f !== 'json') throw new Error(`unknown format "${f}" (allowed: markdown, json)`);
      out.format = f;
    } else throw new Error(`unknown argument "${a}"`);
  }
  if (!out.help && out.from === undefined) throw new Error('--from DIR is required (the folder of existing manifests)');
  return out;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    cwd: process.cwd(),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}
