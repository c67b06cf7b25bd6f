/**
 * `npm run build:lib`: builds the installable package `packages/lib` (`@homelab-baseline/lib`) from lib/ and
 * the CRD bindings. The bindings are generated here, from the pinned inputs, after the same digest checks as
 * `npm run imports` (never copied from the working tree's imports/), into a staging folder beside a copy of
 * lib/; tsc then compiles both to `packages/lib/out/` with declarations. Every .ts file under lib/ is
 * compiled, so a new library file needs no edit here. `npm pack` in packages/lib runs this first (prepack).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { importCrds } from './import-crds';

const root = path.resolve(__dirname, '..');
const pkg = path.join(root, 'packages', 'lib');
const stage = path.join(pkg, '.stage');
const out = path.join(pkg, 'out');

function build(): void {
  fs.rmSync(stage, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'lib'), path.join(stage, 'lib'), { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || src.endsWith('.ts') });
  importCrds(path.join(stage, 'imports'));
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(pkg, 'tsconfig.json')], { encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc failed (exit ${tsc.status}):\n${tsc.stdout}${tsc.stderr}`);
  fs.rmSync(stage, { recursive: true, force: true });
}

try {
  build();
  process.stdout.write(`build:lib: compiled lib/ and the verified CRD bindings to ${path.relative(root, out)}/\n`);
} catch (e) {
  process.stderr.write(`build:lib failed.\n${(e as Error).message}\n`);
  process.exitCode = 1;
}
