#!/usr/bin/env node
// Transpiles the TypeScript sources to build/ with swc (no type check: `npm run typecheck` is the gate).
// ~10x faster than tsc, so `npm run synth` stays fast; tests run the type check separately.
const fs = require('fs');
const path = require('path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
// `--out DIR` builds elsewhere (the fault tests build a private copy so they never race `npm run synth`).
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(root, 'build');
fs.rmSync(out, { recursive: true, force: true }); // a deleted source must not leave its old .js behind
const roots = ['main.ts', 'lib', 'homelab', 'imports', 'scripts'];

function* sources(p) {
  if (!fs.existsSync(p)) return;
  if (fs.statSync(p).isFile()) {
    if (p.endsWith('.ts') && !p.endsWith('.d.ts')) yield p;
    return;
  }
  for (const e of fs.readdirSync(p).sort()) yield* sources(path.join(p, e));
}

for (const r of roots) {
  for (const file of sources(path.join(root, r))) {
    const { code } = swc.transformFileSync(file, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: false,
    });
    const target = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, code);
  }
}
