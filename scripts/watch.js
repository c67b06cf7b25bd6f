#!/usr/bin/env node
// `npm run watch`: re-synthesizes on every save under main.ts, lib/, homelab/ and docs/security.template.md
// (debounced), printing the rule pack's summary or the refusal. Stop it with Ctrl-C.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const watched = ['main.ts', 'lib', 'homelab', 'docs/security.template.md'];
let timer;
const run = () => {
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(__dirname, 'synth.js')], { cwd: root, stdio: 'inherit' });
  process.stdout.write(`[watch] synth ${r.status === 0 ? 'ok' : 'FAILED (dist/ unchanged)'} in ${Date.now() - started} ms; waiting for changes\n`);
};
for (const w of watched) {
  fs.watch(path.join(root, w), { recursive: fs.statSync(path.join(root, w)).isDirectory() }, (_event, file) => {
    if (file && !/\.(ts|md)$/.test(String(file))) return;
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
}
run();
