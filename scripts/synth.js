#!/usr/bin/env node
// `npm run synth`: transpile what changed (scripts/build.js), then synthesize, unless nothing synth reads or
// writes changed since the last successful run: the sources, the pinned inputs' digests, the report template
// and every output file. Then dist/ is already what synth would write, and the run ends in a fraction of a
// second. SYNTH_FORCE=1 (or any changed byte) runs the full synth.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
require('./build.js'); // in-process: one node start instead of two

const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
const STAMP = path.join(root, 'build', '.synth-stamp');
const inputs = ['build/.hashes.json', 'docs/security.template.md', `${outdir.replace(/\/+$/, '')}.inventory.txt`, 'docs/security.md', 'docs/reachability.md', '../shared/crds/SHA256SUMS', '../shared/charts/SHA256SUMS'];

function stamp() {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify(Object.keys(process.env).filter((k) => /^(CDK8S_OUTDIR|SECURITY_REPORT|TRUTH_TABLE|RULES_REPORT|BASELINE_SHARED_DIR)$/.test(k)).map((k) => [k, process.env[k]])));
  for (const f of inputs) {
    const p = path.resolve(root, f);
    h.update(f).update(fs.existsSync(p) ? fs.readFileSync(p) : '\0missing');
  }
  const walk = (d) => {
    if (!fs.existsSync(d)) return h.update('\0no-dist');
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(path.relative(root, p)).update(fs.readFileSync(p));
    }
  };
  walk(path.resolve(root, outdir));
  return h.digest('hex');
}

const before = stamp();
if (process.env.SYNTH_FORCE !== '1' && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === before) {
  process.stdout.write(`synth: no source, input or output changed since the last synth; ${outdir}/ is current (SYNTH_FORCE=1 to re-run)\n`);
} else {
  fs.rmSync(STAMP, { force: true });
  require(path.join(root, 'build', 'main.js'));
  if (!process.exitCode) fs.writeFileSync(STAMP, stamp());
}
