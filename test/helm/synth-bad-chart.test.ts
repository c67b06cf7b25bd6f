import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { sharedDir } from '../../scripts/shared-inputs';
import { tempDir, treeDigest } from '../util';

jest.setTimeout(300_000); // the whole homelab synth in a child process, on a busy machine

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The real synth (build/main.js, as `npm run synth` runs it) against a chart source with one changed byte:
 * it fails naming the release, the chart, the file and the fix, and dist/, the report and the truth table
 * stay exactly as they were.
 */
test('a chart digest mismatch fails synth with release, chart, file and fix; dist/ untouched', () => {
  const built = spawnSync(process.execPath, ['scripts/build.js'], { cwd: ROOT, encoding: 'utf8' });
  expect(built.status).toBe(0);
  const shared = tempDir('shared-');
  fs.cpSync(path.join(sharedDir(), 'charts'), path.join(shared, 'charts'), { recursive: true });
  fs.appendFileSync(path.join(shared, 'charts', 'authentik-2025.12.4', 'values.yaml'), '\n# tampered\n');
  const out = tempDir('synth-out-');
  fs.cpSync(path.join(ROOT, 'dist'), path.join(out, 'dist'), { recursive: true });
  for (const f of ['security.md', 'reachability.md']) fs.copyFileSync(path.join(ROOT, 'docs', f), path.join(out, f));
  const before = treeDigest(out);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'build', 'main.js')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      BASELINE_SHARED_DIR: shared,
      HOMELAB_HELM_CACHE: tempDir('helm-cache-'),
      CDK8S_OUTDIR: path.join(out, 'dist'),
      SECURITY_REPORT: path.join(out, 'security.md'),
      TRUTH_TABLE: path.join(out, 'reachability.md'),
      RULES_REPORT: path.join(out, 'rules.json'),
    },
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('synth failed, dist/ left unchanged.');
  expect(r.stderr).toMatch(/\[charts\/authentik\] release "authentik", chart authentik@2025\.12\.4: digest mismatch.*authentik-2025\.12\.4\/values\.yaml.*Fix: restore/);
  expect(treeDigest(out)).toEqual(before);
});
