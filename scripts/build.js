#!/usr/bin/env node
// Transpiles the TypeScript sources to build/ with swc (no type check: `npm run typecheck` is the gate).
// ~10x faster than tsc, so `npm run synth` stays fast; tests run the type check separately.
// Incremental: build/.hashes records each source's content hash, so an unchanged file is not transpiled again
// and a run with no change costs one read of the sources; a deleted source's .js is removed.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
// `--out DIR` builds elsewhere (the fault tests build a private copy so they never race `npm run synth`).
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(root, 'build');
// Every top-level .ts file is an entry (main.ts, or a second app beside it) and gets the fast path too.
const entries = fs.readdirSync(root).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
const roots = [...entries, 'lib', 'homelab', 'imports', 'scripts'];
const HASHES = path.join(out, '.hashes.json');

function* sources(p) {
  if (!fs.existsSync(p)) return;
  if (fs.statSync(p).isFile()) {
    if (p.endsWith('.ts') && !p.endsWith('.d.ts')) yield p;
    return;
  }
  for (const e of fs.readdirSync(p).sort()) yield* sources(path.join(p, e));
}

let previous = {};
try {
  previous = JSON.parse(fs.readFileSync(HASHES, 'utf8'));
} catch {
  fs.rmSync(out, { recursive: true, force: true }); // no record: start clean
}
// The transpiler's own version is part of every hash: an upgrade rebuilds everything.
const salt = require('@swc/core/package.json').version;
const next = {};
let swc;
for (const r of roots) {
  for (const file of sources(path.join(root, r))) {
    const rel = path.relative(root, file);
    const text = fs.readFileSync(file);
    const hash = crypto.createHash('sha256').update(salt).update(text).digest('hex').slice(0, 32);
    next[rel] = hash;
    const target = path.join(out, rel).replace(/\.ts$/, '.js');
    if (previous[rel] === hash && fs.existsSync(target)) continue;
    swc ??= require('@swc/core');
    const { code } = swc.transformSync(text.toString('utf8'), {
      filename: file,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: false,
    });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, code);
  }
}
for (const rel of Object.keys(previous)) {
  if (!(rel in next)) fs.rmSync(path.join(out, rel).replace(/\.ts$/, '.js'), { force: true });
}
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(HASHES, JSON.stringify(next));
